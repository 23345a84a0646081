import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import { idOfType } from '../ids.ts';
import type { Relay } from '../media/relay/relay.ts';
import type { EventBus } from '../pubsub.ts';
import type { SpaceEventBus } from '../spaces/space-event.ts';
import { type SpaceCaptions, startSpaceCaptions } from './space-captions.ts';
import type { TimedCaption } from './speaker-captioner.ts';
import type { SpeechEngine } from './speech-engine.ts';

/** Published when the host team turns a space's captions on or off. */
export type CaptionsSwitch = { spaceId: string; on: boolean };

export const CAPTIONS_KEY = 'all';

export type CaptionRunnerDeps = {
  prisma: PrismaClient;
  relay: Relay;
  bus: EventBus;
  spaceEvents: SpaceEventBus;
  engine: SpeechEngine;
  clock: Clock;
};

/** The relay names participants by global id; guests, who never speak, have other names. */
const participantOf = (relayId: string) => idOfType(relayId, 'Participant');

/**
 * Runs captions on an instance with a relay, for every live space whose captions are on: the
 * speakers connected to this instance's relay are captioned here. Finals are stored, then every
 * caption is published on the space's events, in order.
 */
export function createCaptionRunner(deps: CaptionRunnerDeps) {
  const { prisma, clock } = deps;
  const running = new Map<
    string,
    { captions: SpaceCaptions; unwatch(): void; delivered(): Promise<void> }
  >();
  const starting = new Set<string>();
  let unsubscribe: (() => void) | null = null;

  function deliver(spaceId: string, speaker: string, caption: TimedCaption): Promise<void> {
    const participantId = participantOf(speaker);
    if (!participantId) return Promise.resolve();
    const { text, startMs, endMs, final, degraded } = caption;
    const publish = () =>
      deps.spaceEvents.publish({
        kind: 'CaptionSegment',
        spaceId,
        participantId,
        text,
        startMs,
        endMs,
        final,
        degraded,
        at: clock.now().toISOString(),
      });
    if (!final) {
      publish();
      return Promise.resolve();
    }
    return prisma.transcriptSegment
      .create({ data: { spaceId, participantId, text, startMs, endMs } })
      .then(publish);
  }

  const stopping = new Map<string, Promise<void>>();

  /** Stops a space's captions; it counts as running until its last finals are delivered. */
  function stopSpace(spaceId: string): Promise<void> {
    const entry = running.get(spaceId);
    if (!entry) return Promise.resolve();
    let stopped = stopping.get(spaceId);
    if (!stopped) {
      entry.unwatch();
      stopped = entry.captions
        .stop()
        .then(entry.delivered)
        .finally(() => {
          running.delete(spaceId);
          stopping.delete(spaceId);
        });
      stopping.set(spaceId, stopped);
    }
    return stopped;
  }

  function watch(spaceId: string) {
    // Subscribed before the state is read, so an end in between is not missed.
    const iterator = deps.spaceEvents.subscribe(spaceId)[Symbol.asyncIterator]();
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        const event = next.value;
        if (
          (event.kind === 'SpaceStateChanged' && event.state !== 'LIVE') ||
          (event.kind === 'CaptionsChanged' && !event.on)
        ) {
          await stopSpace(spaceId);
          return;
        }
      }
    })().catch((error: unknown) => console.error('captions: watching a space failed', error));
    return () => void iterator.return?.();
  }

  async function runSpace(spaceId: string) {
    await stopping.get(spaceId);
    if (running.has(spaceId) || starting.has(spaceId)) return;
    starting.add(spaceId);
    const unwatch = watch(spaceId);
    try {
      const space = await prisma.space.findUnique({ where: { id: spaceId } });
      if (space?.state !== 'LIVE' || !space.captionsOn) {
        unwatch();
        return;
      }
      const startedAt = (space.startedAt ?? space.createdAt).getTime();
      let delivered = Promise.resolve();
      const captions = startSpaceCaptions({
        relay: deps.relay,
        spaceId,
        engine: deps.engine,
        now: () => clock.now().getTime() - startedAt,
        onCaption: (speaker, caption) => {
          delivered = delivered
            .then(() => deliver(spaceId, speaker, caption))
            .catch((error: unknown) => console.error('captions: delivery failed', error));
        },
      });
      running.set(spaceId, { captions, unwatch, delivered: () => delivered });
    } catch (error) {
      unwatch();
      throw error;
    } finally {
      starting.delete(spaceId);
    }
  }

  function follow(change: Promise<void>) {
    change.catch((error: unknown) => console.error('captions: could not follow a space', error));
  }

  return {
    /** Follows captions switches from every instance, and resumes spaces already captioned. */
    async start() {
      if (unsubscribe) return;
      unsubscribe = deps.bus
        .subscribe('captions', CAPTIONS_KEY)
        .listen((change) =>
          follow(change.on ? runSpace(change.spaceId) : stopSpace(change.spaceId)),
        );
      const captioned = await prisma.space.findMany({
        where: { state: 'LIVE', captionsOn: true },
        select: { id: true },
      });
      for (const { id } of captioned) follow(runSpace(id));
    },

    /** Whether this instance captions a space now (or still delivers its last finals). */
    isRunning: (spaceId: string) => running.has(spaceId),

    /**
     * For a space that is over: resolves once its last finals are stored (at once where this
     * instance does not caption it). Call only after the space left LIVE.
     */
    transcriptDone: (spaceId: string) => stopSpace(spaceId),

    /** Stops every space's captions, delivering the finals under way. */
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      await Promise.all([...running.keys()].map(stopSpace));
    },
  };
}

export type CaptionRunner = ReturnType<typeof createCaptionRunner>;
