import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../config.ts';
import { resolveAuthSecret } from './auth-secret.ts';

const unset = { ...defaultConfig.auth, secret: undefined };

describe('resolveAuthSecret', () => {
  it('uses AUTH_SECRET when configured', async () => {
    const secret = 's'.repeat(32);
    expect(
      await resolveAuthSecret({ auth: { ...unset, secret }, database: defaultConfig.database }),
    ).toEqual({ secret, origin: { kind: 'configured' } });
  });

  it('makes a new strong secret per process for an in-memory database', async () => {
    const memory = { auth: unset, database: { kind: 'pglite', dataDir: undefined } } as const;
    const [first, second] = [await resolveAuthSecret(memory), await resolveAuthSecret(memory)];
    expect(first.origin).toEqual({ kind: 'ephemeral' });
    expect(first.secret.length).toBeGreaterThanOrEqual(64);
    expect(first.secret).not.toBe(second.secret);
  });

  it('refuses PostgreSQL without one, since its instances must share it', async () => {
    await expect(
      resolveAuthSecret({ auth: unset, database: { kind: 'postgres', url: 'postgresql://db/x' } }),
    ).rejects.toThrow(/AUTH_SECRET is required with DATABASE_URL/);
  });
});
