/**
 * bench/join: click to first audio played, for a listener joining a live space whose host and
 * speaker publish, once in a browser mesh and once through the relay, beside the bare WebRTC floor
 * (two peer connections in one page of the same browser, no signalling server) measured in turn.
 * The listener joins from two pages: the media lab page (web/lab), whose Listen button sends one
 * joinSpace that carries its mesh offers and returns the roster; and the room page, the web
 * client users open: a new signed-in user points at the live space's card on the home page for
 * 300 ms and clicks it, and the app navigates to the room and, at once, reads the space's state,
 * ticketing and stage and joins (in a mesh, carrying an offer to each person on stage the home
 * page listed, made while the card was pointed at), then starts
 * the audio from the join's answer, before the room is read (web/src/spaces/room). Judged
 * against issue #15's bounds: p50 < 300 ms and p95 < 700 ms on every space and page, on the
 * first sound at the audio output timed on the audio thread (first-sound-tap.ts); the same
 * audio as polled through getStats() is printed beside it.
 *
 * Options: --joins=20 (per space and page, after one warm-up join), --spaces=mesh,relay (which to
 * run), --pages=lab,room (which listener pages; they take turns within a space),
 * --relay-workers=N (relay worker processes; 0 runs the relay inside the API process; default one
 * per core, as `npm start` does), --database=pglite|postgres (the embedded PGlite, whose queries
 * run on the API's event loop, as `npm start` has it; or PostgreSQL at TEST_DATABASE_URL, as a
 * deployment would), --samples (print every join's marks too), --trace=DIR (write a Chrome trace
 * of the listener page over each counted join to DIR/<space>-<join>.json for the lab page,
 * DIR/<space>-room-<join>.json for the room page, for DevTools or read-trace.ts; tracing slows
 * the page, so its figures are not the bench's)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openBrowser } from '../../tests/e2e/helpers/chromium.ts';
import { ascending, ms, percentile, table } from '../subscriptions/stats.ts';
import { buildLab } from './build-lab.ts';
import type { FirstAudioMarks } from './first-audio-probe.ts';
import { prepareContext } from './lab-page.ts';
import type { TraceEvent } from './listener-trace.ts';
import { meshTimelineRows } from './mesh-timeline.ts';
import {
  deadlineMs,
  type ListenerPage,
  type PageResult,
  type PhaseResult,
  runPhase,
} from './phase.ts';
import { roomRequestRows } from './room-requests.ts';

const { values } = parseArgs({
  options: {
    joins: { type: 'string', default: '20' },
    spaces: { type: 'string', default: 'mesh,relay' },
    pages: { type: 'string', default: 'lab,room' },
    samples: { type: 'boolean', default: false },
    'relay-workers': { type: 'string', default: String(availableParallelism()) },
    database: { type: 'string', default: 'pglite' },
    trace: { type: 'string' },
  },
});
if (values.database !== 'pglite' && values.database !== 'postgres') {
  throw new Error('--database takes pglite or postgres');
}
if (values.database === 'postgres') {
  if (!process.env['TEST_DATABASE_URL'])
    throw new Error('--database=postgres needs TEST_DATABASE_URL');
  // What startTestApp's freshDatabase reads: a database of its own on that server per space.
  process.env['AMPHI_TEST_DATABASE'] = 'postgres';
}
const databaseName =
  values.database === 'postgres' ? 'PostgreSQL (TEST_DATABASE_URL)' : 'in-memory PGlite';
const pages = (['lab', 'room'] as const).filter((page) => values.pages.split(',').includes(page));
if (pages.length === 0) throw new Error('--pages takes lab, room or lab,room');
const joins = Number(values.joins);
if (!Number.isInteger(joins) || joins < 1) throw new Error(`--joins takes a positive integer`);
const relayWorkers = Number(values['relay-workers']);
if (!Number.isInteger(relayWorkers) || relayWorkers < 0) {
  throw new Error('--relay-workers takes a whole number');
}
const relayWhere =
  relayWorkers === 0
    ? 'the relay inside the API process'
    : `the relay in ${relayWorkers} worker process${relayWorkers === 1 ? '' : 'es'}` +
      (relayWorkers === availableParallelism() ? ', as npm start runs it' : '');

/** Issue #15: click to first audio played. */
const bounds = { p50: 300, p95: 700 } as const;

