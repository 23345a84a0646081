import { encodeMeshSignal, type MeshWireSignal } from './mesh-signal.ts';
import type { MeshSignal } from './types.ts';

/**
 * Sends one participant's signals in order, one API call at a time. Signals queued while a call
 * is in flight go together in the next call (trickled candidates would otherwise cost one
 * rate-limited mutation each).
 */
export class SignalQueue {
  #queue: MeshWireSignal[] = [];
  #sending = false;

  constructor(
    private readonly send: (signal: MeshSignal) => Promise<void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  push(signal: MeshWireSignal): void {
    this.#queue.push(signal);
    if (!this.#sending) void this.#drain();
  }

  /** Drops what has not been sent yet (the peer it was for is gone). */
  clear(): void {
    this.#queue = [];
  }

  async #drain(): Promise<void> {
    this.#sending = true;
    while (this.#queue.length > 0) {
      for (const signal of coalesce(this.#queue.splice(0))) {
        try {
          await this.send(encodeMeshSignal(signal));
        } catch (error) {
          this.onError(error);
        }
      }
    }
    this.#sending = false;
  }
}

/** Merges runs of peer signals of one session into one, keeping the order of everything else. */
export function coalesce(signals: readonly MeshWireSignal[]): MeshWireSignal[] {
  const result: MeshWireSignal[] = [];
  for (const signal of signals) {
    const last = result.at(-1);
    if (signal.kind === 'peer' && last?.kind === 'peer' && last.session === signal.session) {
      result[result.length - 1] = { ...last, data: [...last.data, ...signal.data] };
    } else {
      result.push(signal);
    }
  }
  return result;
}
