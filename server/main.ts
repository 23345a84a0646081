import { buildApp } from './app.ts';
import { configFromEnv } from './env.ts';
import { isLoopbackHost } from './http/loopback.ts';
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
const secret = app.authSecretOrigin;
console.log(`Amphi is up on ${where}`);
console.log(
  `  GraphQL API${config.graphiql ? ' and GraphiQL' : ''}: http://localhost:${port}/graphql`,
);
if (isLoopbackHost(config.host)) {
  console.log(`  Listening on ${config.host} only; HOST=0.0.0.0 lets other machines in.`);
}
console.log(
  secret.kind === 'configured'
    ? '  Sessions are signed with AUTH_SECRET.'
    : secret.kind === 'kept'
      ? `  Sessions are signed with a secret ${secret.created ? 'generated and ' : ''}kept in ${secret.file}.`
      : '  Sessions are signed with a secret made for this run (in-memory database).',
);
if (app.demo) {
  const kept = app.demo.keptIn ? ` (kept in ${app.demo.keptIn})` : '';
  console.log(`  Demo data seeded: sign in as ${app.demo.emails.join(', ')}`);
  console.log(`  with the password ${app.demo.password}${kept}.`);
}
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
