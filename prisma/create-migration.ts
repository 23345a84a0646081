import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// `npm run db:migration -- <name>`: asks Prisma (offline, WebAssembly engine, in-memory PGlite
// shadow database) for the SQL that takes the committed migrations to schema.prisma, and writes it
// as the next migration. `prisma migrate dev` cannot do this offline: its data-loss check wants a
// shadow database factory the WebAssembly engine does not take from the config.
const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name in snake_case>');
  process.exit(1);
}
const root = path.join(import.meta.dirname, '..');
const sql = execFileSync(
  path.join(root, 'node_modules', '.bin', 'prisma'),
  [
    'migrate',
    'diff',
    '--from-migrations',
    'prisma/migrations',
    '--to-schema-datamodel',
    'prisma/schema.prisma',
    '--script',
  ],
  {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      NODE_OPTIONS: `--require ${path.join(root, 'prisma', 'unref-timers.cjs')}`,
    },
  },
);
if (sql.trim() === '' || sql.includes('This is an empty migration')) {
  console.log('schema.prisma and the migrations agree; nothing to write.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(root, 'prisma', 'migrations', `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'migration.sql'), sql);
console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
