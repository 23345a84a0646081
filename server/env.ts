import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { type AppConfig, defaultConfig, type StripeConfig } from './config.ts';
import { invalidProxyEntries } from './http/client-address.ts';
import { isLoopbackHost } from './http/loopback.ts';

const port = z.coerce.number().int().min(0).max(65535);
const count = z.coerce.number().int().min(0);
/** A comma-separated list, entries trimmed, empty entries dropped. */
const commaList = z.string().transform((text) =>
  text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean),
);
const flag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port.default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  AUTH_SECRET: z.string().min(32).optional(),
  HOST_MIN_FOLLOWERS: count.default(defaultConfig.hosting.minFollowers),
  TICKETED_HOST_MIN_FOLLOWERS: count.default(defaultConfig.hosting.minFollowersTicketed),
  HOST_GRACE_SECONDS: count.default(defaultConfig.spaces.hostGraceMs / 1000),
  PRESENCE_TIMEOUT_SECONDS: count.min(1).default(defaultConfig.presence.timeoutMs / 1000),
  SCHEDULE_MAX_DAYS_AHEAD: count.default(defaultConfig.scheduling.maxDaysAhead),
  SCHEDULED_SPACES_PER_HOST: count.default(defaultConfig.scheduling.maxUpcomingPerHost),
  SCHEDULED_MISSED_AFTER_MINUTES: count.default(defaultConfig.scheduling.missedAfterMs / 60_000),
  MUTATIONS_PER_MINUTE: count.default(defaultConfig.limits.mutationsPerMinute),
  SEED_DEMO_DATA: flag.optional(),
  MESH_MAX_PARTICIPANTS: count.default(defaultConfig.media.policy.maxMeshParticipants),
  ICE_SERVERS: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON array of RTCIceServer' });
        return z.NEVER;
      }
    })
    .pipe(
      z.array(
        z.object({
          urls: z.union([z.string(), z.array(z.string())]),
          username: z.string().optional(),
          credential: z.string().optional(),
        }),
      ),
    )
    .optional(),
  RELAY_ENABLED: flag.default(true),
  RELAY_PORT: port.default(40000),
  RELAY_ANNOUNCED_IP: z.union([z.ipv4(), z.ipv6()]).optional(),
  RELAY_WORKERS: count.default(availableParallelism()),
  RELAY_SPREAD_AFTER: count.default(defaultConfig.media.relay.spreadAfter),
  RELAY_REMOTE_WORKERS: flag.default(false),
  RELAY_REDIS_PREFIX: z.string().default('amphi:'),
  RELAY_PIPE_HOST: z.union([z.ipv4(), z.ipv6()]).optional(),
  RELAY_PIPE_PORT: port.default(0),
  TICKETING_ENABLED: flag.default(false),
  STRIPE_SECRET_KEY: z
    .string()
    .regex(/^(sk|rk)_/, 'must be a Stripe secret key')
    .optional(),
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
  STRIPE_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  TICKET_PRICE_MIN_MINOR: count.min(1).default(defaultConfig.ticketing.minPriceMinor),
  TICKET_PRICE_MAX_MINOR: count.min(1).default(defaultConfig.ticketing.maxPriceMinor),
  TICKET_CURRENCIES: commaList
    .transform((codes) => codes.map((code) => code.toLowerCase()))
    .pipe(z.array(z.string().regex(/^[a-z]{3}$/, 'must be ISO 4217 codes, comma-separated')))
    .optional(),
  CAPTIONS_ENGINE: z.enum(['pocketsphinx', 'off']).default('pocketsphinx'),
  POCKETSPHINX_PYTHON: z.string().min(1).optional(),
  POCKETSPHINX_ACOUSTIC_MODEL: z.string().min(1).optional(),
  POCKETSPHINX_LANGUAGE_MODEL: z.string().min(1).optional(),
  POCKETSPHINX_DICTIONARY: z.string().min(1).optional(),
  GRAPHIQL: flag.optional(),
  GRAPHQL_SUGGESTIONS: flag.optional(),
  STRIPE_TIMEOUT_MS: count.min(1).default(defaultConfig.ticketing.stripeTimeoutMs),
  GUEST_RELAY_SESSIONS_PER_IP: count.default(defaultConfig.mediaAccess.guestRelay.perAddress),
  GUEST_RELAY_SESSIONS_MAX: count.default(defaultConfig.mediaAccess.guestRelay.perInstance),
  TURN_URLS: commaList
    .pipe(
      z.array(z.string().regex(/^turns?:\S+$/, 'must be turn: or turns: URLs, comma-separated')),
    )
    .optional(),
  BROADCAST_URL_SECRET: z.string().min(32).optional(),
  BROADCAST_URL_TTL_SECONDS: count.min(60).default(defaultConfig.broadcast.urlTtlSeconds),
  BROADCAST_AFTER_LISTENERS: count.default(defaultConfig.broadcast.afterListeners),
  TURN_SECRET: z.string().min(16).optional(),
  TURN_TTL_SECONDS: count.min(60).default(600),
  TRUSTED_PROXIES: commaList
    .refine((entries) => invalidProxyEntries(entries).length === 0, {
      message: 'must be IP addresses or CIDR ranges, comma-separated',
    })
    .optional(),
  MUTATIONS_PER_MINUTE_PER_IP: count.default(defaultConfig.limits.mutationsPerMinutePerIp),
  REQUESTS_PER_SECOND_PER_IP: count.default(defaultConfig.requestRate?.perSecond ?? 0),
  REQUEST_BURST_PER_IP: count.min(1).default(defaultConfig.requestRate?.burst ?? 1),
  SUBSCRIPTION_MAX_QUEUED: count.min(1).default(defaultConfig.limits.subscriptionMaxQueued),
  CORS_ORIGINS: commaList
    .pipe(z.array(z.url({ protocol: /^https?$/ }).transform((url) => new URL(url).origin)))
    .optional(),
});

