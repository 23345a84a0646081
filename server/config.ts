import { type BroadcastConfig, defaultBroadcastConfig } from './broadcast/broadcast-config.ts';
import { type CaptionsConfig, defaultCaptionsConfig } from './captions/captions-config.ts';
import type { RequestRate } from './http/request-budget.ts';
import type { GuestRelayLimits } from './media/guest-limits.ts';
import { defaultMeshPolicy, type MeshPolicy } from './media/mesh-policy.ts';
import { DEFAULT_SPREAD_AFTER } from './media/relay-workers/worker-placement.ts';
import type { TurnConfig } from './media/turn-credentials.ts';
import type { PresenceConfig } from './presence/presence.service.ts';
import { defaultRecordingsConfig, type RecordingsConfig } from './recordings/recordings-config.ts';

export type IceServer = { urls: string | string[]; username?: string; credential?: string };

/** Everything `buildApp` needs, parsed once from the environment by env.ts or built by tests. */
export type AppConfig = {
  /** Port to listen on; 0 picks a free one. @default 4000 */
  port: number;
  /** Address to listen on; loopback keeps the server to this machine. @default '127.0.0.1' */
  host: string;
  /** Public base URL, used for share links and auth callbacks. */
  publicUrl: string;
  database: DatabaseConfig;
  /** With a Redis URL, space events cross server instances and rate limits are shared. */
  redisUrl: string | undefined;
  auth: {
    /**
     * Secret that signs session cookies. Unset, one is generated on the first start and kept in
     * the embedded database's directory (`<DATA_DIR>/auth-secret`, mode 0600), or made per process
     * for an in-memory database; PostgreSQL requires it (its instances must share one).
     * @default undefined
     */
    secret: string | undefined;
    /** better-auth's per-IP limits on sign-in and sign-up. */
    rateLimit: boolean;
    /**
     * Sign-in attempts one account (email) may receive from all addresses together, while
     * `rateLimit` is on. @default { max: 10, windowSeconds: 300 }
     */
    signInsPerAccount: { max: number; windowSeconds: number };
    /**
     * Password checks (sign-ins and sign-ups) that may wait for their turn; past it a sign-in is
     * answered at once with 503 `BUSY` and Retry-After, rather than queued behind seconds of
     * hashing. Per-address budgets bound one client; this bounds many together.
     * @default 64 (about 4 s of scrypt on one core)
     */
    passwordChecksWaiting: number;
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
  /** Participants whose every connection is gone leave the space. */
  presence: PresenceConfig;
  scheduling: SchedulingConfig;
  ticketing: TicketingConfig;
  media: {
    policy: MeshPolicy;
    /** STUN/TURN servers for browsers and the relay; none are needed on a LAN. @default [] */
    iceServers: IceServer[];
    relay: {
      /** Run the server relay (SFU) in this process. @default true */
      enabled: boolean;
      /**
       * The UDP port all sessions of the relay share; worker i uses `port` + i. 0 takes any free
       * port (what tests want); `RELAY_PORT` defaults to 40000. @default 0
       */
      port: number;
      /** Address the relay announces, when it differs from the interface's (NAT, containers). */
      announcedIp: string | undefined;
      /**
       * Relay worker processes, each with one UDP port; 0 runs the relay inside
       * the API process. `RELAY_WORKERS` defaults to one per core. @default 0
       */
      workers: number;
      /**
       * A space's sessions stay on the workers already holding it until they carry this many
       * sessions more than the least loaded worker (each worker holding a space pays for each of
       * its packets); 0 spreads every space over all workers. `RELAY_SPREAD_AFTER`. @default 500
       */
      spreadAfter: number;
      /**
       * Also place sessions on relay workers of other hosts registered in Redis (`npm run
       * relay-worker`); local workers' pipes are then bound on every interface at `pipePort` + i
       * (0: any port) and announced at `pipeHost`. Unset: local workers only, piping on the
       * loopback. `RELAY_REMOTE_WORKERS=true` sets it (needs `REDIS_URL`).
       */
      remote?: { prefix: string; pipeHost: string; pipePort: number };
      /**
       * With a Redis, each space is piped between the relay workers of every API instance. Where
       * instances on other hosts reach this host's workers: bound on every interface at
       * `port` + i (0: any port), announced at `host`. Unset: the loopback (instances on one host).
       * `RELAY_PIPE_HOST` sets it; with remote workers, `remote` says it instead.
       */
      pipe?: { host: string; port: number };
    };
  };
  /** Live captions: which speech engine runs beside the relay. */
  captions: CaptionsConfig;
  /** Recording live spaces (needs the relay). */
  recordings: RecordingsConfig;
  /** The HLS broadcast tier of live spaces (needs the relay). */
  broadcast: BroadcastConfig;
  limits: {
    /** Mutations one user (or one address, signed out) may run per minute. @default 120 */
    mutationsPerMinute: number;
    /** WebRTC signals (offers, answers, candidates) one user may send per minute. @default 1200 */
    signalsPerMinute: number;
    /** Mutations one client address (an IPv6 /64) may run per minute, all accounts together. @default 1200 */
    mutationsPerMinutePerIp: number;
    /** WebRTC signals one client address may send per minute. @default 12000 */
    signalsPerMinutePerIp: number;
    maxDepth: number;
    maxAliases: number;
    maxCost: number;
    /**
     * Results a subscription may have waiting for a client that reads slowly; one more and the
     * subscription ends with `SubscriptionLagging` (the client refetches and subscribes again).
     * @default 256
     */
    subscriptionMaxQueued: number;
    /**
     * Bytes a graphql-ws socket may have written but not yet taken by its client when another
     * message is due; past it the socket is closed with code 4413. @default 4 MiB
     */
    socketMaxBufferedBytes: number;
  };
  /**
   * The work one client address (an IPv6 /64) may ask of this instance: GraphQL requests and
   * operations, auth calls (a password check counts 25), WebSocket upgrades. Past it, requests
   * are refused at once with 429 and Retry-After. null: no limit.
   * @default 20 per second, bursts of 200
   */
  requestRate: RequestRate | null;
  proxies: {
    /**
     * Reverse proxies (IPs or CIDR ranges) whose `X-Forwarded-For` is believed; from any other
     * peer the socket's address is the client's. @default [] (no proxy)
     */
    trusted: string[];
  };
  /**
   * Seed demo data (with a random password) when the database is empty. From env: when
   * `SEED_DEMO_DATA` says so, else only on an embedded database listening on loopback.
   * @default false
   */
  seedWhenEmpty: boolean;
  /** Serve GraphiQL at /graphql. @default true; from env: off when NODE_ENV=production */
  graphiql: boolean;
  /**
   * "Did you mean …?" in GraphQL errors (fields, arguments, types, enum values, input fields),
   * which spell out the schema to anyone probing it.
   * @default false; from env: on unless NODE_ENV=production
   */
  graphqlSuggestions: boolean;
  /** What clients without an account may hold of the media plane, and who may use TURN. */
  mediaAccess: {
    /** Relay sessions of guests (listening without an account). @default 3 per address, 500 in all */
    guestRelay: GuestRelayLimits;
    /**
     * TURN with short-lived credentials (coturn `use-auth-secret`), handed only to clients holding
     * a media session. @default null (no TURN)
     */
    turn: TurnConfig | null;
  };
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
  /**
   * How long one Stripe call may take before the sale gives up, frees the seat and tells the buyer
   * to retry (stripe-node's own default is 80 s). @default 10_000
   */
  stripeTimeoutMs: number;
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
  auth: {
    secret: undefined,
    rateLimit: false,
    signInsPerAccount: { max: 10, windowSeconds: 300 },
    passwordChecksWaiting: 64,
  },
  hosting: { minFollowers: 600, minFollowersTicketed: 1000 },
  spaces: { hostGraceMs: 120_000, reactionBatchMs: 250, sweepIntervalMs: 5_000 },
  presence: { timeoutMs: 30_000 },
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
    stripeTimeoutMs: 10_000,
  },
  media: {
    policy: defaultMeshPolicy,
    iceServers: [],
    relay: {
      enabled: true,
      port: 0,
      announcedIp: undefined,
      workers: 0,
      spreadAfter: DEFAULT_SPREAD_AFTER,
    },
  },
  captions: defaultCaptionsConfig,
  recordings: defaultRecordingsConfig,
  broadcast: defaultBroadcastConfig,
  limits: {
    mutationsPerMinute: 120,
    signalsPerMinute: 1200,
    mutationsPerMinutePerIp: 1200,
    signalsPerMinutePerIp: 12_000,
    maxDepth: 10,
    maxAliases: 15,
    maxCost: 5000,
    subscriptionMaxQueued: 256,
    socketMaxBufferedBytes: 4 * 1024 * 1024,
  },
  requestRate: { perSecond: 20, burst: 200 },
  proxies: { trusted: [] },
  seedWhenEmpty: false,
  graphiql: true,
  graphqlSuggestions: false,
  mediaAccess: {
    guestRelay: { perAddress: 3, perInstance: 500 },
    turn: null,
  },
  http: { corsOrigins: [], headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
};
