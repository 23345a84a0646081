/**
 * bench/crowd: a popular space filling up (issue #14). 2,000 clients watch a live space's events
 * over graphql-ws while 1,000 listeners join it within 10 s over HTTP, on the embedded database
 * and on PostgreSQL, beside a raw `ws` broadcast of as many events to as many sockets (the
 * floor); then one event to 10,000 subscribers of one core, beside raw `ws`.
 * Bounds: 0 failed joins, join p95 < 1 s, event lag p99 < 1 s, server memory growth < 300 MB;
 * fan-out p99 < 250 ms.
 *
 * Options: --listeners=1000 --subscribers=2000 --window=10 (seconds) --drain=30 (seconds the
 * events may trail the last join) --databases=pglite,postgres --fanout=10000 (0: skip)
 * --postgres=<server URL> (default TEST_DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { LISTENER_CHANGES_INTERVAL_MS } from '../../server/spaces/listener-changes.ts';
import { freePort, pinToCore, startAmphi } from '../hostile/server-process.ts';
import { startWorker } from '../hostile/workers.ts';
import { type CrowdResult, runCrowd } from './crowd-step.ts';
import { freshPostgres } from './database.ts';
import type { FromFanout, ToFanout } from './fanout.ts';
import { type FloorResult, runFloor } from './floor-step.ts';
import { BOUNDS, crowdMisses, crowdTable, fanoutTable, outcomeLines } from './report.ts';
import { seedCrowd, writeTokenListeners } from './seed.ts';
import { startSubscribers } from './subscriber-client.ts';

const { values } = parseArgs({
  options: {
    listeners: { type: 'string', default: '1000' },
    subscribers: { type: 'string', default: '2000' },
    window: { type: 'string', default: '10' },
    drain: { type: 'string', default: '30' },
    databases: { type: 'string', default: 'pglite,postgres' },
    fanout: { type: 'string', default: '10000' },
    'sign-ups': { type: 'string', default: '10' },
    postgres: {
      type: 'string',
      default: process.env['TEST_DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
    },
  },
});
const listeners = Number(values.listeners);
const subscriberCount = Number(values.subscribers);
const windowMs = Number(values.window) * 1000;
const drainMs = Number(values.drain) * 1000;
const fanoutCount = Number(values.fanout);
const signUps = Math.min(listeners, Number(values['sign-ups']));
const databases = values.databases.split(',').filter(Boolean);
if (![listeners, subscriberCount, windowMs, drainMs].every((n) => Number.isFinite(n) && n > 0)) {
  throw new Error('--listeners, --subscribers, --window and --drain take positive numbers');
}
if (databases.some((name) => name !== 'pglite' && name !== 'postgres')) {
  throw new Error(`--databases takes pglite and/or postgres, not ${values.databases}`);
}

const JOIN_TIMEOUT_MS = 60_000;
const START_TIMEOUT_MS = 180_000;
const cores = availableParallelism();
const serverCore = cores >= 2 ? 0 : undefined;
const clientCore = cores >= 2 ? 1 : undefined;
const pinned = clientCore !== undefined && pinToCore(process.pid, clientCore);
const log = (line: string) => process.stderr.write(`  ${line}\n`);
const plan = { subscribers: subscriberCount, windowMs, joinTimeoutMs: JOIN_TIMEOUT_MS, drainMs };

console.log('bench/crowd: a space filling up while a crowd watches it');
console.log(
  [
    `  setup: ${cores} cores, node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at start.`,
    `  Amphi: server/main.ts in its own process as \`npm start\` runs it (ticketing on, captions off),`,
    `  on ${databases.join(' and on ')} (a fresh database each), pinned${pinned ? ` to core ${serverCore}` : ' (not: no taskset)'} once seeded.`,
    '  No limit raised but the request budget per address (off: the subscribers share one loopback',
    '  address, where a real crowd has one each). A host signs up (better-auth REST) and starts a public live space',
    `  (createSpace); ${signUps} listeners sign up the same way (session cookies, as browsers). A sign-up costs the`,
    '  server a scrypt hash (~0.1 s of a core; ~1 s on this shared host), so the other',
    `  ${listeners - signUps} are API-token clients (\`Authorization: Bearer\`): their users and token hashes, the rows`,
    '  sign-up and createApiToken store, are written before the server starts through server/db',
    '  (which migrates first). Each listener connects from its own loopback address (127.1.x.y), as',
    '  people on different networks do, and checks its credentials once with a `viewer` query.',
    `  Then ${subscriberCount} anonymous graphql-ws sockets (one subscriber process${pinned ? `, core ${clientCore}` : ''}) subscribe to`,
    "  spaceEvents with the room page's own subscription (its ListenersChanged lists each joined",
    `  person's handle, matching deliveries to joins), and the listeners send joinSpace over HTTP (session cookie, own`,
    `  address, a new connection each), listener i at i × ${windowMs / listeners} ms whatever the others got (open loop).`,
    `  join latency: send to answer (timeout ${JOIN_TIMEOUT_MS / 1000} s = failed). lag: a subscriber receiving a joined`,
    "  listener in a ListenersChanged − the join's answer at the joiner (bench clock; subscriber clock",
    `  offset measured and subtracted); deliveries still missing ${drainMs / 1000} s after the last answer never came.`,
    '  Server cost from /proc/<pid> over the joins and the drain: CPU of all threads (main thread in',
    '  brackets; 100% = one core), share of the time its main thread waited for a CPU, RSS growth',
    '  from just before the joins (subscribers connected) to its peak.',
    `  Floor: a bare \`ws\` server in its own process on the server's core tells the same ${listeners} joins to`,
    `  ${subscriberCount} sockets of the same subscriber process the way Amphi does: the joins scheduled in each`,
    `  ${LISTENER_CHANGES_INTERVAL_MS} ms go out together at its end, in a copy of Amphi's ListenersChanged (lag from each join's turn).`,
  ].join('\n'),
);

const subscribers = await startSubscribers(clientCore);
const rows: { name: string; result: CrowdResult }[] = [];
let floor: FloorResult | undefined;
let fanout: FromFanout | undefined;
const notes: string[] = [];

async function crowdOn(database: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'amphi-crowd-'));
  const postgres = database === 'postgres' ? await freshPostgres(values.postgres) : undefined;
  // The subscribers share this machine's one loopback address; in a real crowd each has its own.
  const env: Record<string, string> = {
    REQUESTS_PER_SECOND_PER_IP: '0',

    ...(postgres ? { DATABASE_URL: postgres.url } : {}),
  };
  const tag = randomBytes(3).toString('hex');
  const seeding = performance.now();
  const tokenListeners = await writeTokenListeners(
    postgres ? { kind: 'postgres', url: postgres.url } : { kind: 'pglite', dataDir },
    tag,
    signUps,
    listeners,
  );
  const writeSeconds = (performance.now() - seeding) / 1000;
  const server = await startAmphi(
    {
      port: await freePort(),
      dataDir,
      authSecret: randomBytes(32).toString('hex'),
      core: undefined,
      env,
    },
    START_TIMEOUT_MS,
  );
  try {
    const crowd = await seedCrowd(server.baseUrl, tag, signUps, tokenListeners);
    log(
      `${database}: ${tokenListeners.length} token listeners written in ${writeSeconds.toFixed(1)} s, up in ${(server.startedInMs / 1000).toFixed(1)} s, ${signUps} sign-ups in ${crowd.signUpSeconds.toFixed(1)} s`,
    );
    if (serverCore !== undefined) pinToCore(server.pid, serverCore);
    const result = await runCrowd(server, crowd, subscribers, plan);
    if (server.exit) notes.push(`${database}: the server exited (${JSON.stringify(server.exit)})`);
    rows.push({ name: database, result });
    log(`${database}: ${crowdMisses(result).length === 0 ? 'PASS' : 'FAILED'}`);
    return result;
  } finally {
    await server.stop();
    await postgres?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

try {
  for (const database of databases) {
    const result = await crowdOn(database);
    if (!floor && result.sample) {
      floor = await runFloor(
        result.sample,
        subscribers,
        { subscribers: subscriberCount, events: listeners, windowMs, drainMs },
        serverCore,
      );
      log(`raw ws floor: done`);
    }
  }
} finally {
  subscribers.stop();
}

console.log('');
console.log(
  `  1. ${listeners} joins within ${windowMs / 1000} s while ${subscriberCount} subscribers watch:`,
);
console.log(crowdTable(rows, floor));
for (const line of outcomeLines(rows)) console.log(line);
if (!floor) console.log('  (no floor: no event reached a subscriber to copy)');

// The crowd's figures are printed first: the fan-out can take long, or fail, on a busy host.
let fanoutError: string | undefined;
if (fanoutCount > 0) {
  const worker = startWorker<ToFanout, FromFanout>('../crowd/fanout.ts', { core: serverCore });
  try {
    fanout = await worker.call(
      { type: 'measure', subscribers: fanoutCount, clientCore },
      'measured',
    );
  } catch (error) {
    fanoutError = String(error);
  } finally {
    worker.stop();
  }
}
if (fanout) {
  console.log('');
  console.log(
    `  2. one event to ${fanout.amphi.subscribers} graphql-ws subscribers, Amphi (buildApp, in-memory PGlite) and`,
  );
  console.log(
    `  a raw \`ws\` server in one process pinned${pinned ? ` to core ${serverCore}` : ' (not)'}, subscribers in bench/subscriptions' process on the other;`,
  );
  console.log(
    `  ${fanout.amphi.rounds} single events each, from the bus publishing to every socket receiving (bound p99 < ${BOUNDS.fanoutP99Ms} ms):`,
  );
  console.log(fanoutTable(fanout.amphi, fanout.raw));
}
for (const note of notes) console.log(`  ! ${note}`);
console.log('');
const failures = [
  ...rows.flatMap(({ name, result }) => crowdMisses(result).map((why) => `${name}: ${why}`)),
  ...(fanoutError ? [`fan-out to ${fanoutCount}: ${fanoutError} (its output above says why)`] : []),
  ...(fanout && !(fanout.amphi.p99 < BOUNDS.fanoutP99Ms && fanout.amphi.missing === 0)
    ? [
        `fan-out to ${fanout.amphi.subscribers}: p99 ${fanout.amphi.p99.toFixed(0)} ms, ${fanout.amphi.missing} missing (bound < ${BOUNDS.fanoutP99Ms} ms)`,
      ]
    : []),
];
if (failures.length === 0) {
  console.log('  every step kept its bounds');
} else {
  for (const failure of failures) console.log(`  FAILED ${failure}`);
  process.exitCode = 1;
}
