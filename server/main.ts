import { buildApp } from './app.ts';
import { configFromEnv } from './env.ts';
import { nativeSrtpProblem } from './media/relay/native-srtp.ts';
import { logUnhandledErrors } from './process-errors.ts';

logUnhandledErrors();
const config = configFromEnv();
const app = await buildApp(config);
const { port } = await app.start();
const where =
  config.database.kind === 'pglite'
    ? `embedded database in ${config.database.dataDir}`
    : 'PostgreSQL at DATABASE_URL';
console.log(`Amphi is up on ${where}`);
console.log(`  GraphQL API and GraphiQL: http://localhost:${port}/graphql`);
if (config.media.relay.enabled && nativeSrtpProblem) {
  console.warn(
    `  The relay forwards in JavaScript: the native SRTP sender is not built (${nativeSrtpProblem}).`,
  );
}

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
