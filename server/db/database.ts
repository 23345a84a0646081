import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { DatabaseConfig } from '../config.ts';
import { applyMigrations } from './migrations.ts';
import { connect, type SqlRunner } from './sql-runner.ts';

export type Database = {
  prisma: PrismaClient;
  sql: SqlRunner;
  close(): Promise<void>;
};

/** Connects to PGlite or PostgreSQL, brings the schema up to date, and returns a Prisma client. */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const connection = await connect(config);
  const session = await connection.session();
  try {
    await applyMigrations(session);
  } finally {
    await session.close();
  }
  const adapter =
    connection.kind === 'pglite'
      ? new PrismaPGlite(connection.client)
      : new PrismaPg(connection.pool);
  const prisma = new PrismaClient({ adapter });
  return {
    prisma,
    sql: connection.sql,
    close: async () => {
      await prisma.$disconnect();
      await connection.sql.close();
    },
  };
}
