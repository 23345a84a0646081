import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { PIPE_KEY_BYTES } from './pipe-seal.ts';
import type { PipeTarget } from './worker-protocol.ts';

/** A pool that stops renewing its presence for this long is gone, and its pipes with it. */
const POOL_EXPIRY_MS = 3_000;
const RENEW_MS = 750;
/** Spaces piped to other pools are read again this often, to notice a pool that vanished. */
const SWEEP_MS = 3_000;
/** A space's record outlives its pools' last renewal by this much, should every pool vanish at once. */
const SPACE_RECORD_TTL_MS = 24 * 60 * 60_000;
const MAX_SENDER_ID = 0xffff_ffff;

export type PipeFederationOptions = { redisUrl: string; prefix: string };

export type PipeFederationEvents = {
  /** Another pool's workers holding the space changed: pipe it anew. */
  onTargets(spaceId: string): void;
  /** A publisher of the space left another pool: forget what was piped from them. */
  onDropPiped(spaceId: string, participantId: string): void;
};

type Notice =
  | { type: 'targets'; from: string; spaceId: string }
  | { type: 'drop'; from: string; spaceId: string; participantId: string };

function parseNotice(message: string): Notice | null {
  try {
    const notice = JSON.parse(message) as Partial<Notice>;
    if (typeof notice.from !== 'string' || typeof notice.spaceId !== 'string') return null;
    if (notice.type === 'targets') return notice as Notice;
    if (notice.type === 'drop' && typeof notice.participantId === 'string') return notice as Notice;
    return null;
  } catch {
    return null;
  }
}

function parseTargets(value: string): PipeTarget[] {
  try {
    const targets = JSON.parse(value) as unknown;
    if (!Array.isArray(targets)) return [];
    return targets.filter(
      (target): target is PipeTarget =>
        typeof target?.host === 'string' &&
        Number.isInteger(target?.port) &&
        Number.isInteger(target?.senderId),
    );
  } catch {
    return [];
  }
}

/**
 * Joins the relay worker pools of every API instance on one Redis, so that a space whose people
 * came through different instances is one cascade: each pool records, per space, the pipes of
 * its workers holding the space, and pipes its publishers to the other pools' holders too.
 *
 * The pools seal with one key, made by the first pool and kept in Redis, and draw their workers'
 * sender ids from one counter there, so no two workers ever seal with the same nonce. Whoever
 * reads that Redis can forge piped audio; it can already drive remote workers, so it is trusted.
 *
 * Keys, under `prefix`: `relay-pipe-key`, `relay-pipe-senders`, `relay-pool:<id>` (expires unless
 * its pool renews it), `relay-space-pipes:<space id>` (a hash: pool id → that pool's holders);
 * channel `relay-space-pipes` says which space changed, or which publisher left one.
 */
