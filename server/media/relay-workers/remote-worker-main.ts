import { logUnhandledErrors } from '../../process-errors.ts';
import { unpoolBuffers } from '../relay/unpooled-buffers.ts';
import { remoteWorkerOptionsFromEnv } from './remote-worker-env.ts';
import { startRemoteWorkerHost } from './remote-worker-host.ts';

/** `npm run relay-worker`: a relay worker for the API instances sharing REDIS_URL. */

logUnhandledErrors();
unpoolBuffers();
const parsed = remoteWorkerOptionsFromEnv(process.env);
if (!parsed.ok) {
  console.error('The relay worker cannot start; fix these environment variables:');
  for (const problem of parsed.problems) console.error(`  ${problem}`);
  process.exit(1);
}
const host = await startRemoteWorkerHost({
  ...parsed.options,
  onFatal: (error) => {
    console.error(`Relay worker: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  },
});
const { relay, pipe } = parsed.options;
console.log(
  `Relay worker ${host.id} registered: media on UDP ${relay.port}, pipe on UDP ${pipe.host}:${pipe.port}`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    host.stop().finally(() => process.exit(0));
  });
}
