import { createRequire } from 'node:module';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

const repo = import.meta.dirname;

// API tests run on the embedded database always and, given TEST_DATABASE_URL, on PostgreSQL too.
const databases = ['pglite', ...(process.env['TEST_DATABASE_URL'] ? ['postgres'] : [])];

export default defineConfig({
  // The web client: `vite build` writes it to dist/web, which the server serves at /.
  root: path.join(repo, 'web'),
  build: {
    outDir: path.join(repo, 'dist', 'web'),
    emptyOutDir: true,
    rollupOptions: {
      input: { 'media-lab': path.join(repo, 'web', 'lab', 'media.html') },
    },
  },
  test: {
    root: repo,
    // One graphql instance: Vite would pick graphql's ESM build while yoga and Pothos, loaded by
    // Node, get its CommonJS build, and `instanceof GraphQLError` would fail across the two.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'tests/contract/**/*.test.ts', 'web/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          testTimeout: 180_000,
          // Several Chromiums per test already fill both cores.
          fileParallelism: false,
        },
      },
      ...databases.map((database) => ({
        extends: true as const,
        test: {
          name: `api:${database}`,
          include: ['tests/api/**/*.test.ts'],
          env: { AMPHI_TEST_DATABASE: database },
        },
      })),
    ],
  },
});
