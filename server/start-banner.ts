import type { AppConfig } from './config.ts';
import type { DemoAccess } from './demo-data.ts';
import { isLoopbackHost } from './http/loopback.ts';
import type { AuthSecretOrigin } from './users/auth-secret.ts';

export type StartFacts = {
  config: AppConfig;
  port: number;
  webClientBuilt: boolean;
  secret: AuthSecretOrigin;
  demo: DemoAccess | null;
  /** Why captions are off though configured on (pocketsphinx missing), or null. */
  captionsProblem: string | null;
  /** Why the relay forwards in JavaScript, or null when the native sender is built. */
  nativeSrtpProblem: string | null;
};

const CAPTIONS_INSTALL = 'apt-get install -y pocketsphinx pocketsphinx-en-us python3-pocketsphinx';

/** What `npm start` prints: where Amphi is, and which of its parts are on, off, and why. */
export function startBanner(facts: StartFacts): string[] {
  const { config, port } = facts;
  const base = `http://localhost:${port}`;
  const where =
    config.database.kind === 'pglite'
      ? `the embedded database in ${config.database.dataDir ?? 'memory'}`
      : 'PostgreSQL at DATABASE_URL';
  const lines = [
    `Amphi is up on ${where}`,
    facts.webClientBuilt
      ? `  Web client:   ${base}/`
      : '  Web client:   not built (npm start builds it; API only)',
    `  GraphQL API:  ${base}/graphql${config.graphiql ? ' (GraphiQL on)' : ''}`,
  ];
  if (isLoopbackHost(config.host)) {
    lines.push(`  Listening on ${config.host} only; HOST=0.0.0.0 lets other machines in.`);
  }
  lines.push(`  Sessions:     ${secretLine(facts.secret)}`);
  if (facts.demo) {
    const kept = facts.demo.keptIn ? ` (kept in ${facts.demo.keptIn})` : '';
    lines.push(`  Demo data:    sign in as ${facts.demo.emails.join(', ')}`);
    lines.push(`                with the password ${facts.demo.password}${kept}`);
  }
  lines.push(
    `  Captions:     ${captionsLine(config, facts.captionsProblem)}`,
    `  Ticketing:    ${config.ticketing.stripe ? 'on (Stripe)' : 'off (TICKETING_ENABLED and Stripe keys turn it on)'}`,
    `  Redis:        ${config.redisUrl ? 'on (events and limits shared by instances)' : 'off (one instance; REDIS_URL shares events and limits)'}`,
    `  Relay:        ${relayLine(config, facts.nativeSrtpProblem)}`,
  );
  return lines;
}

function secretLine(secret: StartFacts['secret']): string {
  if (secret.kind === 'configured') return 'signed with AUTH_SECRET';
  if (secret.kind === 'kept') {
    return `signed with a secret ${secret.created ? 'generated and ' : ''}kept in ${secret.file}`;
  }
  return 'signed with a secret made for this run (in-memory database)';
}

function captionsLine(config: AppConfig, problem: string | null): string {
  if (problem) return `off: pocketsphinx cannot run (${problem}); ${CAPTIONS_INSTALL}`;
  if (config.captions.engine === 'off') return 'off (CAPTIONS_ENGINE=off)';
  return `on (${config.captions.engine})`;
}

function relayLine(config: AppConfig, nativeProblem: string | null): string {
  if (!config.media.relay.enabled) return 'off (RELAY_ENABLED=false; spaces stay on the mesh)';
  const { workers, port, remote } = config.media.relay;
  const inProcess = remote ? 'no local worker' : 'in this process';
  const where = workers === 0 ? inProcess : `${workers} worker process${workers === 1 ? '' : 'es'}`;
  const last = port + Math.max(workers, 1) - 1;
  const udp =
    port === 0 ? 'any free UDP port' : last === port ? `UDP ${port}` : `UDP ${port}-${last}`;
  const federated =
    config.redisUrl && (workers > 0 || remote) ? ", spaces piped with other instances' relays" : '';
  const ports = remote
    ? `${where}, ${udp}, and remote workers through Redis (${remote.prefix}; pipe UDP ${remote.pipePort || 'any port'})${federated}`
    : `${where}, ${udp}${federated}`;
  if (nativeProblem) {
    return `on, ${ports}, forwarding in JavaScript: the native SRTP sender is not built (${nativeProblem})`;
  }
  return `on, ${ports}, native SRTP sender`;
}
