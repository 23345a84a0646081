import { type Clock, systemClock, type TimerHandle } from './clock.ts';
import { encodeMeshSignal, type MeshWireSignal } from './mesh-signal.ts';
import type { MeshSignal } from './types.ts';

/**
 * How long an offer or answer waits for the peer's first ICE candidate to go in the same call.
 * Sent alone, the candidates follow one API round trip later, and the other side can check
 * nothing until they arrive; the browser gathers host candidates within a few milliseconds.
 */
export const CANDIDATE_WAIT_MS = 15;

const carries = (signal: MeshWireSignal, types: readonly string[]) =>
  signal.kind === 'peer' && signal.data.some((data) => types.includes(data.type));

/**
 * Sends one participant's signals in order, one API call at a time. Signals queued while a call
 * is in flight go together in the next call (trickled candidates would otherwise cost one
 * rate-limited mutation each), and an offer or answer waits briefly for its first candidate.
 */
export class SignalQueue {
  #queue: MeshWireSignal[] = [];
  #sending = false;
  #waiting: TimerHandle | null = null;

  constructor(
    private readonly send: (signal: MeshSignal) => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly clock: Clock = systemClock(),
    /** How long an offer or answer waits for a candidate; 0 sends it at once. */
    private readonly candidateWaitMs: number = CANDIDATE_WAIT_MS,
  ) {}

  push(signal: MeshWireSignal): void {
    this.#queue.push(signal);
    if (this.#sending) return;
    if (this.#waiting !== null) {
      if (carries(signal, ['candidate'])) this.#release();
      return;
    }
    if (
      this.candidateWaitMs > 0 &&
      carries(signal, ['offer', 'answer']) &&
      !carries(signal, ['candidate'])
    ) {
      this.#waiting = this.clock.setTimeout(() => this.#release(), this.candidateWaitMs);
      return;
    }
    void this.#drain();
  }

  /** Drops what has not been sent yet (the peer it was for is gone). */
  clear(): void {
    this.#queue = [];
    this.#stopWaiting();
  }

  #stopWaiting(): void {
    if (this.#waiting === null) return;
    this.clock.clearTimeout(this.#waiting);
    this.#waiting = null;
  }

  #release(): void {
    this.#stopWaiting();
    if (!this.#sending) void this.#drain();
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
