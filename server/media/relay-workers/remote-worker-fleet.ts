import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { RelayError } from '../relay/relay-error.ts';
import type { RelayConfig } from '../relay/relay-types.ts';
import {
  bootOf,
  decodeEnvelope,
  defaultRemoteWorkerTimings,
  encodeEnvelope,
  RENEW_LEASE_SCRIPT,
  type RemoteWorkerTimings,
  remoteWorkerKeys,
} from './remote-worker-keys.ts';
import { createWorkerCalls, type RelayWorker, type RelayWorkerEvents } from './worker-calls.ts';
import type { ApiToWorker, PipeAddress, PipeSetup, WorkerToApi } from './worker-protocol.ts';

/** A remote worker that does not say `ready` in this time after `start` is given up. */
const READY_TIMEOUT_MS = 5_000;
/** A remote worker that does not answer `stop` in this time is left to its lease's expiry. */
const STOP_TIMEOUT_MS = 5_000;

export type RemoteWorkersOptions = {
  redisUrl: string;
  /** @default 'amphi:' */
  prefix?: string;
  timings?: RemoteWorkerTimings;
};

/** A remote worker this API holds the lease of: start it to get its handle. */
export type LeasedWorker = {
  id: string;
  start(config: RelayConfig, pipe: PipeSetup, events: RelayWorkerEvents): Promise<RelayWorker>;
};

type Held = {
  id: string;
  /** The worker's run when it was leased. */
  boot: string;
  lease: string;
  onReport(message: WorkerToApi): void;
  /** The worker vanished or the lease was lost (`cause`: which). */
  onGone(cause: string): void;
};

/**
 * The API's side of remote relay workers: finds the workers registered in Redis, leases the free
 * ones (one API drives a worker at a time), renews its leases, and notices within
 * `expiryMs` + `heartbeatMs` a worker that stopped renewing its registration (a crash, a
 * vanished host). Messages to and from a worker go over Redis pub/sub.
 */
export async function startRemoteWorkers(
  options: RemoteWorkersOptions,
  onLeased: (worker: LeasedWorker) => void,
) {
  const keys = remoteWorkerKeys(options.prefix ?? 'amphi:');
  const timings = options.timings ?? defaultRemoteWorkerTimings;
  const redisOptions = { disableClientInfo: true, maxRetriesPerRequest: 1 };
  const commands = new Redis(options.redisUrl, redisOptions);
  const subscriber = new Redis(options.redisUrl, { ...redisOptions, maxRetriesPerRequest: null });
  const held = new Map<string, Held>();
  const channels = new Map<string, Held>();
  let stopped = false;

  subscriber.on('messageBuffer', (channel: Buffer, bytes: Buffer) => {
    const worker = channels.get(channel.toString());
    const envelope = decodeEnvelope<WorkerToApi>(bytes);
    if (worker && envelope?.lease === worker.lease) worker.onReport(envelope.message);
  });

  function drop(worker: Held, cause: string): void {
    if (held.get(worker.id) !== worker) return;
    held.delete(worker.id);
    channels.delete(keys.toApi(worker.id));
    subscriber.unsubscribe(keys.toApi(worker.id)).catch(() => {});
    giveUp(worker.id, worker.lease);
    worker.onGone(cause);
  }

  /** Ends a lease at once, if it is still this one (another API may hold the worker now). */
  function giveUp(id: string, lease: string): Promise<unknown> {
    return commands.eval(RENEW_LEASE_SCRIPT, 1, keys.lease(id), lease, 1).catch(() => {});
  }

  function leased(id: string, boot: string, lease: string): LeasedWorker {
    return {
      id,
      start: (config, pipe, events) => {
        const send = (message: ApiToWorker) => {
          if (!gone)
            commands.publish(keys.toWorker(id), encodeEnvelope({ lease, message })).catch(() => {});
        };
        const calls = createWorkerCalls(send);
        let gone = false;
        let onReady: ((pipe: PipeAddress) => void) | undefined;
        const worker: Held = {
          id,
          boot,
          lease,
          onReport(message) {
            if (message.type === 'ready') onReady?.(message.pipe);
            else if (message.type === 'reply') calls.settle(message);
            else events.onMessage(message);
          },
          onGone(cause) {
            gone = true;
            calls.end();
            events.onExit(cause);
          },
        };
        held.set(id, worker);
        channels.set(keys.toApi(id), worker);
        const ready = new Promise<PipeAddress>((resolve, reject) => {
          onReady = resolve;
          setTimeout(
            () => reject(new RelayError('CLOSED', `Remote relay worker ${id} did not start.`)),
            READY_TIMEOUT_MS,
          ).unref();
        });
        // Awaited only once subscribed: a failed subscription must not leave it unhandled.
        ready.catch(() => {});
        const started = async (): Promise<RelayWorker> => {
          let address: PipeAddress;
          try {
            await subscriber.subscribe(keys.toApi(id));
            send({ type: 'start', config, pipe });
            address = await ready;
          } catch (error) {
            drop(worker, 'it did not start');
            throw error;
          }
          return {
            pid: undefined,
            pipe: address,
            call: calls.call,
            command: send,
            get alive() {
              return !gone;
            },
            async stop() {
              if (gone) return;
              // A worker that does not answer is left to its lease's expiry.
              await Promise.race([
                calls.call({ type: 'stop' }).catch(() => {}),
                sleep(STOP_TIMEOUT_MS, undefined, { ref: false }),
              ]);
              gone = true;
              calls.end();
              // Stopped on purpose: no loss to report.
              held.delete(id);
              channels.delete(keys.toApi(id));
              await subscriber.unsubscribe(keys.toApi(id)).catch(() => {});
              await giveUp(id, lease);
            },
          };
        };
        return started();
      },
    };
  }

  async function sweep(): Promise<void> {
    const ids = await commands.smembers(keys.registry);
    for (const id of ids) {
      if (stopped) return;
      const worker = held.get(id);
      const boot = bootOf(await commands.get(keys.registration(id)));
      if (worker) {
        const renewed = await commands.eval(
          RENEW_LEASE_SCRIPT,
          1,
          keys.lease(id),
          worker.lease,
          timings.expiryMs,
        );
        // Expired, or restarted under the same id: either way its sessions are gone.
        if (boot !== worker.boot) drop(worker, 'its host restarted it');
        else if (!renewed) drop(worker, 'its lease expired');
        continue;
      }
      if (boot === undefined) {
        await commands.srem(keys.registry, id);
        continue;
      }
      const lease = randomUUID();
      const claimed = await commands.set(keys.lease(id), lease, 'PX', timings.expiryMs, 'NX');
      if (claimed === 'OK') onLeased(leased(id, boot, lease));
    }
    // A held worker whose id left the registry (deregistered on shutdown) is gone too.
    for (const worker of [...held.values()]) {
      if (!ids.includes(worker.id)) drop(worker, 'it left the registry');
    }
  }

  let sweeping: Promise<void> | null = null;
  const timer = setInterval(() => {
    // A slow Redis must not stack sweeps up.
    if (sweeping) return;
    sweeping = sweep()
      .catch((error: unknown) => {
        console.error('Remote relay workers: could not check the registry', error);
      })
      .finally(() => {
        sweeping = null;
      });
  }, timings.heartbeatMs);
  await sweep();

  return {
    /** Stops looking for workers; the pool stops the leased ones. */
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      await sweeping;
      subscriber.disconnect();
      commands.disconnect();
    },
  };
}

export type RemoteWorkers = Awaited<ReturnType<typeof startRemoteWorkers>>;
