import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { DatabaseConfig } from '../config.ts';

/** The raw SQL both databases speak, for migrations and tests; the app itself goes through Prisma. */
export type SqlRunner = {
  /** Runs a script of one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
};

export type Connection =
  | { kind: 'pglite'; client: PGlite; sql: SqlRunner; session(): Promise<SqlRunner> }
  | { kind: 'postgres'; pool: pg.Pool; sql: SqlRunner; session(): Promise<SqlRunner> };

function clientRunner(client: pg.Pool | pg.PoolClient, close: () => Promise<void>): SqlRunner {
  return {
    exec: async (sql) => {
      await client.query(sql);
    },
    query: async <Row>(sql: string, params: unknown[] = []) =>
      (await client.query(sql, params)).rows as Row[],
    close,
  };
}

export async function connect(config: DatabaseConfig): Promise<Connection> {
  if (config.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: config.url, max: 10 });
    // An idle connection the server drops (restart, failover) must not crash the process; the
    // pool replaces it on the next query.
    pool.on('error', (error) => console.warn('PostgreSQL connection lost:', error.message));
    return {
      kind: 'postgres',
      pool,
      sql: clientRunner(pool, () => pool.end()),
      // Session-level state (advisory locks, an open transaction) needs one connection throughout.
      session: async () => {
        const client = await pool.connect();
        return clientRunner(client, async () => client.release());
      },
    };
  }
  if (config.dataDir) mkdirSync(config.dataDir, { recursive: true });
  const client = await PGlite.create(config.dataDir);
  const sql: SqlRunner = {
    exec: async (sql) => {
      await client.exec(sql);
    },
    query: async <Row>(sql: string, params: unknown[] = []) =>
      (await client.query<Row>(sql, params)).rows,
    close: () => client.close(),
  };
  // PGlite is a single connection already; its session must not close the database.
  return { kind: 'pglite', client, sql, session: async () => ({ ...sql, close: async () => {} }) };
}
