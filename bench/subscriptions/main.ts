/**
 * bench/subscriptions: one space event fanned out to N graphql-ws subscribers of one Amphi
 * process, beside a raw `ws` broadcast of the same bytes to the same N sockets (the limit).
 *
 * Options: --subscribers=1000,5000,10000  --rounds=10 (at most, in ~5 s)  --profile (V8 CPU
 * profile of Amphi's single events and burst at the largest N, summarized by package)
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { startAmphiTarget } from './amphi-target.ts';
import {
  type Budget,
  connectUpTo,
  disconnectAll,
  type Measurement,
  measure,
  memory,
  warmUp,
} from './measure.ts';
import { profiled } from './profile.ts';
import { startRawTarget } from './raw-target.ts';
import { ms, rate, table } from './stats.ts';
import { type SubscriberProcess, startSubscriberProcess } from './subscriber-process.ts';
import type { Target } from './target.ts';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000,5000,10000' },
    rounds: { type: 'string', default: '10' },
    profile: { type: 'boolean', default: false },
  },
});
const requested = values.subscribers.split(',').map(Number);
if (requested.some((count) => !Number.isInteger(count) || count < 1)) {
  throw new Error(`--subscribers takes positive integers, not ${values.subscribers}`);
}
const budget: Budget = {
  maxRounds: Number(values.rounds),
  roundsMs: 5_000,
  maxBurst: 50,
  burstMs: 6_000,
};

/** Descriptors each process needs beyond its sockets: files, PGlite, the listeners, IPC. */
const descriptorReserve = 256;
const openFileLimit = Number(spawnSync('sh', ['-c', 'ulimit -n']).stdout.toString().trim());
const socketCap = Number.isFinite(openFileLimit)
  ? openFileLimit - descriptorReserve
  : Number.POSITIVE_INFINITY;
// Largest first: its memory figures come from a fresh process, before any phase has left freed
// pages behind for the next to reuse.
const counts = [...new Set(requested.map((count) => Math.min(count, socketCap)))].sort(
  (a, b) => b - a,
);
const largest = counts[0] ?? 0;
const log = (line: string) => process.stderr.write(`  ${line}\n`);

type Row = Measurement & {
  connectMsPerSubscriber: number;
  /** Only for a target's first phase; later ones reuse pages freed before them. */
  rssPerSubscriber: number | undefined;
  jsPerSubscriber: number;
};

const warmed = new Set<string>();

/**
 * Connects N fresh sockets to one target, measures, and disconnects them again; memory is what
 * the server grew by between just before the first socket and all N subscribed.
 */
async function phase(target: Target, clients: SubscriberProcess, count: number, offset: number) {
  const before = await memory();
  const connectMs = await connectUpTo(target, clients, count);
  const after = await memory();
  const first = !warmed.has(target.name);
  if (first) {
    await warmUp(target, clients);
    warmed.add(target.name);
  }
  const run = () => measure(target, clients, budget, offset);
  const result =
    values.profile && target.name === 'amphi' && count === largest
      ? await profiled(`amphi at ${count} subscribers`, run)
      : await run();
  await disconnectAll(target, clients);
  log(
    `${target.name} at ${count}: p50 ${ms(result.p50)} ms, ${rate(result.eventsPerSecond)}` +
      ` events/s (${result.rounds} single events, burst of ${result.burst})`,
  );
  return {
    ...result,
    connectMsPerSubscriber: connectMs / count,
    rssPerSubscriber: first ? (after.rss - before.rss) / count : undefined,
    jsPerSubscriber: (after.js - before.js) / count,
  };
}

/** One Amphi subscriber and one event, for a `next` message to copy byte for byte. */
async function amphiMessage(amphi: Target, clients: SubscriberProcess) {
  await connectUpTo(amphi, clients, 1);
  const { received } = await clients.expect(1, 30_000);
  await amphi.publish(1);
  const { sample } = await received;
  await disconnectAll(amphi, clients);
  if (!sample) throw new Error('Amphi delivered no message to copy');
  return sample;
}

const joiners = 2 + counts.length * (budget.maxRounds + 2 + budget.maxBurst);
const amphi = await startAmphiTarget(joiners);
const raw = await startRawTarget();
const clients = await startSubscriberProcess();
const clock = await clients.clockOffset();

