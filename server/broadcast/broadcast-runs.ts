import { randomBytes } from 'node:crypto';
import { createHlsBroadcast, type HlsBroadcast } from './hls-broadcast.ts';
import type { MixHub } from './mix-hub.ts';

export type BroadcastRun = {
  hls: HlsBroadcast;
  /** Whether the space is ticketed: its files then need a signed URL. */
  gated: boolean;
  lastFetchMs: number;
};

export type BroadcastRunsDeps = {
  mixes: MixHub;
  /**
   * Whether the space may be broadcast now (it is live), and whether it is ticketed; null when
   * it may not. Also gets its speakers onto the relay, whose audio the mix is made of.
   */
  prepare(spaceId: string): Promise<{ gated: boolean } | null>;
  /** Whether each running space is still live (checked on every sweep). */
  stillLive(spaceIds: string[]): Promise<Set<string>>;
  idleMs: number;
  nowMs(): number;
};

/** How often idle broadcasts and ended spaces are looked for. */
const SWEEP_MS = 10_000;
/**
 * A space found not live is not looked up again for this long: players and crawlers keep asking
 * for ended spaces' playlists, and the route costs no request budget (a CDN fetches from few
 * addresses), so each miss must not cost a query.
 */
const MISS_MS = 5_000;
/** Misses remembered at most (then forgotten at once): unknown ids cannot grow it for ever. */
const MAX_MISSES = 10_000;

/**
 * The broadcasts this instance makes: one per live space someone fetches, started by the first
 * fetch (so a space nobody watches over HLS costs nothing), stopped when nobody fetched for
 * `idleMs` or the space ended.
 */
export function createBroadcastRuns(deps: BroadcastRunsDeps) {
  const runs = new Map<string, Promise<BroadcastRun | null>>();
  const live = new Map<string, { run: BroadcastRun; stop(): Promise<void> }>();
  const misses = new Map<string, number>();

  async function start(spaceId: string): Promise<BroadcastRun | null> {
    const prepared = await deps.prepare(spaceId);
    if (!prepared) return null;
    const hls = createHlsBroadcast({ runId: randomBytes(6).toString('base64url') });
    const unsubscribe = deps.mixes.subscribe(spaceId, hls.add);
    const run: BroadcastRun = { hls, gated: prepared.gated, lastFetchMs: deps.nowMs() };
    live.set(spaceId, {
      run,
      async stop() {
        unsubscribe();
        await hls.close();
      },
    });
    return run;
  }

  async function stopRun(spaceId: string) {
    const entry = live.get(spaceId);
    live.delete(spaceId);
    runs.delete(spaceId);
    await entry?.stop();
  }

  async function sweep() {
    const ids = [...live.keys()];
    if (ids.length === 0) return;
    const stillLive = await deps.stillLive(ids);
    const now = deps.nowMs();
    for (const id of ids) {
      const entry = live.get(id);
      if (!entry) continue;
      if (!stillLive.has(id) || now - entry.run.lastFetchMs > deps.idleMs) await stopRun(id);
    }
  }

  const sweeper = setInterval(() => {
    sweep().catch((error: unknown) => console.error('broadcast: sweeping runs failed', error));
  }, SWEEP_MS);
  sweeper.unref();

  return {
    /** The space's running broadcast, started if need be; null when the space is not live. */
    fetch(spaceId: string): Promise<BroadcastRun | null> {
      const missed = misses.get(spaceId);
      if (missed !== undefined && deps.nowMs() - missed < MISS_MS) return Promise.resolve(null);
      misses.delete(spaceId);
      let run = runs.get(spaceId);
      if (!run) {
        run = start(spaceId).then((started) => {
          if (started) return started;
          runs.delete(spaceId);
          if (misses.size >= MAX_MISSES) misses.clear();
          misses.set(spaceId, deps.nowMs());
          return null;
        });
        runs.set(spaceId, run);
        run.catch(() => runs.delete(spaceId));
      }
      return run.then((found) => {
        if (found) found.lastFetchMs = deps.nowMs();
        return found;
      });
    },

    /** The running broadcast of a space, if there is one (never starts one). */
    running: (spaceId: string): BroadcastRun | null => live.get(spaceId)?.run ?? null,

    sweep,

    async stop(): Promise<void> {
      clearInterval(sweeper);
      await Promise.all([...live.keys()].map(stopRun));
    },
  };
}

export type BroadcastRuns = ReturnType<typeof createBroadcastRuns>;
