import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { defineConfig } from 'prisma/config';
import { PrismaPGliteMigrate } from './prisma/pglite-migrate-adapter.ts';

// Prisma's CLI runs offline through its WebAssembly schema engine against an in-memory PGlite:
// `migrate dev` replays prisma/migrations and writes the next migration from schema.prisma.
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  adapter: async () => new PrismaPGliteMigrate(new PGlite()),
});
