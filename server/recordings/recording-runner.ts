import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { MixHub } from '../broadcast/mix-hub.ts';
import type { Clock } from '../clock.ts';
import { idOfType } from '../ids.ts';
import type { Relay } from '../media/relay/relay.ts';
import type { EventBus } from '../pubsub.ts';
import type { SpaceEventBus } from '../spaces/space-event.ts';
import { joinMixedRuns, nextRun } from './recording-runs.ts';
import type { RecordingStorage } from './recording-storage.ts';
import { RECORDINGS_KEY } from './recordings.service.ts';
import { type SpaceRecorder, startSpaceRecorder } from './space-recorder.ts';

export type RecordingRunnerDeps = {
  prisma: PrismaClient;
  relay: Relay;
  bus: EventBus;
  spaceEvents: SpaceEventBus;
  storage: RecordingStorage;
  clock: Clock;
  /** Spaces' live mixes, recorded as each recording's mixed track. */
  mixes?: MixHub;
  /**
   * Resolves once an ended space's transcript is complete (captions flush their last line on
   * end): a page told READY loads the transcript at once and must find every line.
   */
  transcriptDone?: (spaceId: string) => Promise<void>;
};

/** A stuck speech engine must not keep a recording from settling: it is waited for this long. */
const TRANSCRIPT_WAIT_MS = 30_000;

/** The relay names participants by global id; guests, who never speak, have other names. */
const participantOf = (relayId: string) => idOfType(relayId, 'Participant');

/**
 * Records, on an instance with a relay, every live space whose host chose to record it: the
 * speakers connected to this instance's relay are recorded here. When the space ends, the files
 * are closed and the recording is READY.
 */
