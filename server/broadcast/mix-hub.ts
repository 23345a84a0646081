import type { Relay } from '../media/relay/relay.ts';
import { createLiveMixer, MIX_FRAME_SAMPLES, MIX_SAMPLE_RATE } from './live-mixer.ts';
import { createMixEncoder } from './mix-encoder.ts';

/**
 * One Opus packet (20 ms) of a space's mix; `sample` is where it starts, in samples since that
 * space's mix began. Consecutive packets are contiguous: the mix never skips. `ageMs`: how long
 * ago the packet's first sample was live (the mix runs behind to let late packets in), so a
 * listener can place the packet on its own clock.
 */
export type MixListener = (packet: Uint8Array, sample: number, ageMs: number) => void;

/** Ends one subscription. */
export type MixUnsubscribe = (options?: {
  /**
   * Hand out the mix up to now first, instead of losing what is held back for late packets (a
   * recording ending with its space keeps its last words).
   */
  flush?: boolean;
}) => void;

/** How often the mix is made: a few frames at a time, so timers cost little. */
const TICK_MS = 40;

export type MixHubOptions = {
  relay: Relay;
  /** How far behind live the mix is made, to let late packets in (ms). @default 200 */
  jitterMs?: number;
  /** A clock in ms (tests and benchmarks may pass their own). @default performance.now */
  now?: () => number;
};

/**
 * The live mix of each space that someone wants it for (the recorder, the broadcast): made once
 * per space however many use it, from the first subscriber to the last.
 */
export function createMixHub(options: MixHubOptions) {
  const now = options.now ?? (() => performance.now());
  const jitterMs = options.jitterMs ?? 200;
  const mixes = new Map<string, { listeners: Set<MixListener>; flush(): void; stop(): void }>();

  function startMix(spaceId: string, listeners: Set<MixListener>) {
    const mixer = createLiveMixer({ jitterMs });
    const encoder = createMixEncoder();
    const startedAt = now();
    const sampleAt = (ms: number) => Math.floor(((ms - startedAt) * MIX_SAMPLE_RATE) / 1000);
    const untap = options.relay.tapSpace(spaceId, (speaker, payload, rtpTimestamp) => {
      mixer.push(speaker, Uint8Array.from(payload), rtpTimestamp, sampleAt(now()));
    });
    let sample = 0;
    const mixUntil = (ms: number) => {
      for (const frame of mixer.mixUntil(sampleAt(ms))) {
        const packet = encoder.encode(frame);
        const ageMs = now() - startedAt - (sample * 1000) / MIX_SAMPLE_RATE;
        for (const listener of listeners) listener(packet, sample, ageMs);
        sample += MIX_FRAME_SAMPLES;
      }
    };
    const tick = setInterval(() => mixUntil(now() - jitterMs), TICK_MS);
    return {
      flush: () => mixUntil(now()),
      stop() {
        clearInterval(tick);
        untap();
        mixer.close();
      },
    };
  }

  return {
    /** Hears the space's mix from now on; returns the function that stops hearing it. */
    subscribe(spaceId: string, listener: MixListener): MixUnsubscribe {
      let mix = mixes.get(spaceId);
      if (!mix) {
        const listeners = new Set<MixListener>();
        mix = { listeners, ...startMix(spaceId, listeners) };
        mixes.set(spaceId, mix);
      }
      const entry = mix;
      entry.listeners.add(listener);
      return (options) => {
        if (options?.flush && entry.listeners.has(listener)) entry.flush();
        entry.listeners.delete(listener);
        if (entry.listeners.size > 0 || mixes.get(spaceId) !== entry) return;
        entry.stop();
        mixes.delete(spaceId);
      };
    },

    /** Spaces mixed now. */
    spaces: () => [...mixes.keys()],

    stop(): void {
      for (const mix of mixes.values()) mix.stop();
      mixes.clear();
    },
  };
}

export type MixHub = ReturnType<typeof createMixHub>;
