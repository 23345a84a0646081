import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { toNodeHandler } from 'better-auth/node';
import { createYoga } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { broadcastKey } from './broadcast/broadcast-signature.ts';
import { type Clock, systemClock } from './clock.ts';
import type { AppConfig } from './config.ts';
import { openDatabase } from './db/database.ts';
import { seedDemoIfEmpty } from './demo-data.ts';
import { hideSuggestions } from './graphql/hide-suggestions.ts';
import { useOperationLimits } from './graphql/operation-limits-plugin.ts';
import { useSharedSubscriptionExecution } from './graphql/shared-subscription-execution.ts';
import { createSubscriptionBacklog } from './graphql/subscription-backlog.ts';
import { createClientAddress, limitGroupOf, stampClientAddress } from './http/client-address.ts';
import { corsOptions } from './http/cors-options.ts';
import { serveGraphqlWs } from './http/graphql-ws.ts';
import { useOriginGuard } from './http/origin-guard.ts';
import { createOriginPolicy } from './http/origin-policy.ts';
import { mutationRateLimits } from './http/rate-limits.ts';
import { createRefusalHold } from './http/refusal-hold.ts';
import { createRequestBudget } from './http/request-budget.ts';
import { createContextFactory, headersOf, type ServerContext } from './http/request-context.ts';
import { type Admission, bodyLimits, createRouter } from './http/router.ts';
import { webClientHandler } from './http/web-client.ts';
import { verifyUpgrade } from './http/ws-upgrade.ts';
import { createLimitCounters } from './limits/limit-counters.ts';
import { envelopStore } from './limits/limit-stores.ts';
import { createRelayFor, relayPoolReach } from './media/relay-workers/relay-for.ts';
import { maskOutages, outageAwareLogger, useOutageRecovery } from './outages/yoga-outages.ts';
import { stripeWebhookHandler } from './payments/webhook-route.ts';
import { presenceStoreFor, socketKeepAliveMs } from './presence/presence-setup.ts';
import { createEventBus } from './pubsub.ts';
import { schema } from './schema.ts';
import { createServices } from './services.ts';
import { createAuth } from './users/auth.ts';
import { answerOutages } from './users/auth-outages.ts';
import { resolveAuthSecret } from './users/auth-secret.ts';
import { createViewerResolver } from './users/viewer.ts';

/** How long a refusal for being over the request budget waits before it is sent. */
const REFUSAL_HOLD_MS = 1_000;
/** Refusals held at once per address; past it they go out at once. */
const REFUSALS_HELD_PER_ADDRESS = 64;

export type AppOptions = {
  /** @default the system clock */
  clock?: Clock;
  /** Where the built web client is. @default `dist/web` */
  webClientDir?: string;
};

/**
 * Builds Amphi from its configuration: database (migrated), services, GraphQL over HTTP, SSE and
 * graphql-ws, and auth routes, on one HTTP server. Nothing listens until `start()`.
 */
