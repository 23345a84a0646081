import { RelayError } from '../relay/relay-error.ts';
import type {
  ApiToWorker,
  PipeAddress,
  WorkerCall,
  WorkerCallResults,
  WorkerCommand,
  WorkerToApi,
} from './worker-protocol.ts';

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/** What a worker reports on its own (closed sessions, tapped packets, counters). */
export type WorkerReport = Exclude<WorkerToApi, { type: 'reply' | 'ready' }>;

export type RelayWorkerEvents = {
  onMessage(message: WorkerReport): void;
  /**
   * The worker ended without being stopped (a crash, a kill, a vanished host): its sessions are
   * gone. `cause` says how, for the operator's log (an exit code, a signal, a silent host).
   */
  onExit(cause: string): void;
};

/** The API's handle on one relay worker, local (a child process) or remote (another host). */
export type RelayWorker = {
  /** The local process id; undefined for a remote worker. */
  readonly pid: number | undefined;
  /** Where other workers pipe this one the packets of spaces it shares with them. */
  readonly pipe: PipeAddress;
  call<Type extends WorkerCall['type']>(
    message: Extract<WorkerCall, { type: Type }>,
  ): Promise<WorkerCallResults[Type]>;
  command(message: WorkerCommand): void;
  readonly alive: boolean;
  /** Closes the worker's relay; a local worker's process ends too. */
  stop(): Promise<void>;
};

/**
 * The calls under way to one worker, each answered by the reply with its id, whatever carries
 * them: `send` hands a message to the channel.
 */
export function createWorkerCalls(send: (message: ApiToWorker) => void) {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let ended = false;
  return {
    call<Type extends WorkerCall['type']>(
      message: Extract<WorkerCall, { type: Type }>,
    ): Promise<WorkerCallResults[Type]> {
      if (ended) return Promise.reject(new RelayError('CLOSED', 'The relay worker ended.'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        send({ ...message, id });
      });
    },
    settle(message: Extract<WorkerToApi, { type: 'reply' }>): void {
      const call = pending.get(message.id);
      pending.delete(message.id);
      if (!call) return;
      if (message.ok) call.resolve(message.value);
      else if (message.error.reason)
        call.reject(new RelayError(message.error.reason, message.error.message));
      else call.reject(new Error(message.error.message));
    },
    /** The worker is gone: every call under way and to come fails with RelayError('CLOSED'). */
    end(): void {
      ended = true;
      const error = new RelayError('CLOSED', 'The relay worker ended.');
      for (const call of pending.values()) call.reject(error);
      pending.clear();
    },
  };
}
