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
      HOST_MIN_FOLLOWERS: '10',
    });
    expect(config.database).toEqual({
      kind: 'postgres',
      url: 'postgresql://amphi@db.internal/amphi',
    });
    expect(config.redisUrl).toBe('redis://cache.internal:6379');
    expect(config.hosting.minFollowers).toBe(10);
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
