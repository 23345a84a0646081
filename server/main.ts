import { buildApp } from './app.ts';
import { configFromEnv } from './env.ts';

const config = configFromEnv();
const app = await buildApp(config);
const { port } = await app.start();
const where =
  config.database.kind === 'pglite'
    ? `embedded database in ${config.database.dataDir}`
    : 'PostgreSQL at DATABASE_URL';
console.log(`Amphi is up on ${where}`);
console.log(`  GraphQL API and GraphiQL: http://localhost:${port}/graphql`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.log('Amphi is shutting down');
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
