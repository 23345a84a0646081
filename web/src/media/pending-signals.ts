import type { MeshWireSignal } from './mesh-signal.ts';

/**
 * Signals from people not (yet) in our mesh plan: their roster may be ahead of ours. Kept per
 * sender for `ttlMs` after their last signal, at most `maxPerSender` each, until the plan has them.
 */
export class PendingSignals {
  readonly #bySender = new Map<string, { at: number; signals: MeshWireSignal[] }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxPerSender: number,
  ) {}

  add(from: string, signal: MeshWireSignal, now: number): void {
    for (const [id, buffered] of this.#bySender) {
      if (now - buffered.at > this.ttlMs) this.#bySender.delete(id);
    }
    const buffered = this.#bySender.get(from) ?? { at: now, signals: [] };
    if (buffered.signals.length < this.maxPerSender) buffered.signals.push(signal);
    buffered.at = now;
    this.#bySender.set(from, buffered);
  }

  /** Removes and returns what `from` sent, oldest first. */
  take(from: string): MeshWireSignal[] {
    const signals = this.#bySender.get(from)?.signals ?? [];
    this.#bySender.delete(from);
    return signals;
  }

  clear(): void {
    this.#bySender.clear();
  }
}
