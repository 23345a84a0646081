import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { printContract, schemaFile } from '../../server/print-schema.ts';

const root = path.join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

describe('schema/schema.graphql', () => {
  it('is exactly what the server serves (run `npm run schema:print` after changing it)', () => {
    expect(readFileSync(schemaFile, 'utf8')).toBe(printContract());
  });
});

/** Asks Prisma, offline, whether the migrations produce the schema; exit code 2 means they differ. */
async function migrationsDiffer(schemaPath: string, migrationsPath: string) {
  try {
    await run(
      path.join(root, 'node_modules', '.bin', 'prisma'),
      [
        'migrate',
        'diff',
        '--from-migrations',
        migrationsPath,
        '--to-schema-datamodel',
        schemaPath,
        '--exit-code',
      ],
      {
        cwd: root,
        env: {
          ...process.env,
          NODE_OPTIONS: `--require ${path.join(root, 'prisma', 'unref-timers.cjs')}`,
        },
      },
    );
    return false;
  } catch (error) {
    if ((error as { code?: number }).code === 2) return true;
    throw error;
  }
}

describe('prisma/migrations', () => {
  it('build exactly the database schema.prisma describes', async () => {
    const migrations = path.join(root, 'prisma', 'migrations');
    expect(await migrationsDiffer(path.join(root, 'prisma', 'schema.prisma'), migrations)).toBe(
      false,
    );
  }, 120_000);

  it('are caught out when schema.prisma changes without a migration', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'amphi-drift-'));
    cpSync(path.join(root, 'prisma', 'migrations'), path.join(scratch, 'migrations'), {
      recursive: true,
    });
    const schema = path.join(scratch, 'schema.prisma');
    copyFileSync(path.join(root, 'prisma', 'schema.prisma'), schema);
    writeFileSync(schema, `${readFileSync(schema, 'utf8')}\nmodel Drift {\n  id String @id\n}\n`);
    expect(await migrationsDiffer(schema, path.join(scratch, 'migrations'))).toBe(true);
  }, 120_000);
});
