import { describe, expect, it } from 'vitest';
import { configFromEnv, parseConfig } from './env.ts';

describe('configFromEnv', () => {
  it('defaults to the embedded database in .data on port 4000', () => {
    const config = configFromEnv({});
    expect(config.port).toBe(4000);
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.data' });
    expect(config.hosting).toEqual({ minFollowers: 600, minFollowersTicketed: 1000 });
  });

  it('uses PostgreSQL and Redis when given', () => {
    const config = configFromEnv({
      DATABASE_URL: 'postgresql://amphi@db.internal/amphi',
      REDIS_URL: 'redis://cache.internal:6379',
      AUTH_SECRET: 's'.repeat(32),
      HOST_MIN_FOLLOWERS: '10',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgresql://amphi@db.internal/amphi',
    });
    expect(config.redisUrl).toBe('redis://cache.internal:6379');
    expect(config.hosting.minFollowers).toBe(10);
  });

  it('takes TRUSTED_PROXIES as addresses and CIDR ranges, and refuses anything else', () => {
    const config = configFromEnv({ TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8,::1' });
    expect(config.proxies.trusted).toEqual(['127.0.0.1', '10.0.0.0/8', '::1']);
    expect(configFromEnv({}).proxies.trusted).toEqual([]);
    const parsed = parseConfig({ TRUSTED_PROXIES: '127.0.0.1,proxy.internal' });
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'TRUSTED_PROXIES: must be IP addresses or CIDR ranges, comma-separated',
    ]);
  });

  it('reports every problem at once', () => {
    const parsed = parseConfig({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      NODE_ENV: 'production',
    });
    expect(parsed.ok).toBe(false);
    const problems = parsed.ok ? [] : parsed.problems;
    expect(problems.map((problem) => problem.split(':')[0])).toEqual([
      'PORT',
      'DATABASE_URL',
      'AUTH_SECRET',
    ]);
  });

  it('makes both Stripe secrets required once ticketing is enabled', () => {
    const parsed = parseConfig({ TICKETING_ENABLED: 'true', STRIPE_SECRET_KEY: 'sk_test_123' });
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'STRIPE_WEBHOOK_SECRET: required when TICKETING_ENABLED is true',
    ]);
  });

  it('leaves ticketing unavailable without keys, and configures Stripe with them', () => {
    expect(configFromEnv({}).ticketing.stripe).toBeNull();
    const config = configFromEnv({
      TICKETING_ENABLED: 'true',
      STRIPE_SECRET_KEY: 'sk_test_123',
      STRIPE_WEBHOOK_SECRET: 'whsec_abc',
      STRIPE_API_URL: 'http://127.0.0.1:12111',
      TICKET_CURRENCIES: 'USD, eur',
    });
    expect(config.ticketing.stripe).toEqual({
      secretKey: 'sk_test_123',
      webhookSecret: 'whsec_abc',
      api: { host: '127.0.0.1', port: 12111, protocol: 'http' },
    });
    expect(config.ticketing.currencies).toEqual(['usd', 'eur']);
  });

  it('never signs sessions with a public default: unset, the secret is left to buildApp', () => {
    expect(configFromEnv({}).auth.secret).toBeUndefined();
    expect(configFromEnv({ AUTH_SECRET: 's'.repeat(32) }).auth.secret).toBe('s'.repeat(32));
  });

  it('requires AUTH_SECRET with DATABASE_URL, since instances sharing it must share one', () => {
    const parsed = parseConfig({ DATABASE_URL: 'postgresql://amphi@db.internal/amphi' });
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'AUTH_SECRET: required with DATABASE_URL (instances sharing it must share one)',
    ]);
  });

  it('listens on loopback by default, and seeds demo data only there or when asked', () => {
    const seeds = (env: NodeJS.ProcessEnv) => configFromEnv(env).seedWhenEmpty;
    expect(configFromEnv({}).host).toBe('127.0.0.1');
    expect(seeds({})).toBe(true);
    expect(seeds({ HOST: '::1' })).toBe(true);
    expect(seeds({ HOST: '0.0.0.0' })).toBe(false);
    expect(seeds({ HOST: '203.0.113.10' })).toBe(false);
    expect(seeds({ HOST: '0.0.0.0', SEED_DEMO_DATA: 'true' })).toBe(true);
    expect(seeds({ SEED_DEMO_DATA: 'false' })).toBe(false);
    expect(seeds({ DATABASE_URL: 'postgresql://db/amphi', AUTH_SECRET: 's'.repeat(32) })).toBe(
      false,
    );
  });

  it('turns GraphiQL and suggestions off in production and on otherwise, unless set', () => {
    const production = { NODE_ENV: 'production', AUTH_SECRET: 's'.repeat(32) } as const;
    const exposure = (env: NodeJS.ProcessEnv) => {
      const config = configFromEnv(env);
      return { graphiql: config.graphiql, suggestions: config.graphqlSuggestions };
    };
    expect(exposure(production)).toEqual({ graphiql: false, suggestions: false });
    expect(exposure({})).toEqual({ graphiql: true, suggestions: true });
    expect(exposure({ ...production, GRAPHIQL: 'true', GRAPHQL_SUGGESTIONS: '1' })).toEqual({
      graphiql: true,
      suggestions: true,
    });
    expect(exposure({ GRAPHIQL: 'false', GRAPHQL_SUGGESTIONS: 'false' })).toEqual({
      graphiql: false,
      suggestions: false,
    });
  });

  it('configures TURN with its secret, and refuses TURN_URLS without TURN_SECRET', () => {
    const config = configFromEnv({
      TURN_URLS: 'turn:turn.example.org:3478, turns:turn.example.org:5349',
      TURN_SECRET: 'a-long-enough-static-auth-secret',
    });
    expect(config.mediaAccess.turn).toEqual({
      urls: ['turn:turn.example.org:3478', 'turns:turn.example.org:5349'],
      secret: 'a-long-enough-static-auth-secret',
      ttlSeconds: 600,
    });
    expect(configFromEnv({}).mediaAccess).toEqual({
      guestRelay: { perAddress: 3, perInstance: 500 },
      turn: null,
    });
    const parsed = parseConfig({ TURN_URLS: 'turn:turn.example.org:3478' });
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'TURN_URLS and TURN_SECRET: set both (coturn static-auth-secret) or neither',
    ]);
  });

  it('places relay sessions on remote workers only when asked, and then needs Redis', () => {
    expect(configFromEnv({}).media.relay.remote).toBeUndefined();
    const config = configFromEnv({
      RELAY_REMOTE_WORKERS: 'true',
      REDIS_URL: 'redis://cache.internal:6379',
      RELAY_ANNOUNCED_IP: '203.0.113.7',
      RELAY_PIPE_PORT: '40100',
    });
    expect(config.media.relay.remote).toEqual({
      prefix: 'amphi:',
      pipeHost: '203.0.113.7',
      pipePort: 40100,
    });
    // API instances on several hosts pipe spaces between their workers at RELAY_PIPE_HOST.
    expect(configFromEnv({}).media.relay.pipe).toBeUndefined();
    expect(
      configFromEnv({ RELAY_PIPE_HOST: '10.0.0.5', RELAY_PIPE_PORT: '40100' }).media.relay.pipe,
    ).toEqual({ host: '10.0.0.5', port: 40100 });
    const parsed = parseConfig({ RELAY_REMOTE_WORKERS: 'true' });
    expect(parsed.ok ? [] : parsed.problems).toEqual([
      'REDIS_URL: required when RELAY_REMOTE_WORKERS is true',
    ]);
  });

  it('times absent participants out after 30 s unless PRESENCE_TIMEOUT_SECONDS says otherwise', () => {
    expect(configFromEnv({}).presence.timeoutMs).toBe(30_000);
    expect(configFromEnv({ PRESENCE_TIMEOUT_SECONDS: '90' }).presence.timeoutMs).toBe(90_000);
    const zero = parseConfig({ PRESENCE_TIMEOUT_SECONDS: '0' });
    expect(zero.ok ? [] : zero.problems.map((problem) => problem.split(':')[0])).toEqual([
      'PRESENCE_TIMEOUT_SECONDS',
    ]);
  });

  it('gives Stripe 10 s per call unless STRIPE_TIMEOUT_MS says otherwise', () => {
    expect(configFromEnv({}).ticketing.stripeTimeoutMs).toBe(10_000);
    expect(configFromEnv({ STRIPE_TIMEOUT_MS: '2500' }).ticketing.stripeTimeoutMs).toBe(2500);
  });

  it('reads CORS_ORIGINS as a list of origins and reports anything that is not an http(s) URL', () => {
    const config = configFromEnv({
      CORS_ORIGINS: 'https://app.example.org, http://localhost:5173/',
    });
    expect(config.http.corsOrigins).toEqual(['https://app.example.org', 'http://localhost:5173']);
    expect(configFromEnv({}).http.corsOrigins).toEqual([]);
    const parsed = parseConfig({ CORS_ORIGINS: 'app.example.org' });
    expect(parsed.ok ? [] : parsed.problems.map((problem) => problem.split(':')[0])).toEqual([
      'CORS_ORIGINS.0',
    ]);
  });
});
