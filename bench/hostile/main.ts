/**
 * bench/hostile: an ordinary query's latency while one client attacks Amphi (huge `nodes`
 * lookups, 20 MB bodies, wrong-password sign-ins, then all three), against its idle latency in
 * the same run. The bound: p99 under attack at most 2× the idle p99.
 *
 * Options: --idle=15 --attack=15 (seconds per phase)  --rate=5 (probe requests per second and
 * target)  --people=3 (accounts, each hosting a live space)
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FromFloor, ToFloor } from './floor-server.ts';
import { type Attacker, measurePhase, type PhaseResult, type ProbePlan, settle } from './phase.ts';
import type { FromProbe, ToProbe } from './protocol.ts';
import { type AttackKind, attackKinds, type FromAttacker, type ToAttacker } from './protocol.ts';
import { answerLines, BOUND, figures, phaseTable, verdict } from './report.ts';
import { homeQuery, seed, viewerQuery } from './seed.ts';
import { freePort, pinToCore, type ServerProcess, startAmphi } from './server-process.ts';
import { startWorker } from './workers.ts';

const { values } = parseArgs({
  options: {
    idle: { type: 'string', default: '15' },
    attack: { type: 'string', default: '15' },
    rate: { type: 'string', default: '5' },
    people: { type: 'string', default: '3' },
  },
});
const idleMs = Number(values.idle) * 1000;
const attackMs = Number(values.attack) * 1000;
const rate = Number(values.rate);
const people = Number(values.people);
if (![idleMs, attackMs, rate, people].every((n) => Number.isFinite(n) && n > 0)) {
  throw new Error('--idle, --attack, --rate and --people take positive numbers');
}

const WARM_UP_MS = 3_000;
const PROBE_TIMEOUT_MS = 3_000;
const START_TIMEOUT_MS = 180_000;
const SETTLE_MS = 5_000;

const phases: { name: string; kinds: readonly AttackKind[] }[] = [
  { name: 'nodes', kinds: ['nodes'] },
  { name: 'large bodies', kinds: ['large-bodies'] },
  { name: 'bad sign-ins', kinds: ['bad-sign-ins'] },
  { name: 'all three', kinds: attackKinds },
];

const cores = availableParallelism();
const serverCore = cores >= 2 ? 0 : undefined;
const clientCore = cores >= 2 ? 1 : undefined;
const pinned = clientCore !== undefined && pinToCore(process.pid, clientCore);
const log = (line: string) => process.stderr.write(`  ${line}\n`);
const dataDir = mkdtempSync(join(tmpdir(), 'amphi-hostile-'));
const settings = {
  port: await freePort(),
  dataDir,
  authSecret: randomBytes(32).toString('hex'),
  core: pinned ? serverCore : undefined,
};

console.log('bench/hostile: an ordinary query under attack, against its idle self');
let server: ServerProcess = await startAmphi(settings, START_TIMEOUT_MS);
const floor = startWorker<ToFloor, FromFloor>('./floor-server.ts', { core: clientCore });
const probe = startWorker<ToProbe, FromProbe>('./probe.ts', { core: clientCore });
const attackers = Object.fromEntries(
  attackKinds.map((kind) => [
    kind,
    startWorker<ToAttacker, FromAttacker>('./attacker.ts', { core: clientCore, nice: 10 }),
  ]),
) as Record<AttackKind, Attacker>;
const notes: string[] = [];

try {
  const { port: floorPort } = await floor.call({ type: 'listen' }, 'listening');
  const seeded = await seed(server.baseUrl, people);
  const origin = server.baseUrl;
  const json = { 'content-type': 'application/json', origin };
  const plan: ProbePlan = {
    intervalMs: 1000 / rate,
    timeoutMs: PROBE_TIMEOUT_MS,
    targets: [
      {
        name: 'home',
        url: `${server.baseUrl}/graphql`,
        method: 'POST',
        headers: json,
        body: JSON.stringify({ query: homeQuery }),
        expect: 'graphql',
      },
      {
        name: 'viewer',
        url: `${server.baseUrl}/graphql`,
        method: 'POST',
        headers: { ...json, cookie: seeded.viewerCookie },
        body: JSON.stringify({ query: viewerQuery }),
        expect: 'graphql',
      },
      { name: 'health', url: `${server.baseUrl}/health`, method: 'GET', headers: {}, expect: 'ok' },
      {
        name: 'floor',
        url: `http://127.0.0.1:${floorPort}/`,
        method: 'GET',
        headers: {},
        expect: 'ok',
      },
    ],
  };
  const target = {
    baseUrl: server.baseUrl,
    origin,
    knownIds: seeded.knownIds,
    victimEmail: seeded.viewerEmail,
  };

  console.log(
    [
      `  setup: ${cores} cores, node ${process.version}, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} at start.`,
      `  Amphi: server/main.ts in its own process${settings.core === undefined ? ' (not pinned)' : ` pinned to core ${settings.core}`}, as \`npm start\``,
      '  runs it: embedded PGlite on disk, ticketing on (Stripe never called), no demo data,',
      `  captions off; up in ${(server.startedInMs / 1000).toFixed(1)} s. Seeded through the public API: ${people} accounts signed up`,
      `  (better-auth REST), each hosting a live space (createSpace). Every other process${clientCore === undefined ? '' : ` on core ${clientCore}`}:`,
      `  the probe sends, every ${plan.intervalMs.toFixed(0)} ms each (open loop, keep-alive node:http, ${PROBE_TIMEOUT_MS / 1000} s timeout = ∞): the home`,
      "  page's `spaces(state: LIVE)` query (anonymous), the `viewer` query (session cookie),",
      '  GET /health, and GET / of a bare node:http server in its own process (the floor: what the',
      '  clients and the machine add). Attackers (nice 10, so the probe goes first on their core; each',
      '  from its own loopback address, 127.0.0.2-4, the probe from 127.0.0.1):',
      '  nodes: 6 connections, each `nodes(ids:)` with 100-200 ids (70% real, 30% unknown, mixed',
      '  types); large bodies: 2 connections, 20 MB JSON to /graphql and /api/stripe/webhook in',
      '  turn, Content-Length or chunked, every third reset (after 256 KiB or halfway); bad sign-ins:',
      '  16 connections of wrong passwords (half for a real account, half for unknown emails; half',
      '  with a made-up X-Forwarded-For).',
      `  Phases: ${WARM_UP_MS / 1000} s warm-up, idle ${idleMs / 1000} s, then each attack ${attackMs / 1000} s; after each, the server must answer`,
      `  /health 3 times in a row within 3× its idle p99 (at least 50 ms) within ${SETTLE_MS / 1000} s, or it is`,
      '  restarted (same data) for the next.',
      '  Server cost from /proc/<pid>: CPU of all threads (main thread in brackets), 100% = one core;',
      "  main waited: share of the phase the main thread was runnable but had no CPU (schedstat's",
      '  run_delay: the machine, not the server, is the bottleneck when it is high); peak RSS.',
    ].join('\n'),
  );

  const warm = async () => {
    await probe.call({ type: 'run', durationMs: WARM_UP_MS, ...plan }, 'ran');
  };
  const restart = async (why: string) => {
    await server.stop(2_000);
    server = await startAmphi(settings, START_TIMEOUT_MS);
    notes.push(`${why}; restarted (same data) in ${(server.startedInMs / 1000).toFixed(1)} s`);
    await warm();
  };

  await warm();
  const idle = await measurePhase('idle', server, probe, plan, idleMs, [], target);
  const idleHealth = figures(idle.probed.find((result) => result.name === 'health')).p99;
  const settledMs = Math.max(50, 3 * (Number.isFinite(idleHealth) ? idleHealth : 100));
  log(`idle: done`);
  const results: PhaseResult[] = [idle];
  for (const phase of phases) {
    const running = phase.kinds.map((kind) => ({ kind, attacker: attackers[kind] }));
    const result = await measurePhase(phase.name, server, probe, plan, attackMs, running, target);
    results.push(result);
    log(`${phase.name}: ${verdict(result, idle).pass ? 'PASS' : 'FAILED'}`);
    if (result.exited) {
      const reason = result.exited.output
        .filter((line) => /error|abort|reject/i.test(line))
        .slice(-3);
      await restart(
        `${phase.name}: the server died (${result.exited.how}; ${reason.join(' | ') || 'no error printed'})`,
      );
    } else if (!(await settle(server, settledMs, SETTLE_MS))) {
      await restart(`${phase.name}: still busy ${SETTLE_MS / 1000} s after the attack stopped`);
    }
  }

  console.log('');
  console.log(phaseTable(results, idle));
  console.log(
    `  p99/idle: each query's p99 over its idle p99 in this run, bound ${BOUND}×; /health and floor:`,
  );
  console.log(
    '  p99 ms (over their idle p99); failed: probe queries unanswered or errors (counted as ∞).',
  );
  console.log(
    '  How the attack requests were answered (status, typed code; requests cut at the end not counted):',
  );
  for (const result of results.slice(1)) {
    console.log(`  ${result.name}:`);
    for (const line of answerLines(result)) console.log(line);
  }
  for (const note of notes) console.log(`  ! ${note}`);
  const failed = results.slice(1).filter((result) => !verdict(result, idle).pass);
  console.log('');
  if (failed.length === 0) {
    console.log(`  every attack phase kept the ordinary queries' p99 within ${BOUND}× idle`);
  } else {
    for (const result of failed)
      console.log(`  FAILED ${result.name}: ${verdict(result, idle).why}`);
    process.exitCode = 1;
  }
} finally {
  probe.stop();
  floor.stop();
  for (const attacker of Object.values(attackers)) attacker.stop();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