/** Parses the environment once; reports every problem at once and exits on any. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = parseConfig(env);
  if (parsed.ok) return parsed.config;
  console.error('Amphi cannot start; fix these environment variables:');
  for (const problem of parsed.problems) console.error(`  ${problem}`);
  return process.exit(1);
}

export function parseConfig(
  env: NodeJS.ProcessEnv,
): { ok: true; config: AppConfig } | { ok: false; problems: string[] } {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  // Checked apart from the schema so it is reported alongside any other problem.
  if (env['NODE_ENV'] === 'production' && !env['AUTH_SECRET']) {
    problems.push('AUTH_SECRET: required in production');
  } else if (env['DATABASE_URL'] && !env['AUTH_SECRET']) {
    problems.push('AUTH_SECRET: required with DATABASE_URL (instances sharing it must share one)');
  }
  if (parsed.success && parsed.data.TICKETING_ENABLED) {
    for (const name of ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const) {
      if (!parsed.data[name]) problems.push(`${name}: required when TICKETING_ENABLED is true`);
    }
  }
  if (parsed.success && parsed.data.TICKET_PRICE_MIN_MINOR > parsed.data.TICKET_PRICE_MAX_MINOR) {
    problems.push('TICKET_PRICE_MIN_MINOR: must not exceed TICKET_PRICE_MAX_MINOR');
  }
  if (parsed.success && Boolean(parsed.data.TURN_URLS) !== Boolean(parsed.data.TURN_SECRET)) {
    problems.push('TURN_URLS and TURN_SECRET: set both (coturn static-auth-secret) or neither');
  }
  if (parsed.success && parsed.data.RELAY_REMOTE_WORKERS && !parsed.data.REDIS_URL) {
    problems.push('REDIS_URL: required when RELAY_REMOTE_WORKERS is true');
  }
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  return { ok: true, config: toConfig(parsed.data) };
}

function toConfig(e: z.output<typeof envSchema>): AppConfig {
  return {
    ...defaultConfig,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: e.DATA_DIR },
    redisUrl: e.REDIS_URL,
    auth: { ...defaultConfig.auth, secret: e.AUTH_SECRET, rateLimit: e.NODE_ENV !== 'test' },
    hosting: {
      minFollowers: e.HOST_MIN_FOLLOWERS,
      minFollowersTicketed: e.TICKETED_HOST_MIN_FOLLOWERS,
    },
    spaces: { ...defaultConfig.spaces, hostGraceMs: e.HOST_GRACE_SECONDS * 1000 },
    presence: { timeoutMs: e.PRESENCE_TIMEOUT_SECONDS * 1000 },
    scheduling: {
      ...defaultConfig.scheduling,
      maxDaysAhead: e.SCHEDULE_MAX_DAYS_AHEAD,
      maxUpcomingPerHost: e.SCHEDULED_SPACES_PER_HOST,
      missedAfterMs: e.SCHEDULED_MISSED_AFTER_MINUTES * 60_000,
    },
    limits: {
      ...defaultConfig.limits,
      mutationsPerMinute: e.MUTATIONS_PER_MINUTE,
      mutationsPerMinutePerIp: e.MUTATIONS_PER_MINUTE_PER_IP,
      subscriptionMaxQueued: e.SUBSCRIPTION_MAX_QUEUED,
    },
    requestRate:
      e.REQUESTS_PER_SECOND_PER_IP > 0
        ? { perSecond: e.REQUESTS_PER_SECOND_PER_IP, burst: e.REQUEST_BURST_PER_IP }
        : null,
    proxies: { trusted: e.TRUSTED_PROXIES ?? [] },
    ticketing: {
      ...defaultConfig.ticketing,
      stripe: stripeConfig(e),
      minPriceMinor: e.TICKET_PRICE_MIN_MINOR,
      maxPriceMinor: e.TICKET_PRICE_MAX_MINOR,
      currencies: e.TICKET_CURRENCIES ?? defaultConfig.ticketing.currencies,
      stripeTimeoutMs: e.STRIPE_TIMEOUT_MS,
    },
    mediaAccess: {
      guestRelay: {
        perAddress: e.GUEST_RELAY_SESSIONS_PER_IP,
        perInstance: e.GUEST_RELAY_SESSIONS_MAX,
      },
      turn:
        e.TURN_URLS && e.TURN_SECRET
          ? { urls: e.TURN_URLS, secret: e.TURN_SECRET, ttlSeconds: e.TURN_TTL_SECONDS }
          : null,
    },
    media: {
      policy: { ...defaultConfig.media.policy, maxMeshParticipants: e.MESH_MAX_PARTICIPANTS },
      iceServers: e.ICE_SERVERS ?? [],
      relay: {
        enabled: e.RELAY_ENABLED,
        port: e.RELAY_PORT,
        announcedIp: e.RELAY_ANNOUNCED_IP,
        workers: e.RELAY_WORKERS,
        spreadAfter: e.RELAY_SPREAD_AFTER,
        ...(e.RELAY_REMOTE_WORKERS && {
          remote: {
            prefix: e.RELAY_REDIS_PREFIX,
            pipeHost: e.RELAY_PIPE_HOST ?? e.RELAY_ANNOUNCED_IP ?? '127.0.0.1',
            pipePort: e.RELAY_PIPE_PORT,
          },
        }),
        ...(e.RELAY_PIPE_HOST && { pipe: { host: e.RELAY_PIPE_HOST, port: e.RELAY_PIPE_PORT } }),
      },
    },
    recordings: { dir: join(e.DATA_DIR, 'recordings') },
    broadcast: {
      ...defaultConfig.broadcast,
      urlSecret: e.BROADCAST_URL_SECRET,
      urlTtlSeconds: e.BROADCAST_URL_TTL_SECONDS,
      afterListeners: e.BROADCAST_AFTER_LISTENERS,
    },
    captions: {
      engine: e.CAPTIONS_ENGINE,
      pocketsphinx: {
        python: e.POCKETSPHINX_PYTHON,
        acousticModel: e.POCKETSPHINX_ACOUSTIC_MODEL,
        languageModel: e.POCKETSPHINX_LANGUAGE_MODEL,
        dictionary: e.POCKETSPHINX_DICTIONARY,
      },
    },
    seedWhenEmpty: e.SEED_DEMO_DATA ?? (isLoopbackHost(e.HOST) && !e.DATABASE_URL),
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
    graphqlSuggestions: e.GRAPHQL_SUGGESTIONS ?? e.NODE_ENV !== 'production',
    http: { ...defaultConfig.http, corsOrigins: e.CORS_ORIGINS ?? [] },
  };
}

function stripeConfig(e: z.output<typeof envSchema>): StripeConfig | null {
  if (!e.TICKETING_ENABLED || !e.STRIPE_SECRET_KEY || !e.STRIPE_WEBHOOK_SECRET) return null;
  const api = e.STRIPE_API_URL ? new URL(e.STRIPE_API_URL) : undefined;
  return {
    secretKey: e.STRIPE_SECRET_KEY,
    webhookSecret: e.STRIPE_WEBHOOK_SECRET,
    ...(api && {
      api: {
        host: api.hostname,
        port: Number(api.port) || (api.protocol === 'https:' ? 443 : 80),
        protocol: api.protocol === 'https:' ? ('https' as const) : ('http' as const),
      },
    }),
  };
}
