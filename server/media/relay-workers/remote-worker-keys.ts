import { deserialize, serialize } from 'node:v8';
import type { ApiToWorker, WorkerToApi } from './worker-protocol.ts';

/**
 * What a remote worker registers in Redis: who it is, which run of it (a worker restarted under
 * the same id has lost its sessions), and where its pipe is reached.
 */
export type RemoteWorkerRegistration = {
  id: string;
  boot: string;
  pipeHost: string;
  pipePort: number;
};

/** The run a registration names; undefined if there is none (expired) or it is not one. */
export function bootOf(registration: string | null): string | undefined {
  if (registration === null) return undefined;
  try {
    const { boot } = JSON.parse(registration) as Partial<RemoteWorkerRegistration>;
    return typeof boot === 'string' ? boot : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where remote relay workers and the API meet in Redis, under one prefix (so tests, and several
 * deployments sharing a Redis, keep apart):
 * - `<prefix>relay-workers`: the set of worker ids ever registered (pruned by the API);
 * - `<prefix>relay-worker:<id>`: its registration, expiring unless the worker renews it;
 * - `<prefix>relay-worker:<id>:lease`: the token of the API lease that drives it, expiring unless
 *   the API renews it;
 * - channels `<prefix>relay-worker:<id>:in` (API to worker) and `:out` (worker to API).
 */
export function remoteWorkerKeys(prefix: string) {
  const worker = (id: string) => `${prefix}relay-worker:${id}`;
  return {
    registry: `${prefix}relay-workers`,
    registration: worker,
    lease: (id: string) => `${worker(id)}:lease`,
    toWorker: (id: string) => `${worker(id)}:in`,
    toApi: (id: string) => `${worker(id)}:out`,
  };
}

export type RemoteWorkerKeys = ReturnType<typeof remoteWorkerKeys>;

/** Timings of registrations and leases. */
export type RemoteWorkerTimings = {
  /** A registration or lease not renewed for this long is gone. @default 3_000 */
  expiryMs: number;
  /** How often they are renewed and checked. @default 750 */
  heartbeatMs: number;
};

export const defaultRemoteWorkerTimings: RemoteWorkerTimings = {
  expiryMs: 3_000,
  heartbeatMs: 750,
};

/**
 * One control message on a channel, with the lease it belongs to: a worker obeys only the API
 * holding its lease, and an API hears only the worker it leased now (not one from before a
 * restart). Serialized as IPC's `advanced` serialization does, so bytes stay bytes.
 */
export type Envelope<Message> = { lease: string; message: Message };

export const encodeEnvelope = <Message extends ApiToWorker | WorkerToApi>(
  envelope: Envelope<Message>,
): Buffer => serialize(envelope);

/** Undefined for anything that is not an envelope (a stray publish on the channel). */
export function decodeEnvelope<Message>(bytes: Buffer): Envelope<Message> | undefined {
  try {
    const value: unknown = deserialize(bytes);
    if (typeof value !== 'object' || value === null) return undefined;
    const { lease, message } = value as Record<string, unknown>;
    if (typeof lease !== 'string' || typeof message !== 'object' || message === null) {
      return undefined;
    }
    return { lease, message: message as Message };
  } catch {
    return undefined;
  }
}

/** Renews a lease only while it is still this token's. */
export const RENEW_LEASE_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;
