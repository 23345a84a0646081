import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// API tests run on the embedded database always and, given TEST_DATABASE_URL, on PostgreSQL too.
const databases = ['pglite', ...(process.env['TEST_DATABASE_URL'] ? ['postgres'] : [])];

export default defineConfig({
  resolve: {
    // One graphql instance: Vite would pick graphql's ESM build while yoga and Pothos, loaded by
    // Node, get its CommonJS build, and `instanceof GraphQLError` would fail across the two.
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['server/**/*.test.ts', 'tests/contract/**/*.test.ts'] },
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