console.log('bench/join: click to first audio played, for a listener joining a live space');
console.log(
  [
    `  setup: ${availableParallelism()} cores, load average ${loadavg()[0]?.toFixed(2)} at start, node ${process.version},`,
    '  Debian Chromium (headless, fake microphone playing a steady tone), everything on 127.0.0.1.',
    `  Per space: a fresh Amphi (startTestApp, ${databaseName}, ${relayWhere})`,
    "  in a Node process of its own (not the bench's, which drives the browsers),",
    '  host and speaker on stage, each publishing from its own Chromium through',
    '  web/lab/media.html; then a listener Chromium (one for',
    `  the whole run) opens a fresh lab page per join, as a new user, ${joins} times after one warm-up;`,
    '  each page closes and its user leaves before the next. Spaces: mesh (maxMeshParticipants 6),',
    '  and relay (maxMeshParticipants 1, so it is on the relay before anyone connects).',
    '  The listener page opens with start=click: loaded, its API socket open, WebRTC warmed up',
    '  (one peer connection made and closed, as the app does on opening), in a mesh its offers to',
    '  the stage made (prepareStageOffers, to go with the join), it shows a Listen',
    '  button; the bench clicks it, and times run from the click event (its timeStamp) through',
    "  what web/lab/media.ts does next, the room page's order: joinSpace (which carries the offers",
    '  and returns the roster too), createRoomConnection + update (web/src/media), an audio element',
    '  per remote. audible (judged): the first non-zero sample of any remote audio track at the',
    '  audio output, stamped on the audio thread by an AudioWorklet the track also feeds (muted)',
    "  and mapped to the page's clock with getOutputTimestamp() (first-sound-tap.ts). played: the",
    '  first inbound-rtp in any connected peer connection whose totalAudioEnergy > 0, getStats',
    "  polled every 5 ms on the page's main thread, which sees the sound late by however long the",
    '  page is busy and by up to the 50 ms Chromium serves a cached report; all: both',
    '  speakers; heard: room.remotes() first shows a speaker with packets and level (the UI).',
    '  Room page (the web client, web/index.html, built beside the lab): before each join a new',
    '  user signs up through /api/auth (not timed) and the listener Chromium gets its session',
    '  cookie; a fresh page opens the home page and, once it lists the live space and has warmed',
    "  WebRTC up (main.tsx), the bench points at the space's card for 300 ms, as a person does",
    '  before clicking (the home page makes offers to the stage of the space pointed at, else the',
    '  first listed, ahead of a click), and clicks it: the app navigates to the room and,',
    '  as users have it, reads the space, its ticketing and stage (SpaceOpening) and, beside that',
    '  read, joins (JoinSpace, in a mesh carrying those offers, or offers made on the click to',
    '  the stage the home page listed); it makes its room connection (createRoomAudio) from the',
    "  join's answer, before the",
    '  room is read (SpaceView); played, all and heard as on the lab page (heard:',
    '  window.amphi.room); joined: JoinSpace answered. The pages take turns,',
    '  join after join.',
    '  Bare WebRTC: before each join, a fresh page of the listener browser loads /health, starts a',
    '  WebAudio tone, warms WebRTC up as the lab page does, and on a click two RTCPeerConnections',
    '  connect over loopback (offer, answer and',
    '  candidates handed across in the page); click to audible and played, the same ways.',
  ].join('\n'),
);

