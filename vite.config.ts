import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';

const repo = import.meta.dirname;

// API tests run on the embedded database always and, given TEST_DATABASE_URL, on PostgreSQL too.
const databases = ['pglite', ...(process.env['TEST_DATABASE_URL'] ? ['postgres'] : [])];

export default defineConfig({
  // The web client: `vite build` writes it to dist/web, which the server serves at /.
  root: path.join(repo, 'web'),
  // Under vitest only the `web` project compiles Solid: the plugin turns on browser resolution
  // and jsdom, which the server-side projects must not get.
  plugins: process.env['VITEST'] ? [] : [solid()],
  build: {
    outDir: path.join(repo, 'dist', 'web'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        ...(existsSync(path.join(repo, 'web', 'index.html'))
          ? { app: path.join(repo, 'web', 'index.html') }
          : {}),
        'media-lab': path.join(repo, 'web', 'lab', 'media.html'),
      },
    },
  },
  test: {
    root: repo,
    // vite-plugin-solid makes a project without an environment run in jsdom; only the `web`
    // project's component tests want that.
    environment: 'node',
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
          environment: 'node',
          include: ['server/**/*.test.ts', 'tests/contract/**/*.test.ts', 'web/**/*.test.ts'],
        },
      },
      {
        extends: true,
        plugins: [solid()],
        test: { name: 'web', include: ['web/**/*.test.tsx'], environment: 'jsdom' },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          environment: 'node',
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
          environment: 'node',
          include: ['tests/api/**/*.test.ts'],
          env: { AMPHI_TEST_DATABASE: database },
        },
      })),
    ],
  },
});
