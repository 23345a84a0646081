import type { Clock, TimerHandle } from './clock.ts';
import type { InboundTracker } from './inbound-stats.ts';
import type { MediaTransport } from './media-transport.ts';
import type { SourceKind } from './types.ts';

export const inboundKey = (source: SourceKind, participantId: string) =>
  `${source}:${participantId}`;

export type InboundSamplerOptions = {
  clock: Clock;
  tracker: InboundTracker;
  /** The transports open now; either may be null. */
  transports: () => { mesh: MediaTransport | null; relay: MediaTransport | null };
  tickMs: number;
  /** While first audio is awaited, streams are sampled this often. */
  firstAudioTickMs: number;
  firstAudioWindowMs: number;
  /** After each tick's samples are in the tracker. */
  onSampled: () => void;
};

/**
 * Samples the inbound streams' stats into the tracker on a tick: slowly once audio flows, often
 * while a new stream's first audio is awaited.
 */
export function createInboundSampler(options: InboundSamplerOptions) {
  const { clock, tracker, tickMs, firstAudioTickMs, firstAudioWindowMs } = options;
  let stopped = false;
  let ticks = 0;
  let tickTimer: TimerHandle | null = null;
  let tickRunning = false;
  /** Until then, a stream not yet sampled with audio is sampled every `firstAudioTickMs`. */
  let firstAudioUntil = Number.NEGATIVE_INFINITY;

  /** A stream is playing whose audio has not been seen in a sample yet. */
  function awaitingAudio(): boolean {
    const { mesh, relay } = options.transports();
    for (const [source, transport] of [
      ['mesh', mesh],
      ['relay', relay],
    ] as const) {
      for (const id of transport?.streams().keys() ?? []) {
        const state = tracker.get(inboundKey(source, id));
        if (!state || state.packetsReceived === 0 || state.level === 0) return true;
      }
    }
    return false;
  }

  const hurrying = () => clock.now() < firstAudioUntil && awaitingAudio();

  async function tick() {
    const now = clock.now();
    const { mesh, relay } = options.transports();
    // The relay is sampled every tick while both paths exist (to switch promptly) or first audio
    // is awaited, else each second.
    const sampleRelay = relay && (mesh !== null || ticks % 5 === 0 || hurrying());
    const [meshSamples, relaySamples] = await Promise.all([
      mesh?.sample(),
      sampleRelay ? relay?.sample() : undefined,
    ]);
    if (stopped) return;
    const keep = new Set<string>();
    for (const [source, samples] of [
      ['mesh', meshSamples],
      ['relay', relaySamples],
    ] as const) {
      for (const [id, sample] of samples ?? []) {
        tracker.observe(inboundKey(source, id), sample, now);
      }
    }
    const current = options.transports();
    for (const id of current.mesh?.streams().keys() ?? []) keep.add(inboundKey('mesh', id));
    for (const id of current.relay?.streams().keys() ?? []) keep.add(inboundKey('relay', id));
    tracker.retain(keep);
    options.onSampled();
  }

  function scheduleTick(delayMs = hurrying() ? firstAudioTickMs : tickMs) {
    tickTimer = clock.setTimeout(() => {
      tickTimer = null;
      tickRunning = true;
      ticks += 1;
      tick()
        .catch((error: unknown) => console.error(error))
        .finally(() => {
          tickRunning = false;
          if (!stopped) scheduleTick();
        });
    }, delayMs);
  }

  scheduleTick();

  return {
    /**
     * A new stream is sampled at once and then often until its audio shows, so health and levels
     * (what the UI shows as heard) follow the first packets instead of the next slow tick.
     */
    hurry() {
      if (stopped) return;
      firstAudioUntil = clock.now() + firstAudioWindowMs;
      if (tickRunning || tickTimer === null) return;
      clock.clearTimeout(tickTimer);
      scheduleTick(firstAudioTickMs);
    },
    stop() {
      stopped = true;
      if (tickTimer !== null) clock.clearTimeout(tickTimer);
    },
  };
}
