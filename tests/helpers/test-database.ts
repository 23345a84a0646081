import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { DatabaseConfig } from '../../server/config.ts';

/** Signs the test apps' sessions: PostgreSQL needs a configured secret that instances share. */
export const testAuthSecret = `amphi-test-secret-${randomBytes(24).toString('hex')}`;

/**
 * A fresh, empty database for one test app: in-memory PGlite, or a new database on the
 * PostgreSQL server at TEST_DATABASE_URL (dropped again by `drop`). `persistent` puts PGlite in a
 * temporary directory instead of memory, so a second app can open the same database after a restart.
 */
export async function freshDatabase({ persistent = false } = {}): Promise<{
  config: DatabaseConfig;
  drop(): Promise<void>;
}> {
  const serverUrl = process.env['TEST_DATABASE_URL'];
  if (process.env['AMPHI_TEST_DATABASE'] !== 'postgres' || !serverUrl) {
    if (!persistent)
      return { config: { kind: 'pglite', dataDir: undefined }, drop: async () => {} };
    const dataDir = await mkdtemp(path.join(tmpdir(), 'amphi-test-'));
    return {
      config: { kind: 'pglite', dataDir },
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `amphi_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    config: { kind: 'postgres', url: url.href },
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
