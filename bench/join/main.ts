/**
 * bench/join: click-to-first-audio for a listener joining a live space whose host and speaker
 * publish, once in a browser mesh and once through the relay, beside the bare WebRTC floor (two
 * peer connections in one page of the same browser, no signalling server) measured in turn.
 *
 * Options: --joins=20 (per space, after one warm-up join)
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { openBrowser } from '../../tests/e2e/helpers/chromium.ts';
import { ascending, ms, percentile, table } from '../subscriptions/stats.ts';
import { buildLab } from './build-lab.ts';
import type { FirstAudioMarks } from './first-audio-probe.ts';
import { prepareContext } from './lab-page.ts';
import { deadlineMs, type PhaseResult, runPhase } from './phase.ts';

const { values } = parseArgs({ options: { joins: { type: 'string', default: '20' } } });
const joins = Number(values.joins);
if (!Number.isInteger(joins) || joins < 1) throw new Error(`--joins takes a positive integer`);

console.log('bench/join: click to first audio for a listener joining a space');
console.log(
  [
    `  setup: ${availableParallelism()} cores, node ${process.version}, Debian Chromium (headless,`,
    '  fake microphone playing a steady tone), everything on 127.0.0.1. Per space: a fresh Amphi',
    '  (startTestApp, in-memory PGlite), host and speaker on stage, each publishing from its own',
    '  Chromium through web/lab/media.html; then a listener Chromium (one for the whole run) opens',
    `  a fresh page per join, as a new user, ${joins} times after one warm-up join; each page closes and`,
    '  its user leaves before the next. Spaces: mesh (maxMeshParticipants 6), and relay',
    '  (maxMeshParticipants 1, so it is on the relay before anyone connects).',
    '  Times run from the lab page navigation start (performance.now() in the page) to: the lab',
    '  ready (joinSpace, roster query, subscription, room connection created); the first inbound',
    '  audio packet with a level in any of its peer connections getStats() (polled every 20 ms);',
    '  the first speaker, then both, in room.remotes() with packets > 0 and level > 0 (polled',
    '  every 5 ms). Bare WebRTC: before each join, a fresh page of the listener browser loads',
    "  Amphi's /health, and two RTCPeerConnections in it connect over loopback (offer, answer and",
    '  candidates handed across in the page) and send a WebAudio tone; time from navigation start',
    '  to the first inbound packet with a level (getStats polled every 5 ms).',
  ].join('\n'),
);

await buildLab();
const listener = await openBrowser();
const results: PhaseResult[] = [];
try {
  await prepareContext(listener.context);
  for (const mode of ['mesh', 'relay'] as const) {
    const started = performance.now();
    const result = await runPhase(mode, listener.context, joins);
    results.push(result);
    process.stderr.write(
      `  ${mode}: ${result.samples.length} joins in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
    );
  }
} finally {
  await listener.close();
}

/** p50 and p95; a mark not reached by the deadline counts as later than any. */
const spread = (values: (number | undefined)[]) => {
  const sorted = ascending(values.map((value) => value ?? Number.POSITIVE_INFINITY));
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
};
const missed = `>${deadlineMs / 1000} s`;
const cell = (value: number) => (value === Number.POSITIVE_INFINITY ? missed : ms(value));
const pair = ({ p50, p95 }: { p50: number; p95: number }) => `${cell(p50)} / ${cell(p95)}`;
const of = (result: PhaseResult, mark: keyof Omit<FirstAudioMarks, 'error'>) =>
  spread(result.samples.map((sample) => sample.join[mark]));
const count = (result: PhaseResult, test: (marks: FirstAudioMarks) => boolean) =>
  result.samples.filter((sample) => test(sample.join)).length;

console.log('');
console.log(
  table(
    [
      'space',
      'joins',
      'lab ready p50',
      'first packet p50 / p95',
      'heard p50 / p95',
      'both heard p50 / p95',
      `by ${deadlineMs / 1000} s: none / one`,
      'bare WebRTC p50 / p95',
      'heard - bare p50',
    ],
    results.map((result) => {
      const heard = of(result, 'heard');
      const floor = spread(result.samples.map((sample) => sample.floor.packet));
      const none = count(result, (marks) => marks.heard === undefined);
      const one = count(result, (marks) => marks.heard !== undefined && !marks.heardAll);
      return [
        result.mode,
        String(result.samples.length),
        cell(of(result, 'ready').p50),
        pair(of(result, 'packet')),
        pair(heard),
        pair(of(result, 'heardAll')),
        `${none} / ${one}`,
        pair(floor),
        cell(heard.p50 - floor.p50),
      ];
    }),
  ),
);
console.log(
  table(
    [
      'space: p50 ms to',
      'lab ready',
      'first peer connection',
      'offer applied',
      'ICE gathered',
      'connected',
      'first channel message',
      'first packet',
    ],
    results.map((result) => [
      result.mode,
      ...(
        [
          'ready',
          'created',
          'offerApplied',
          'gathered',
          'connected',
          'channelMessage',
          'packet',
        ] as const
      ).map((mark) => cell(of(result, mark).p50)),
    ]),
  ),
);
const warmUps = results.map(
  (r) => `${r.mode} ${cell(r.warmUp.join.heard ?? Number.POSITIVE_INFINITY)}`,
);
const connected = results.map(
  (r) => `${r.mode} phase ${cell(spread(r.samples.map((s) => s.floor.connected)).p50)}`,
);
console.log(
  '  ms from navigation start. heard: the first speaker in room.remotes() (what the app shows);' +
    '\n  first packet: the same audio in getStats() directly, so heard - first packet is the' +
    "\n  room's sampling (getStats every 200 ms tick; the relay every 5th tick once no mesh exists)." +
    `\n  Each join is watched for ${deadlineMs / 1000} s; by then, none: no speaker heard, one: only one of the two.` +
    `\n  warm-up joins (not counted), heard: ${warmUps.join(', ')}; bare WebRTC connected p50: ${connected.join(', ')}`,
);
