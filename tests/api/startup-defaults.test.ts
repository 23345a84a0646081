import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { parseConfig } from '../../server/env.ts';
import { signIn, signUp } from '../helpers/accounts.ts';
import { gql } from '../helpers/graphql-client.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const onPglite = process.env['AMPHI_TEST_DATABASE'] !== 'postgres';

/** Whether the environment asks for demo data, as main.ts would build the app from it. */
function seedWhenEmpty(env: NodeJS.ProcessEnv) {
  const parsed = parseConfig(env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.config.seedWhenEmpty;
}

const started: TestApp[] = [];
async function start(...args: Parameters<typeof startTestApp>) {
  const t = await startTestApp(...args);
  started.push(t);
  return t;
}
afterEach(async () => {
  for (const t of started.splice(0)) await t.stop();
});

// Seeding signs up three accounts and adds some 1,800 followers: slow on a busy machine.
describe('demo data', { timeout: 120_000 }, () => {
  it('is not seeded on 0.0.0.0 unless SEED_DEMO_DATA=true asks for it', async () => {
    const unasked = await start({ seedWhenEmpty: seedWhenEmpty({ HOST: '0.0.0.0' }) });
    expect(await unasked.app.prisma.user.count()).toBe(0);
    expect(unasked.app.demo).toBeNull();

    const asked = await start({
      seedWhenEmpty: seedWhenEmpty({ HOST: '0.0.0.0', SEED_DEMO_DATA: 'true' }),
    });
    expect(asked.app.demo?.emails).toContain('ada@demo.amphi.invalid');
    expect(await asked.app.prisma.user.count({ where: { handle: 'ada' } })).toBe(1);
  });

  it('is seeded on loopback with a random password, never the one the README used to print', async () => {
    const t = await start(
      { seedWhenEmpty: seedWhenEmpty({ HOST: '127.0.0.1' }) },
      { restartable: true },
    );
    const email = 'ada@demo.amphi.invalid';
    const published = await signIn(t.url, { email, password: 'amphi-demo-password' });
    expect(published.response.status).toBe(401);

    const demo = t.app.demo;
    expect(demo?.password).toMatch(/^[\w-]{16,}$/);

    const printed = await signIn(t.url, { email, password: demo?.password ?? '' });
    expect(printed.response.status).toBe(200);
    const viewer = await gql(
      t.url,
      '{ viewer { user { handle } } }',
      {},
      { cookie: printed.cookie },
    );
    expect(viewer.data).toEqual({ viewer: { user: { handle: 'ada' } } });

    // Beside an embedded database it is kept, readable by its owner only, for later look-up.
    if (!onPglite) return;
    const keptIn = demo?.keptIn ?? '';
    expect((await readFile(keptIn, 'utf8')).trim()).toBe(demo?.password);
    expect((await stat(keptIn)).mode & 0o777).toBe(0o600);
  });
});

describe('the session secret (AUTH_SECRET unset)', { timeout: 120_000 }, () => {
  it.skipIf(!onPglite)(
    'is generated once, kept beside the embedded database (0600), and sessions survive a restart',
    async () => {
      const t = await start(
        { auth: { ...defaultConfig.auth, secret: undefined } },
        { restartable: true },
      );
      const { database } = t.app.config;
      const dataDir = database.kind === 'pglite' ? (database.dataDir ?? '') : '';
      const file = path.join(dataDir, 'auth-secret');
      expect(t.app.authSecretOrigin).toEqual({ kind: 'kept', file, created: true });
      const secret = (await readFile(file, 'utf8')).trim();
      expect(secret.length).toBeGreaterThanOrEqual(64);
      expect((await stat(file)).mode & 0o777).toBe(0o600);

      const { cookie } = await signUp(t.url, {
        email: 'keeps@example.com',
        password: 'correct horse battery',
        name: 'Keeps',
        handle: 'keeps',
      });
      await t.restart();
      expect(t.app.authSecretOrigin).toEqual({ kind: 'kept', file, created: false });
      expect((await readFile(file, 'utf8')).trim()).toBe(secret);
      const viewer = await gql(t.url, '{ viewer { user { handle } } }', {}, { cookie });
      expect(viewer.data).toEqual({ viewer: { user: { handle: 'keeps' } } });
    },
  );
});
