import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RelayConfig } from '../relay/relay-types.ts';
import { startWorkerRuntime, type WorkerRuntime } from './relay-worker-runtime.ts';
import {
  decodeEnvelope,
  defaultRemoteWorkerTimings,
  encodeEnvelope,
  type RemoteWorkerRegistration,
  type RemoteWorkerTimings,
  remoteWorkerKeys,
} from './remote-worker-keys.ts';
import type { ApiToWorker, WorkerToApi } from './worker-protocol.ts';

export type RemoteWorkerHostOptions = {
  redisUrl: string;
  /** @default 'amphi:' */
  prefix?: string;
  /** Unique among the workers sharing the Redis. */
  id: string;
  /** The worker's media port (ICE, DTLS, SRTP) and announced address; the API's are not used. */
  relay: Pick<RelayConfig, 'port' | 'announcedIp'>;
  /** The pipe socket: bound on `bindAddress`:`port`, reached by other workers at `host`. */
  pipe: { bindAddress: string; port: number; host: string };
  timings?: RemoteWorkerTimings;
  /** The relay cannot run (its port is taken): the process should end. */
  onFatal(error: unknown): void;
};

/**
 * A relay worker on its own host, driven over Redis: it registers itself (renewed, expiring if
 * it vanishes), waits for an API to lease it, and then runs the same worker runtime as a local
 * worker, with the same messages. When its API's lease lapses, it drops everything and waits to
 * be leased again.
 */
export async function startRemoteWorkerHost(options: RemoteWorkerHostOptions) {
  const keys = remoteWorkerKeys(options.prefix ?? 'amphi:');
  const timings = options.timings ?? defaultRemoteWorkerTimings;
  const redisOptions = { disableClientInfo: true, maxRetriesPerRequest: null };
  const commands = new Redis(options.redisUrl, redisOptions);
  const subscriber = new Redis(options.redisUrl, redisOptions);
  const registration: RemoteWorkerRegistration = {
    id: options.id,
    boot: randomUUID(),
    pipeHost: options.pipe.host,
    pipePort: options.pipe.port,
  };
  let owner: { lease: string; runtime: WorkerRuntime } | null = null;
  let stopped = false;

  function post(lease: string, message: WorkerToApi): void {
    commands.publish(keys.toApi(options.id), encodeEnvelope({ lease, message })).catch(() => {});
  }

  async function release(): Promise<void> {
    const previous = owner;
    owner = null;
    await previous?.runtime.shutdown();
  }

  async function onMessage(bytes: Buffer): Promise<void> {
    const envelope = decodeEnvelope<ApiToWorker>(bytes);
    if (!envelope || stopped) return;
    const { lease, message } = envelope;
    if (message.type === 'start') {
      // Only the API holding the lease now may (re)start the worker.
      if ((await commands.get(keys.lease(options.id))) !== lease) return;
      await release();
      const start = {
        ...message,
        config: { ...message.config, ...options.relay },
        pipe: {
          ...message.pipe,
          bind: { address: options.pipe.bindAddress, port: options.pipe.port },
          host: options.pipe.host,
        },
      };
      owner = {
        lease,
        runtime: startWorkerRuntime(start, {
          post: (reply) => post(lease, reply),
          onFatal: options.onFatal,
        }),
      };
      return;
    }
    if (owner?.lease !== lease) return;
    owner.runtime.handle(message);
    if (message.type === 'stop') owner = null;
  }

  async function heartbeat(): Promise<void> {
    await commands
      .multi()
      .set(keys.registration(options.id), JSON.stringify(registration), 'PX', timings.expiryMs)
      .sadd(keys.registry, options.id)
      .exec();
    // The API that leased this worker is gone (or gave it up): its sessions have no one to close them.
    if (owner && (await commands.get(keys.lease(options.id))) !== owner.lease) await release();
  }

  subscriber.on('messageBuffer', (_channel: Buffer, bytes: Buffer) => {
    onMessage(bytes).catch((error: unknown) =>
      console.error('Relay worker: a message failed', error),
    );
  });
  await subscriber.subscribe(keys.toWorker(options.id));
  await heartbeat();
  const timer = setInterval(() => {
    heartbeat().catch((error: unknown) => console.error('Relay worker: heartbeat failed', error));
  }, timings.heartbeatMs);

  return {
    id: options.id,
    /** Deregisters, closes the relay and the connections. */
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await release();
      await commands
        .multi()
        .del(keys.registration(options.id))
        .srem(keys.registry, options.id)
        .exec()
        .catch(() => {});
      subscriber.disconnect();
      commands.disconnect();
    },
  };
}
