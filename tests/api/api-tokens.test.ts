import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';
import { createTestClock } from '../helpers/test-clock.ts';

const TOKENS = '{ viewer { apiTokens { name lastUsedAt } } }';

const clock = createTestClock();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
  // Counts the rows each UPDATE of "lastUsedAt" writes, on PGlite and PostgreSQL alike.
  await t.app.sql.exec(`
    CREATE TABLE token_touch (at timestamptz NOT NULL DEFAULT now());
    CREATE FUNCTION record_token_touch() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO token_touch DEFAULT VALUES; RETURN NEW; END $$;
    CREATE TRIGGER record_token_touch AFTER UPDATE OF "lastUsedAt" ON "ApiToken"
      FOR EACH ROW EXECUTE FUNCTION record_token_touch();
  `);
});
afterAll(() => t?.stop());

let user: TestUser;
beforeEach(async () => {
  user = await t.createUser('tokens');
  await t.app.sql.exec('DELETE FROM token_touch');
});

const touches = async () =>
  (await t.app.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM token_touch'))[0]?.n;

describe('ApiToken.lastUsedAt', () => {
  it('100 token requests in a row write lastUsedAt once', async () => {
    for (let i = 0; i < 100; i += 1) {
      expect((await user.gql(TOKENS)).errors).toBeUndefined();
    }
    expect(await touches()).toBe(1);
  });

  it('a burst of 50 concurrent token requests writes lastUsedAt once', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => user.gql(TOKENS)));
    expect(results.every((result) => result.errors === undefined)).toBe(true);
    expect(await touches()).toBe(1);
  });

  it('keeps the first use within the minute and moves on once a minute has passed', async () => {
    const first = clock.now().toISOString();
    await user.gql(TOKENS);
    clock.advance(59_000);
    const withinTheMinute = await user.gql<{ viewer: { apiTokens: { lastUsedAt: string }[] } }>(
      TOKENS,
    );
    expect(withinTheMinute.data?.viewer.apiTokens[0]?.lastUsedAt).toBe(first);

    clock.advance(2_000);
    const later = clock.now().toISOString();
    await user.gql(TOKENS);
    const after = await user.gql<{ viewer: { apiTokens: { lastUsedAt: string }[] } }>(TOKENS);
    expect(after.data?.viewer.apiTokens[0]?.lastUsedAt).toBe(later);
    expect(await touches()).toBe(2);
  });
});