console.log('bench/subscriptions: one space event fanned out to N subscribers');
console.log(
  [
    `  setup: ${availableParallelism()} cores, node ${process.version}, ulimit -n ${openFileLimit}.`,
    '  This process: Amphi (buildApp, in-memory PGlite, one live public space) and a raw `ws`',
    '  server. A forked subscriber process: N sockets speaking graphql-ws directly (anonymous;',
    '  spaceEvents with participant { role user { handle } }), or plain `ws` to the raw server.',
    '  An event is a HandRaised from stage.raiseHand (a listener of the space); latency runs from the bus publishing it',
    '  (after the change commits) to a socket receiving it. The raw server sends every socket the',
    '  same bytes, a `next` message as Amphi sent it. Clocks: performance.timeOrigin + now() in',
    `  both processes, offset ${clock.offset.toFixed(3)} ms (round trip ${clock.roundTrip.toFixed(3)} ms) subtracted.`,
    '  For each N (largest first): raw ws, then Amphi, each on N fresh sockets, closed and the',
    `  loop left to go idle before the next. Up to ${budget.maxRounds} single events (~${budget.roundsMs / 1000} s), then a burst`,
    `  of K events at once, K sized by a 2-event probe to fill ~${budget.burstMs / 1000} s (at most ${budget.maxBurst}).`,
    '  events/s = deliveries / (last receipt - first publish); a probe that overruns its window',
    '  is the burst, its rate that of the deliveries made in the window ("in window").',
  ].join('\n'),
);
for (const [index, wanted] of requested.entries()) {
  const count = Math.min(wanted, socketCap);
  if (count < wanted) {
    console.log(
      `  capped ${wanted} subscribers (#${index + 1}) to ${count}: ulimit -n is ${openFileLimit} and` +
        ` each process holds one descriptor per socket plus ~${descriptorReserve} of its own.`,
    );
  }
}

const amphiRows: Row[] = [];
const rawRows: Row[] = [];
let payload = '';
try {
  payload = await amphiMessage(amphi, clients);
  raw.setPayload(payload);
  for (const count of counts) {
    rawRows.push(await phase(raw, clients, count, clock.offset));
    amphiRows.push(await phase(amphi, clients, count, clock.offset));
  }
} finally {
  clients.stop();
  await Promise.all([amphi.stop(), raw.stop()]);
}

const pair = (a: string, b: string) => `${a} / ${b}`;
const rows = amphiRows
  .map((a, index) => ({ a, r: rawRows[index] ?? a }))
  .sort((x, y) => x.a.subscribers - y.a.subscribers);
const kib = (bytes: number | undefined) => (bytes === undefined ? '-' : (bytes / 1024).toFixed(1));
const payloadBytes = Buffer.byteLength(payload);
console.log('');
console.log(
  table(
    [
      'subscribers',
      'amphi p50 / p99 ms',
      'amphi events/s',
      'raw ws p50 / p99 ms',
      'raw ws events/s',
      'ratio',
    ],
    rows.map(({ a, r }) => [
      String(a.subscribers),
      pair(ms(a.p50), ms(a.p99)),
      rate(a.eventsPerSecond),
      pair(ms(r.p50), ms(r.p99)),
      rate(r.eventsPerSecond),
      `${(r.eventsPerSecond / a.eventsPerSecond).toFixed(1)}x`,
    ]),
  ),
);
console.log(
  `  p50 / p99: every receipt of the single events; ratio: raw ws events/s over amphi's;` +
    ` payload ${payloadBytes} bytes`,
);
console.log('');
console.log(
  table(
    [
      'subscribers',
      'last receipt p50 / p99 ms',
      'single events, K',
      'in window',
      'amphi burst 1st / later ev/s',
      'RSS/sub KiB',
      'heap/sub KiB',
      'connect ms/sub',
      'loop busy',
      'db stmt/delivery',
    ],
    rows.map(({ a, r }) => [
      String(a.subscribers),
      pair(`${ms(a.lastP50)}/${ms(a.lastP99)}`, `${ms(r.lastP50)}/${ms(r.lastP99)}`),
      pair(`${a.rounds}, ${a.burst}`, `${r.rounds}, ${r.burst}`),
      pair(`${(a.delivered * 100).toFixed(0)}%`, `${(r.delivered * 100).toFixed(0)}%`),
      pair(rate(a.firstEventPerSecond), rate(a.laterEventsPerSecond)),
      pair(kib(a.rssPerSubscriber), kib(r.rssPerSubscriber)),
      pair(kib(a.jsPerSubscriber), kib(r.jsPerSubscriber)),
      pair(a.connectMsPerSubscriber.toFixed(2), r.connectMsPerSubscriber.toFixed(2)),
      pair(`${(a.busy * 100).toFixed(0)}%`, `${(r.busy * 100).toFixed(0)}%`),
      a.statementsPerDelivery.toFixed(2),
    ]),
  ),
);
console.log(
  '  every column amphi / raw ws. last receipt: until the slowest socket had a single event.' +
    '\n  amphi burst: deliveries/s of its first event, which finds every subscriber idle, and of' +
    '\n  the later ones. RSS, heap (+external): server growth per subscriber after full GCs; RSS' +
    '\n  only at the N measured first (largest, raw ws first), as later phases reuse freed pages.' +
    '\n  loop busy: this process during the burst. db stmt: PGlite statements outside' +
    '\n  transactions (the reads subscribers make) per delivered message in the burst.',
);
for (const phase of [...amphiRows, ...rawRows]) {
  if (phase.missing > 0 || phase.unexpected > 0) {
    console.log(
      `  ! ${phase.target} at ${phase.subscribers}: ${phase.missing} receipts missing,` +
        ` ${phase.unexpected} unexpected messages (first: ${phase.firstUnexpected ?? '-'})`,
    );
  }
}
