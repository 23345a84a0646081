import { describe, expect, it } from 'vitest';
import { applyMigrations, committedMigrations } from './migrations.ts';
import { connect } from './sql-runner.ts';

describe('applyMigrations', () => {
  it("applies every committed migration once and records it in Prisma's table", async () => {
    const { sql } = await connect({ kind: 'pglite', dataDir: undefined });
    const names = committedMigrations().map((migration) => migration.name);
    expect(await applyMigrations(sql)).toEqual(names);
    expect(await applyMigrations(sql)).toEqual([]);
    const rows = await sql.query<{ migration_name: string }>(
      'SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((row) => row.migration_name)).toEqual(names);
    await sql.close();
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    const { sql } = await connect({ kind: 'pglite', dataDir: undefined });
    await applyMigrations(sql);
    const edited = committedMigrations().map((m) => ({ ...m, checksum: 'edited' }));
    await expect(applyMigrations(sql, edited)).rejects.toThrow(/was edited after it was applied/);
    await sql.close();
  });

  it('leaves nothing half-applied when a migration fails', async () => {
    const { sql } = await connect({ kind: 'pglite', dataDir: undefined });
    const broken = [
      { name: '1_broken', checksum: 'x', sql: 'CREATE TABLE half (id int); SELECT nonsense();' },
    ];
    await expect(applyMigrations(sql, broken)).rejects.toThrow(/1_broken failed/);
    const tables = await sql.query("SELECT 1 FROM pg_tables WHERE tablename = 'half'");
    expect(tables).toEqual([]);
    await sql.close();
  });
});
