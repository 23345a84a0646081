import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { RelayError } from '../relay/relay-error.ts';
import type { RelayConfig } from '../relay/relay-types.ts';
import type {
  ApiToWorker,
  WorkerCall,
  WorkerCallResults,
  WorkerCommand,
  WorkerToApi,
} from './worker-protocol.ts';

/** A worker that does not answer `stop` in this time is killed. */
const STOP_TIMEOUT_MS = 5_000;

const entry = new URL('./relay-worker-main.ts', import.meta.url);
// Workers run the project's TypeScript as the API does: through tsx's loader, found from here so
// that the API's working directory does not matter.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export type RelayWorkerEvents = {
  /** Everything the worker reports on its own (closed sessions, tapped packets, counters). */
  onMessage(message: Exclude<WorkerToApi, { type: 'reply' | 'ready' }>): void;
  /** The process ended without being stopped (a crash, a kill): its sessions are gone. */
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
};

type Pending = { resolve(value: unknown): void; reject(error: Error): void };

/**
 * The API's handle on one relay worker process: typed calls with replies, commands, and the
 * worker's own reports. Resolves once the worker's relay runs and its pipe port is bound.
 */
export async function startRelayWorker(config: RelayConfig, events: RelayWorkerEvents) {
  const child: ChildProcess = fork(entry, [], {
    execArgv: ['--import', tsx],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let exited = false;
  let stopping = false;

  function send(message: ApiToWorker): void {
    if (exited || !child.connected) return;
    child.send(message);
  }

  const ready = new Promise<number>((resolve, reject) => {
    child.on('message', (message: WorkerToApi) => {
      if (message.type === 'ready') resolve(message.pipePort);
      else if (message.type === 'reply') {
        const call = pending.get(message.id);
        pending.delete(message.id);
        if (!call) return;
        if (message.ok) call.resolve(message.value);
        else if (message.error.reason)
          call.reject(new RelayError(message.error.reason, message.error.message));
        else call.reject(new Error(message.error.message));
      } else events.onMessage(message);
    });
    child.on('exit', (code, signal) => {
      exited = true;
      const error = new RelayError('CLOSED', 'The relay worker ended.');
      for (const call of pending.values()) call.reject(error);
      pending.clear();
      reject(error);
      if (!stopping) events.onExit(code, signal);
    });
  });
  // Stops an unhandled rejection when the worker dies before it was ever awaited.
  ready.catch(() => {});
  send({ type: 'start', config });
  const pipePort = await ready;

  function call<Type extends WorkerCall['type']>(
    message: Extract<WorkerCall, { type: Type }>,
  ): Promise<WorkerCallResults[Type]> {
    if (exited) return Promise.reject(new RelayError('CLOSED', 'The relay worker ended.'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      send({ ...message, id });
    });
  }

  return {
    pid: child.pid,
    /** Where other workers pipe this one the packets of spaces it shares with them. */
    pipePort,
    call,
    command(message: WorkerCommand): void {
      send(message);
    },
    get alive(): boolean {
      return !exited;
    },

    /** Closes the worker's relay, then its process; kills it if it does not answer. */
    async stop(): Promise<void> {
      if (exited) return;
      stopping = true;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await call({ type: 'stop' }).catch(() => {});
      if (child.connected) child.disconnect();
      await gone;
      clearTimeout(timer);
    },
  };
}

export type RelayWorker = Awaited<ReturnType<typeof startRelayWorker>>;