export async function startPipeFederation(
  options: PipeFederationOptions,
  events: PipeFederationEvents,
) {
  const { prefix } = options;
  const keys = {
    pipeKey: `${prefix}relay-pipe-key`,
    senders: `${prefix}relay-pipe-senders`,
    pool: (id: string) => `${prefix}relay-pool:${id}`,
    space: (spaceId: string) => `${prefix}relay-space-pipes:${spaceId}`,
    channel: `${prefix}relay-space-pipes`,
  };
  const poolId = randomUUID();
  const redisOptions = { disableClientInfo: true, maxRetriesPerRequest: 1 };
  const commands = new Redis(options.redisUrl, redisOptions);
  const subscriber = new Redis(options.redisUrl, { ...redisOptions, maxRetriesPerRequest: null });
  // Failures show where they matter (commands reject, the pool logs its outage): unheard, ioredis
  // would print every reconnection attempt of a pool that keeps trying to join.
  for (const client of [commands, subscriber]) client.on('error', () => {});
  /** What this pool last recorded per space, to record only changes. */
  const recorded = new Map<string, string>();
  /** The other pools' holders of each space this pool holds. */
  const others = new Map<string, PipeTarget[]>();
  /** The latest read per space: an older read that answers late is not applied. */
  const reads = new Map<string, number>();
  let readCount = 0;
  let stopped = false;

  try {
    await commands.set(keys.pipeKey, randomBytes(PIPE_KEY_BYTES), 'NX');
    const key = await commands.getBuffer(keys.pipeKey);
    if (key?.length !== PIPE_KEY_BYTES) throw new Error(`${keys.pipeKey} is not a pipe key.`);
    await commands.set(keys.pool(poolId), '1', 'PX', POOL_EXPIRY_MS);
    subscriber.on('message', (_channel: string, message: string) => {
      const notice = parseNotice(message);
      if (!notice || notice.from === poolId || stopped) return;
      if (notice.type === 'drop') events.onDropPiped(notice.spaceId, notice.participantId);
      else if (others.has(notice.spaceId)) void read(notice.spaceId);
    });
    await subscriber.subscribe(keys.channel);

    const renew = setInterval(() => {
      commands.set(keys.pool(poolId), '1', 'PX', POOL_EXPIRY_MS).catch(() => {});
    }, RENEW_MS);
    renew.unref();
    const sweep = setInterval(() => {
      for (const [spaceId, targets] of others) if (targets.length > 0) void read(spaceId);
      // A space held longer than the record's lifetime keeps its record.
      for (const spaceId of recorded.keys()) {
        commands.pexpire(keys.space(spaceId), SPACE_RECORD_TTL_MS).catch(() => {});
      }
    }, SWEEP_MS);
    sweep.unref();

    function publish(notice: Notice): void {
      commands.publish(keys.channel, JSON.stringify(notice)).catch(() => {});
    }

    /** Reads the space's other holders, drops pools that are gone, and repipes on a change. */
    async function read(spaceId: string): Promise<void> {
      const mine = ++readCount;
      reads.set(spaceId, mine);
      try {
        const record = await commands.hgetall(keys.space(spaceId));
        const pools = Object.keys(record).filter((id) => id !== poolId);
        const alive = pools.length > 0 ? await commands.mget(pools.map((id) => keys.pool(id))) : [];
        const gone = pools.filter((_, index) => alive[index] === null);
        if (gone.length > 0) await commands.hdel(keys.space(spaceId), ...gone);
        if (stopped || reads.get(spaceId) !== mine || !others.has(spaceId)) return;
        const targets = pools
          .filter((_, index) => alive[index] !== null)
          .flatMap((id) => parseTargets(record[id] ?? ''));
        if (JSON.stringify(targets) === JSON.stringify(others.get(spaceId))) return;
        others.set(spaceId, targets);
        events.onTargets(spaceId);
      } catch {
        // Redis is away: the pipes stay as they were until the next notice or sweep.
      }
    }

    return {
      key: new Uint8Array(key),

      /** A sender id no worker of any pool has sealed with. */
      async nextSenderId(): Promise<number> {
        const senderId = await commands.incr(keys.senders);
        if (senderId > MAX_SENDER_ID) {
          throw new Error(
            `Pipe sender ids are used up: delete ${keys.pipeKey} and ${keys.senders}.`,
          );
        }
        return senderId;
      },

      /** The other pools' workers holding the space, as last read. */
      targets(spaceId: string): PipeTarget[] {
        return others.get(spaceId) ?? [];
      },

      /**
       * Records this pool's workers holding the space (none: it left the space) and tells the
       * other pools when that changed.
       */
      record(spaceId: string, holders: PipeTarget[]): void {
        if (stopped) return;
        if (holders.length > 0 && !others.has(spaceId)) {
          others.set(spaceId, []);
          void read(spaceId);
        } else if (holders.length === 0) {
          others.delete(spaceId);
          reads.delete(spaceId);
        }
        const value = JSON.stringify(holders);
        if ((recorded.get(spaceId) ?? '[]') === value) return;
        const space = keys.space(spaceId);
        if (holders.length > 0) {
          recorded.set(spaceId, value);
          commands
            .multi()
            .hset(space, poolId, value)
            .pexpire(space, SPACE_RECORD_TTL_MS)
            .exec()
            .catch(() => {});
        } else {
          recorded.delete(spaceId);
          commands.hdel(space, poolId).catch(() => {});
        }
        publish({ type: 'targets', from: poolId, spaceId });
      },

      /** Tells the other pools that a publisher of the space left this one. */
      dropPiped(spaceId: string, participantId: string): void {
        if (!stopped) publish({ type: 'drop', from: poolId, spaceId, participantId });
      },

      async stop(): Promise<void> {
        if (stopped) return;
        stopped = true;
        clearInterval(renew);
        clearInterval(sweep);
        const left = [...recorded.keys()];
        await Promise.all([
          ...left.map(async (spaceId) => {
            await commands.hdel(keys.space(spaceId), poolId);
            await commands.publish(
              keys.channel,
              JSON.stringify({ type: 'targets', from: poolId, spaceId }),
            );
          }),
          commands.del(keys.pool(poolId)),
        ]).catch(() => {});
        subscriber.disconnect();
        commands.disconnect();
      },
    };
  } catch (error) {
    subscriber.disconnect();
    commands.disconnect();
    throw error;
  }
}

export type PipeFederation = Awaited<ReturnType<typeof startPipeFederation>>;
