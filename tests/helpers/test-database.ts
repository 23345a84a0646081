import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DatabaseConfig } from '../../server/config.ts';

/**
 * A fresh, empty database for one test app: in-memory PGlite, or a new database on the
 * PostgreSQL server at TEST_DATABASE_URL (dropped again by `drop`).
 */
export async function freshDatabase(): Promise<{ config: DatabaseConfig; drop(): Promise<void> }> {
  const serverUrl = process.env['TEST_DATABASE_URL'];
  if (process.env['AMPHI_TEST_DATABASE'] !== 'postgres' || !serverUrl) {
    return { config: { kind: 'pglite', dataDir: undefined }, drop: async () => {} };
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
