import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import { SpaceNotLive } from '../errors.ts';
import { toGlobalId } from '../ids.ts';
import type { BroadcastConfig } from './broadcast-config.ts';
import { chooseListening, type Listening } from './broadcast-policy.ts';
import { createBroadcastRuns } from './broadcast-runs.ts';
import { checkBroadcastToken, OPEN_TOKEN, signBroadcast } from './broadcast-signature.ts';
import { PLAYLIST_FILE } from './hls-broadcast.ts';
import type { MixHub } from './mix-hub.ts';

export type BroadcastState = 'UNAVAILABLE' | 'ENDED' | 'IDLE' | 'STARTING' | 'LIVE';

/**
 * Speech in → heard in hls.js: the mix's jitter delay, plus the three segments hls.js stays
 * behind the live edge by default, plus about one segment being made.
 */
const EXPECTED_LATENCY_SECONDS = 0.2 + 4 * 2;

export type BroadcastServiceDeps = {
  prisma: PrismaClient;
  clock: Clock;
  config: BroadcastConfig;
  /** The signing key (broadcast-signature.ts's broadcastKey). */
  key: Buffer;
  /** Null where this instance has no relay, so no audio to mix. */
  mixes: MixHub | null;
  mayHear(space: { id: string; hostId: string }, userId: string | null): Promise<boolean>;
  admitRelayAudience(spaceId: string): Promise<void>;
};

/** What the server answers for one broadcast file. */
export type BroadcastFile =
  | { kind: 'file'; body: Uint8Array | string; type: string; immutable: boolean }
  | { kind: 'starting' }
  | { kind: 'refused'; reason: 'malformed' | 'forged' | 'expired' | 'ticketed' }
  | { kind: 'not-found' };

const FILE_NAME = /^(?:live\.m3u8|[A-Za-z0-9_-]{1,16}-(?:init\.mp4|\d{1,9}\.m4s))$/;

/**
 * The broadcast tier: a live space's mix as HLS, for audiences past what relays should hold.
 * Decisions here (who gets which URL, which files a token opens); the mixing and muxing happen
 * in broadcast-runs.ts, started by the first fetch.
 */
export function createBroadcastService(deps: BroadcastServiceDeps) {
  const { prisma, config, key } = deps;
  const nowMs = () => deps.clock.now().getTime();
  const runs = deps.mixes
    ? createBroadcastRuns({
        mixes: deps.mixes,
        idleMs: config.idleSeconds * 1000,
        nowMs: () => performance.now(),
        async prepare(spaceId) {
          const space = await prisma.space.findUnique({ where: { id: spaceId } });
          if (space?.state !== 'LIVE') return null;
          const gated = !(await deps.mayHear(space, null));
          try {
            await deps.admitRelayAudience(spaceId);
          } catch (error) {
            if (error instanceof SpaceNotLive) return null;
            throw error;
          }
          return { gated };
        },
        async stillLive(spaceIds) {
          const spaces = await prisma.space.findMany({
            where: { id: { in: spaceIds }, state: 'LIVE' },
            select: { id: true },
          });
          return new Set(spaces.map((space) => space.id));
        },
      })
    : null;

  function stateOf(spaceId: string, spaceState: string): BroadcastState {
    if (!runs) return 'UNAVAILABLE';
    if (spaceState !== 'LIVE') return 'ENDED';
    const run = runs.running(spaceId);
    if (!run) return 'IDLE';
    return run.hls.playlist() ? 'LIVE' : 'STARTING';
  }

  return {
    /**
     * The space's broadcast as `userId` (null: a guest) sees it: its URL (a path on this server;
     * signed where the space is ticketed, null for whoever may not hear it), its state, and
     * whether a listener who has not chosen should use it.
     */
    async info(space: { id: string; hostId: string; state: string }, userId: string | null) {
      const state = stateOf(space.id, space.state);
      const base = {
        state,
        latencySeconds: state === 'LIVE' ? EXPECTED_LATENCY_SECONDS : null,
        url: null as string | null,
        recommended: 'RELAY' as Listening,
      };
      if (state === 'UNAVAILABLE' || state === 'ENDED') return base;
      if (!(await deps.mayHear(space, userId))) return base;
      const token = (await deps.mayHear(space, null))
        ? OPEN_TOKEN
        : signBroadcast(key, space.id, nowMs(), config.urlTtlSeconds);
      const listeners = await prisma.participant.count({
        where: { spaceId: space.id, leftAt: null, role: 'LISTENER' },
      });
      return {
        ...base,
        url: `/spaces/${encodeURIComponent(toGlobalId('Space', space.id))}/broadcast/${token}/${PLAYLIST_FILE}`,
        recommended: chooseListening(listeners, config.afterListeners),
      };
    },

    /** One file of a space's broadcast, for `token` (from the URL's path). */
    async file(spaceId: string, token: string, name: string): Promise<BroadcastFile> {
      if (!runs || !FILE_NAME.test(name)) return { kind: 'not-found' };
      // A signature is checked before anything is started or read: forged URLs cost no mixing.
      const refusal =
        token === OPEN_TOKEN ? null : checkBroadcastToken(key, spaceId, token, nowMs());
      if (refusal) return { kind: 'refused', reason: refusal };
      const run = await runs.fetch(spaceId);
      if (!run) return { kind: 'not-found' };
      if (run.gated && token === OPEN_TOKEN) return { kind: 'refused', reason: 'ticketed' };
      if (name === PLAYLIST_FILE) {
        const playlist = run.hls.playlist();
        if (!playlist) return { kind: 'starting' };
        return {
          kind: 'file',
          body: playlist,
          type: 'application/vnd.apple.mpegurl',
          immutable: false,
        };
      }
      const body = run.hls.file(name);
      return body
        ? { kind: 'file', body, type: 'audio/mp4', immutable: true }
        : { kind: 'not-found' };
    },

    async stop(): Promise<void> {
      await runs?.stop();
    },
  };
}

export type BroadcastService = ReturnType<typeof createBroadcastService>;
