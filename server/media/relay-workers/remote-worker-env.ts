import { hostname } from 'node:os';
import { z } from 'zod';
import type { RemoteWorkerHostOptions } from './remote-worker-host.ts';

const port = z.coerce.number().int().min(0).max(65535);

const envSchema = z.object({
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  /** Must match the API's RELAY_REDIS_PREFIX. */
  RELAY_REDIS_PREFIX: z.string().default('amphi:'),
  RELAY_WORKER_ID: z
    .string()
    .regex(/^[\w.:-]{1,100}$/)
    .optional(),
  RELAY_PORT: port.default(40000),
  RELAY_ANNOUNCED_IP: z.union([z.ipv4(), z.ipv6()]).optional(),
  RELAY_PIPE_PORT: port.optional(),
  RELAY_PIPE_HOST: z.union([z.ipv4(), z.ipv6()]).optional(),
  /** How long the API waits for a silent worker before its sessions are lost. */
  RELAY_WORKER_EXPIRY_MS: z.coerce.number().int().min(1_000).max(60_000).optional(),
});

/**
 * The remote relay worker's environment (`npm run relay-worker`), parsed once like server/env.ts:
 * every problem reported at once.
 */
export function remoteWorkerOptionsFromEnv(
  env: NodeJS.ProcessEnv,
):
  | { ok: true; options: Omit<RemoteWorkerHostOptions, 'onFatal'> }
  | { ok: false; problems: string[] } {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    };
  }
  const e = parsed.data;
  // Beside the media port by default, so one firewall rule can cover both.
  const pipePort = e.RELAY_PIPE_PORT ?? (e.RELAY_PORT === 0 ? 0 : e.RELAY_PORT + 1);
  const host = e.RELAY_PIPE_HOST ?? e.RELAY_ANNOUNCED_IP;
  if (!host) {
    return {
      ok: false,
      problems: [
        'RELAY_PIPE_HOST or RELAY_ANNOUNCED_IP: required (where other workers reach this one)',
      ],
    };
  }
  return {
    ok: true,
    options: {
      redisUrl: e.REDIS_URL,
      prefix: e.RELAY_REDIS_PREFIX,
      id: e.RELAY_WORKER_ID ?? `${hostname()}:${e.RELAY_PORT}`,
      relay: { port: e.RELAY_PORT, announcedIp: e.RELAY_ANNOUNCED_IP },
      pipe: { bindAddress: host.includes(':') ? '::' : '0.0.0.0', port: pipePort, host },
      ...(e.RELAY_WORKER_EXPIRY_MS && {
        timings: {
          expiryMs: e.RELAY_WORKER_EXPIRY_MS,
          heartbeatMs: Math.round(e.RELAY_WORKER_EXPIRY_MS / 4),
        },
      }),
    },
  };
}
