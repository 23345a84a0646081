import { type CaptionsConfig, defaultCaptionsConfig } from './captions/captions-config.ts';
import { defaultMeshPolicy, type MeshPolicy } from './media/mesh-policy.ts';

export type IceServer = { urls: string | string[]; username?: string; credential?: string };

/** Everything `buildApp` needs, parsed once from the environment by env.ts or built by tests. */
export type AppConfig = {
  /** Port to listen on; 0 picks a free one. @default 4000 */
  port: number;
  /** Address to listen on. @default '127.0.0.1' in tests, '0.0.0.0' from env */
  host: string;
  /** Public base URL, used for share links and auth callbacks. */
  publicUrl: string;
  database: DatabaseConfig;
  /** With a Redis URL, space events cross server instances and rate limits are shared. */
  redisUrl: string | undefined;
  auth: {
    /** Secret that signs session cookies. */
    secret: string;
    /** better-auth's per-IP limits on sign-in and sign-up. */
    rateLimit: boolean;
  };
  hosting: {
    /** Followers needed to host a space. @default 600 */
    minFollowers: number;
    /** Followers needed to host a ticketed space. @default 1000 */
    minFollowersTicketed: number;
  };
  spaces: {
    /** How long a space waits for its host to come back before it ends. @default 120_000 */
    hostGraceMs: number;
    /** Reactions are gathered for this long and sent as one event. @default 250 */
    reactionBatchMs: number;
    /** How often abandoned spaces are swept. @default 5_000 */
    sweepIntervalMs: number;
  };
  scheduling: SchedulingConfig;
  ticketing: TicketingConfig;
  media: {
    policy: MeshPolicy;
    /** STUN/TURN servers for browsers and the relay; none are needed on a LAN. @default [] */
    iceServers: IceServer[];
    relay: {
      /** Run the server relay (SFU) in this process. @default true */
      enabled: boolean;
      /** UDP ports the relay may use. @default [40000, 49999] */
      portRange: [number, number];
      /** Address the relay announces, when it differs from the interface's (NAT, containers). */
      announcedIp: string | undefined;
    };
  };
  /** Live captions: which speech engine runs beside the relay. */
  captions: CaptionsConfig;
  limits: {
    /** Mutations one user (or one address, signed out) may run per minute. @default 120 */
    mutationsPerMinute: number;
    /** WebRTC signals (offers, answers, candidates) one user may send per minute. @default 1200 */
    signalsPerMinute: number;
    maxDepth: number;
    maxAliases: number;
    maxCost: number;
  };
  /** Seed demo data when the database is empty. */
  seedWhenEmpty: boolean;
  /** Serve GraphiQL at /graphql. */
  graphiql: boolean;
  http: HttpConfig;
};

/** What the HTTP server accepts from browsers and slow clients. */
export type HttpConfig = {
  /**
   * Origins besides `publicUrl`'s whose pages may use the API with the visitor's cookies
   * (normalized to `scheme://host[:port]`). @default []
   */
  corsOrigins: string[];
  /** A client must finish sending a request's headers within this time. @default 10_000 */
  headersTimeoutMs: number;
  /** A client must finish sending a whole request (headers and body) within this time. @default 30_000 */
  requestTimeoutMs: number;
};

export type SchedulingConfig = {
  /** How far ahead a space may be scheduled. @default 30 */
  maxDaysAhead: number;
  /** Upcoming (SCHEDULED) spaces one host may have at once. @default 10 */
  maxUpcomingPerHost: number;
  /** How long before the start the host is reminded. @default 1_800_000 (30 minutes) */
  hostReminderLeadMs: number;
  /** How long after its start time an unstarted space waits before it is missed. @default 3_600_000 */
  missedAfterMs: number;
  /** How long a claimed job stays with the instance that claimed it. @default 60_000 */
  jobLeaseMs: number;
  /** Jobs one instance claims at a time. @default 50 */
  jobBatchSize: number;
};

export type TicketingConfig = {
  /** Stripe account settings; null means ticketed spaces are unavailable (never free). */
  stripe: StripeConfig | null;
  /** Lowest and highest ticket price, in the currency's minor unit. @default 100 and 99_900 */
  minPriceMinor: number;
  maxPriceMinor: number;
  /** Currencies a host may price in (ISO 4217, lower case). @default ['usd', 'eur', 'gbp'] */
  currencies: string[];
  /** Most seats one ticketed space may sell. @default 10_000 */
  maxSeats: number;
  /**
   * How long a seat is held for an open Checkout Session; the session expires then too. Stripe
   * accepts 30 minutes to 24 hours. @default 1_860_000 (31 minutes)
   */
  holdMs: number;
};

export type StripeConfig = {
  secretKey: string;
  webhookSecret: string;
  /** Where stripe-node sends API calls; tests point it at a local server. @default Stripe's */
  api?: { host: string; port: number; protocol: 'http' | 'https' };
};

export type DatabaseConfig =
  /** Embedded PostgreSQL (PGlite); no dataDir means in memory. */
  { kind: 'pglite'; dataDir: string | undefined } | { kind: 'postgres'; url: string };

export const defaultConfig: AppConfig = {
  port: 4000,
  host: '127.0.0.1',
  publicUrl: 'http://localhost:4000',
  database: { kind: 'pglite', dataDir: undefined },
  redisUrl: undefined,
  auth: { secret: 'amphi-development-secret-change-me-please', rateLimit: false },
  hosting: { minFollowers: 600, minFollowersTicketed: 1000 },
  spaces: { hostGraceMs: 120_000, reactionBatchMs: 250, sweepIntervalMs: 5_000 },
  scheduling: {
    maxDaysAhead: 30,
    maxUpcomingPerHost: 10,
    hostReminderLeadMs: 30 * 60_000,
    missedAfterMs: 60 * 60_000,
    jobLeaseMs: 60_000,
    jobBatchSize: 50,
  },
  ticketing: {
    stripe: null,
    minPriceMinor: 100,
    maxPriceMinor: 99_900,
    currencies: ['usd', 'eur', 'gbp'],
    maxSeats: 10_000,
    holdMs: 31 * 60_000,
  },
  media: {
    policy: defaultMeshPolicy,
    iceServers: [],
    relay: { enabled: true, portRange: [40000, 49999], announcedIp: undefined },
  },
  captions: defaultCaptionsConfig,
  limits: {
    mutationsPerMinute: 120,
    signalsPerMinute: 1200,
    maxDepth: 10,
    maxAliases: 15,
    maxCost: 5000,
  },
  seedWhenEmpty: false,
  graphiql: true,
  http: { corsOrigins: [], headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
};