await buildLab({ readable: values.trace !== undefined, app: pages.includes('room') });
const listener = await openBrowser();
const phases: PhaseResult[] = [];
try {
  await prepareContext(listener.context);
  const modes = (['mesh', 'relay'] as const).filter((mode) => values.spaces.includes(mode));
  for (const mode of modes) {
    const started = performance.now();
    const traceDir = values.trace;
    const trace = traceDir
      ? (page: ListenerPage, join: number, events: TraceEvent[]) => {
          mkdirSync(traceDir, { recursive: true });
          const name = page === 'lab' ? `${mode}-${join}.json` : `${mode}-${page}-${join}.json`;
          writeFileSync(path.join(traceDir, name), JSON.stringify({ traceEvents: events }));
        }
      : undefined;
    const phase = await runPhase(mode, pages, listener.context, joins, relayWorkers, trace);
    phases.push(phase);
    for (const result of phase.pages) {
      if (!values.samples) continue;
      for (const { join, mesh } of result.samples) {
        process.stderr.write(`  ${label(result)} ${JSON.stringify({ ...join, ...mesh })}\n`);
      }
    }
    const joined = phase.pages.reduce((sum, result) => sum + result.samples.length, 0);
    process.stderr.write(
      `  ${mode}: ${joined} joins in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
    );
  }
} finally {
  await listener.close();
}
const results = phases.flatMap((phase) => phase.pages);

/** A row's name in the notes: the space, and the page when it is not the lab. */
function label(result: PageResult) {
  return result.page === 'lab' ? result.mode : `${result.mode} (room page)`;
}

/** p50 and p95; a mark not reached by the deadline counts as later than any. */
const spread = (values: (number | undefined)[]) => {
  const sorted = ascending(values.map((value) => value ?? Number.POSITIVE_INFINITY));
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};
const missed = `>${deadlineMs / 1000} s`;
const cell = (value: number) => (value === Number.POSITIVE_INFINITY ? missed : ms(value));
const pair = ({ p50, p95 }: { p50: number; p95: number }) => `${cell(p50)} / ${cell(p95)}`;
const of = (result: PageResult, mark: keyof Omit<FirstAudioMarks, 'error'>) =>
  spread(result.samples.map((sample) => sample.join[mark]));
const count = (result: PageResult, test: (marks: FirstAudioMarks) => boolean) =>
  result.samples.filter((sample) => test(sample.join)).length;

/** Judged on `audible`, the first sound at the output; `played` (polled) is printed beside it. */
const verdict = (result: PageResult) => {
  const audible = of(result, 'audible');
  return audible.p50 < bounds.p50 && audible.p95 < bounds.p95 ? 'PASS' : 'FAILED';
};

console.log('');
console.log(
  table(
    [
      'space',
      'page',
      'joins',
      'audible p50 / p95',
      `bounds <${bounds.p50} / <${bounds.p95}`,
      'bare WebRTC audible p50 / p95',
      'audible - bare p50',
      'played (polled) p50 / p95',
      'bare played (polled)',
      'both played p50 / p95',
      'heard (UI) p50 / p95',
      `by ${deadlineMs / 1000} s: none / one`,
    ],
    results.map((result) => {
      const audible = of(result, 'audible');
      const floor = spread(result.samples.map((sample) => sample.floor.audible));
      const none = count(result, (marks) => marks.played === undefined);
      const one = count(result, (marks) => marks.played !== undefined && !marks.playedAll);
      return [
        result.mode,
        result.page,
        String(result.samples.length),
        pair(audible),
        verdict(result),
        pair(floor),
        cell(audible.p50 - floor.p50),
        pair(of(result, 'played')),
        pair(spread(result.samples.map((sample) => sample.floor.played))),
        pair(of(result, 'playedAll')),
        pair(of(result, 'heard')),
        `${none} / ${one}`,
      ];
    }),
  ),
);
const steps = [
  ['joined', 'joined'],
  ['ready', 'room made'],
  ['created', 'first pc'],
  ['described', 'local sdp'],
  ['offerApplied', 'offer applied'],
  ['gathered', 'ICE gathered'],
  ['connected', 'connected'],
  ['channelMessage', 'channel msg'],
  ['packet', 'first packet'],
  ['played', 'played'],
  ['audible', 'audible'],
] as const;
console.log(
  table(
    ['space', 'page: p50 ms after click to', ...steps.map(([, label]) => label)],
    results.map((result) => [
      result.mode,
      result.page,
      ...steps.map(([mark]) => cell(of(result, mark).p50)),
    ]),
  ),
);
const floorSteps = results.map((r) => {
  const of = (mark: 'connected' | 'packet') =>
    cell(spread(r.samples.map((s) => s.floor[mark])).p50);
  return `${label(r)} phase connected ${of('connected')}, packet ${of('packet')}`;
});
const loopDelays = phases.map(
  ({ mode, loopDelay }) =>
    `${mode} p50 ${ms(loopDelay.p50)}, p99 ${ms(loopDelay.p99)}, max ${ms(loopDelay.max)}`,
);
const warmUps = results.map(
  (r) => `${label(r)} ${cell(r.warmUp.join.played ?? Number.POSITIVE_INFINITY)}`,
);
console.log(
  `  ms after the click. Each join is watched for ${deadlineMs / 1000} s; by then, none: no speaker played, one: only one of the two.` +
    `\n  warm-up joins (not counted), played: ${warmUps.join(', ')}; bare WebRTC p50: ${floorSteps.join('; ')}` +
    `\n  Amphi's event-loop delay over the joins (ms): ${loopDelays.join('; ')}` +
    `\n  load average at the end: ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
);
printMeshTimeline();
printRoomRequests();

/** Each page's mesh join hop by hop, both sides and the server's, p50 ms after the click. */
function printMeshTimeline() {
  for (const result of results.filter((r) => r.mode === 'mesh')) printPageMeshTimeline(result);
}

function printPageMeshTimeline(result: (typeof results)[number]) {
  const { labels, rows } = meshTimelineRows(
    result.samples.map((sample) => sample.mesh),
    (values) => cell(spread(values).p50),
  );
  console.log('');
  console.log(table([`mesh links, ${result.page} page: p50 ms after click to`, ...labels], rows));
  const listener = (['joined', 'connected', 'packet', 'played'] as const).map(
    (mark) => `${mark} ${cell(of(result, mark).p50)}`,
  );
  const atServer = (mark: 'joinCalled' | 'joinReturned') =>
    cell(spread(result.samples.map((sample) => sample.mesh?.[mark])).p50);
  console.log(
    `  the join at the server (its service, joinSpace's resolver), p50: called ${atServer('joinCalled')}, returned ${atServer('joinReturned')}`,
  );
  console.log(
    `  listener (earliest over its links), p50: ${listener.join(', ')}. at server: the signal service called;` +
      '\n  published: it returned; calls: sendMeshSignal calls on the link until the listener connected.',
  );
}

/** What the room page asked the server for between the click and its audio. */
function printRoomRequests() {
  for (const result of results.filter((r) => r.page === 'room')) {
    console.log('');
    console.log(
      table(
        [
          `${result.mode}, room page: after the click`,
          'joins',
          'times',
          'sent p50',
          'answered p50',
        ],
        roomRequestRows(result.samples.map((sample) => sample.requests ?? [])),
      ),
    );
  }
  if (results.some((r) => r.page === 'room')) {
    console.log(
      "  operations over the page's graphql-ws socket, by name (answered: their first reply);" +
        '\n  GET files: the scripts and styles the room page loads lazily, first asked to last in.',
    );
  }
}

for (const result of results) {
  if (verdict(result) === 'FAILED') {
    console.log(
      `  FAILED: ${label(result)} misses issue #15's bounds (p50 < ${bounds.p50} ms, p95 < ${bounds.p95} ms)`,
    );
    process.exitCode = 1;
  }
}