export async function buildApp(config: AppConfig, options: AppOptions = {}) {
  const clock = options.clock ?? systemClock;
  const authSecret = await resolveAuthSecret(config);
  const db = await openDatabase(config.database);
  const events = createEventBus(config.redisUrl);
  const relay = config.media.relay.enabled
    ? createRelayFor(
        config.media.relay.workers,
        {
          port: config.media.relay.port,
          announcedIp: config.media.relay.announcedIp,
        },
        { ...relayPoolReach(config), spreadAfter: config.media.relay.spreadAfter },
      )
    : null;
  const services = createServices({
    prisma: db.prisma,
    bus: events.bus,
    clock,
    config,
    relay,
    presenceStore: presenceStoreFor(config.redisUrl),
    broadcastKey: broadcastKey(config.broadcast.urlSecret, authSecret.secret),
  });
  const limits = createLimitCounters(config.redisUrl);
  const clientAddress = createClientAddress(config.proxies.trusted);
  const admission: Admission = {
    clientGroup: (req) => limitGroupOf(clientAddress(req)),
    budget: config.requestRate ? createRequestBudget(config.requestRate) : null,
    hold: createRefusalHold(REFUSAL_HOLD_MS, REFUSALS_HELD_PER_ADDRESS),
  };
  const auth = createAuth(config, db.prisma, authSecret.secret, limits.counters);
  const resolveViewer = createViewerResolver(auth, services.apiTokens);

  const demo = config.seedWhenEmpty
    ? await seedDemoIfEmpty(db.prisma, auth, services, config.database)
    : null;

  const origins = createOriginPolicy(config.publicUrl, config.http.corsOrigins);
  const backlog = createSubscriptionBacklog(config.limits.subscriptionMaxQueued);
  const yoga = createYoga<ServerContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.graphiql ? { title: 'Amphi GraphQL API', subscriptionsProtocol: 'WS' } : false,
    maskedErrors: { isDev: false, maskError: maskOutages },
    logging: outageAwareLogger(),
    landingPage: false,
    cors: corsOptions(origins),
    context: createContextFactory(db.prisma, services, resolveViewer, clientAddress),
    plugins: [
      EnvelopArmorPlugin({
        maxDepth: { n: config.limits.maxDepth },
        maxAliases: { n: config.limits.maxAliases },
        // useOperationLimits counts the cost instead, with list sizes and variables.
        costLimit: { enabled: false },
        // hideSuggestions covers every kind of suggestion; armor's covers fields only.
        blockFieldSuggestion: { enabled: false },
      }),
      // Before the limits, whose variable errors it must see when they stop execution.
      ...(config.graphqlSuggestions ? [] : [hideSuggestions()]),
      useOperationLimits(config.limits),
      ...mutationRateLimits(schema, config.limits, envelopStore(limits.counters)),
      useOutageRecovery(),
      useOriginGuard(origins),
      backlog.plugin,
      useSharedSubscriptionExecution(backlog),
    ],
  });

  const authHandler = toNodeHandler(answerOutages(auth.handler));
  const router = createRouter(
    {
      auth: (req, res) => authHandler(stampClientAddress(req, clientAddress), res),
      graphql: (replayed, res, req) => yoga(replayed, res, { req }),
      stripeWebhook: stripeWebhookHandler(
        services.tickets.gateway,
        services.tickets.applyPaymentEvent,
      ),
      webClient: webClientHandler(options.webClientDir),
      services,
      viewerOf: async (req) => (await resolveViewer(headersOf(req)))?.userId ?? null,
    },
    origins,
    admission,
  );
  const { headersTimeoutMs, requestTimeoutMs } = config.http;
  const server = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      // Node looks for overdue requests this often (30 s by default, which would let a slow
      // client hold its connection for that much longer than the timeouts say).
      connectionsCheckingInterval: Math.min(1_000, headersTimeoutMs),
    },
    router,
  );
  const wss = new WebSocketServer({
    server,
    path: '/graphql',
    maxPayload: bodyLimits.graphql,
    verifyClient: verifyUpgrade(origins, admission),
  });
  const graphqlWs = serveGraphqlWs(
    yoga,
    wss,
    admission,
    config.limits,
    socketKeepAliveMs(config.presence),
  );

  let sweeper: NodeJS.Timeout | undefined;

  return {
    config,
    services,
    prisma: db.prisma,
    sql: db.sql,
    auth,
    /** Where the session secret came from, for the start banner. */
    authSecretOrigin: authSecret.origin,
    /** Set when this start seeded the demo world: who can sign in, and with what password. */
    demo,
    bus: events.bus,
    relay,
    /** What slow subscribers hold on this instance now (results queued, subscriptions ended). */
    subscriptionBacklog: backlog.snapshot,

    /**
     * Listens on the configured port (0 picks one) and starts the sweeper: abandoned spaces end,
     * due scheduled jobs run.
     */
    async start() {
      await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
      await services.captionRunner?.start();
      services.presence.start();
      await services.recordingRunner?.start();
      sweeper = setInterval(() => {
        services.spaces.endAbandoned().catch((error: unknown) => {
          console.error('ending abandoned spaces failed', error);
        });
        services.jobs.runDue().catch((error: unknown) => {
          console.error('running scheduled jobs failed', error);
        });
        services.tickets.retryRefunds().catch((error: unknown) => {
          console.error('retrying ticket refunds failed', error);
        });
      }, config.spaces.sweepIntervalMs);
      sweeper.unref();
      const { port } = server.address() as AddressInfo;
      return { port, url: `http://${config.host}:${port}` };
    },

    async stop() {
      clearInterval(sweeper);
      services.reactionBatcher.flushAll();
      services.participantCounts.stop();
      await services.mediaMode.stop();
      services.relaySessions?.stop();
      await services.captionRunner?.stop();
      await services.recordingRunner?.stop();
      await services.broadcast.stop();
      services.mixes?.stop();
      await graphqlWs.dispose();
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await services.presence.stop();
      await relay?.stop();
      await events.close();
      await services.spaceSequence.close();
      await limits.close();
      admission.budget?.stop();
      await db.close();
    },
  };
}

export type App = Awaited<ReturnType<typeof buildApp>>;