export function createRecordingRunner(deps: RecordingRunnerDeps) {
  const { prisma, clock } = deps;
  const running = new Map<
    string,
    { recorder: SpaceRecorder; unwatch(): void; recordingId: string; failed: boolean }
  >();
  const starting = new Set<string>();
  const stopping = new Map<string, Promise<void>>();
  let unsubscribe: (() => void) | null = null;

  function stopSpace(spaceId: string): Promise<void> {
    const entry = running.get(spaceId);
    if (!entry) return Promise.resolve();
    const { recordingId } = entry;
    let stopped = stopping.get(spaceId);
    if (!stopped) {
      entry.unwatch();
      stopped = entry.recorder
        .stop()
        .then(async () => {
          const space = await prisma.space.findUnique({ where: { id: spaceId } });
          // The server stopping mid-space leaves the recording RECORDING, to resume on restart.
          if (!space || space.state === 'LIVE') return;
          await finish(space, recordingId, entry.failed ? 'FAILED' : 'READY');
        })
        .finally(() => {
          running.delete(spaceId);
          stopping.delete(spaceId);
        });
      stopping.set(spaceId, stopped);
    }
    return stopped;
  }

  async function transcriptDone(spaceId: string) {
    if (!deps.transcriptDone) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      deps
        .transcriptDone(spaceId)
        .catch((error: unknown) => console.error('recordings: the transcript did not end', error)),
      new Promise((resolve) => {
        timer = setTimeout(resolve, TRANSCRIPT_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
  }

  /**
   * Settles a recording once its space is over: FAILED where writing broke (a full disk), else
   * READY, lasting from its start to the space's end. Everyone waiting is told.
   */
  async function finish(
    space: { id: string; startedAt: Date | null; createdAt: Date; endedAt: Date | null },
    recordingId: string,
    state: 'READY' | 'FAILED',
  ) {
    await transcriptDone(space.id);
    const recording = await prisma.recording.findUnique({ where: { id: recordingId } });
    if (recording?.state !== 'RECORDING') return;
    if (state === 'READY') {
      // The first run's file still plays if joining fails, so the recording is READY either way.
      await joinMixedRuns(deps.storage, recordingId).catch((error: unknown) =>
        console.error('recordings: joining the runs of a recording failed', error),
      );
    }
    const endedAt = space.endedAt ?? clock.now();
    const spaceMs = endedAt.getTime() - (space.startedAt ?? space.createdAt).getTime();
    const { count } = await prisma.recording.updateMany({
      where: { id: recordingId, state: 'RECORDING' },
      data: { state, endedAt: clock.now(), durationMs: Math.max(0, spaceMs - recording.startMs) },
    });
    if (count > 0)
      deps.bus.publish('recording-states', space.id, { spaceId: space.id, recordingId, state });
  }

  function watch(spaceId: string) {
    const iterator = deps.spaceEvents.subscribe(spaceId)[Symbol.asyncIterator]();
    void (async () => {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        if (next.value.kind === 'SpaceStateChanged' && next.value.state !== 'LIVE') {
          await stopSpace(spaceId);
          return;
        }
      }
    })().catch((error: unknown) => console.error('recordings: watching a space failed', error));
    return () => void iterator.return?.();
  }

  async function runSpace(spaceId: string) {
    await stopping.get(spaceId);
    if (running.has(spaceId) || starting.has(spaceId)) return;
    starting.add(spaceId);
    try {
      const recording = await prisma.recording.findUnique({ where: { spaceId } });
      if (recording?.state !== 'RECORDING') return;
      // Subscribed before the state is read again, so an end in between is not missed.
      const unwatch = watch(spaceId);
      const space = await prisma.space.findUnique({ where: { id: spaceId } });
      if (space?.state !== 'LIVE') {
        unwatch();
        if (space) await finish(space, recording.id, 'READY');
        return;
      }
      const startedAt = (space.startedAt ?? space.createdAt).getTime();
      // A recording picked up again after a restart keeps what the earlier runs wrote.
      const run = await nextRun(deps.storage, recording.id);
      const recorder = startSpaceRecorder({
        relay: deps.relay,
        spaceId,
        storage: deps.storage,
        ...(deps.mixes && { mixes: deps.mixes }),
        keyPrefix: recording.id,
        run,
        startMs: recording.startMs,
        now: () => clock.now().getTime() - startedAt,
        onTrack: (track) => {
          const participantId = participantOf(track.speaker);
          if (!participantId) return;
          prisma.recordingTrack
            .create({
              data: {
                id: randomUUID(),
                recordingId: recording.id,
                participantId,
                key: track.key,
                startMs: track.startMs,
              },
            })
            .catch((error: unknown) => console.error('recordings: storing a track failed', error));
        },
        onError: (error) => {
          console.error('recordings: writing a track failed', error);
          const entry = running.get(spaceId);
          if (entry) entry.failed = true;
        },
      });
      running.set(spaceId, { recorder, unwatch, recordingId: recording.id, failed: false });
    } finally {
      starting.delete(spaceId);
    }
  }

  function follow(change: Promise<void>) {
    change.catch((error: unknown) => console.error('recordings: could not follow a space', error));
  }

  return {
    /** Follows spaces that start being recorded, and resumes those already recorded. */
    async start() {
      if (unsubscribe) return;
      unsubscribe = deps.bus
        .subscribe('recordings', RECORDINGS_KEY)
        .listen((started) => follow(runSpace(started.spaceId)));
      const recorded = await prisma.recording.findMany({
        where: { state: 'RECORDING' },
        select: { spaceId: true },
      });
      for (const { spaceId } of recorded) follow(runSpace(spaceId));
    },

    /** Whether this instance records a space now (or is still closing its files). */
    isRunning: (spaceId: string) => running.has(spaceId),

    /** Closes every file; recordings of spaces still live stay RECORDING, to resume. */
    async stop() {
      unsubscribe?.();
      unsubscribe = null;
      await Promise.all([...running.keys()].map(stopSpace));
    },
  };
}

export type RecordingRunner = ReturnType<typeof createRecordingRunner>;
