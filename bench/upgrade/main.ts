/**
 * bench/upgrade: the longest audio gap listeners hear while a live space moves from the browser
 * mesh to the relay, beside the sampling floor: the longest gap the same sampler reports on a
 * steady relay-only stream watched as long.
 *
 * Options: --rounds=5  --flow=2000 (ms of mesh audio before the join that triggers the switch)
 *          --guest (a guest listens through the relay from before the flow: the stage publishes
 *          to the relay beside the mesh, and the switch finds its audio there already)
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { defaultConfig } from '../../server/config.ts';
import { openBrowser } from '../../tests/e2e/helpers/chromium.ts';
import { startTestApp } from '../../tests/helpers/test-app.ts';
import { buildLab } from '../join/build-lab.ts';
import { prepareContext } from '../join/lab-page.ts';
import { ascending, ms, percentile, table } from '../subscriptions/stats.ts';
import { type Browsers, type RoundResult, runRound } from './round.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    flow: { type: 'string', default: '2000' },
    guest: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
const flowMs = Number(values.flow);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds takes a positive integer');
if (!Number.isFinite(flowMs) || flowMs < 0) throw new Error('--flow takes milliseconds');

console.log('bench/upgrade: longest audio gap across the mesh → relay switch');
console.log(
  [
    `  setup: ${availableParallelism()} cores, node ${process.version}, Debian Chromium (headless,`,
    '  fake microphone playing a steady tone), everything on 127.0.0.1. One Amphi (startTestApp,',
    '  in-memory PGlite, maxMeshParticipants 4) and five Chromiums, one per person, reused with',
    '  fresh pages of web/lab/media.html. Each round: a new space with host and speaker on stage',
    '  and two listeners, all joined through their pages; once all hear everyone on stage through',
    `  the mesh, ${flowMs / 1000} s of audio, then a fifth person opens the page and joins, which moves the`,
    '  space onto the relay. When every page (the joiner too) plays every speaker from the relay,',
    "  each earlier page's lab.audible() gives, per speaker it hears, the longest stretch without",
    '  new inbound packets since audio first arrived (host and speaker hear each other, listeners',
    '  both: 6 pairs a round). The lab samples room.stats() every 50 ms; the room itself samples',
    '  getStats() on a 200 ms tick, the relay only every 5th tick once no mesh peer is left.',
    '  Floor: then a fresh listener page (the joiner closed, its browser reused) joins the relay-',
    '  only space and is watched as long as the flow plus the switch took; its longest gap over',
    '  both speakers is what "no gap" looks like with this instrument.',
    ...(values.guest
      ? [
          '  --guest: before the flow a guest opens a relay session (never answered), so the space',
          '  has a relay audience and host and speaker publish to the relay beside the mesh.',
        ]
      : []),
  ].join('\n'),
);

await buildLab();
const t = await startTestApp({
  hosting: { minFollowers: 0, minFollowersTicketed: 0 },
  // Four people fit in the mesh; the fifth moves the space onto the relay.
  media: {
    ...defaultConfig.media,
    policy: { ...defaultConfig.media.policy, maxMeshParticipants: 4 },
  },
});
const opened: Awaited<ReturnType<typeof openBrowser>>[] = [];
const results: RoundResult[] = [];
try {
  const contexts = [];
  for (let i = 0; i < 5; i++) {
    const browser = await openBrowser();
    opened.push(browser);
    await prepareContext(browser.context);
    contexts.push(browser.context);
  }
  const [host, speaker, first, second, joiner] = contexts;
  if (!host || !speaker || !first || !second || !joiner) throw new Error('browsers missing');
  const browsers: Browsers = { host, speaker, first, second, joiner };
  for (let round = 1; round <= rounds; round++) {
    const result = await runRound(t, browsers, flowMs, `upgrade round ${round}`, values.guest);
    results.push(result);
    const worst = Math.max(...result.gaps.map((gap) => gap.gapMs));
    process.stderr.write(
      `  round ${round}: switch ${ms(result.switchMs)} ms, longest gap ${ms(worst)} ms, floor ${ms(result.floorMs)} ms\n`,
    );
  }
} finally {
  for (const browser of opened) await browser.close();
  await t.stop();
}

const longest = (result: RoundResult) =>
  result.gaps.reduce((worst, gap) => (gap.gapMs > worst.gapMs ? gap : worst));
const median = (values: number[]) => percentile(ascending(values), 50);

console.log('');
console.log(
  table(
    [
      'round',
      'mesh ready s',
      'switch ms',
      'longest gap ms',
      'heard by ← from',
      'pairs p50 ms',
      'before join ms',
      'window s',
      'relay-only floor ms',
    ],
    results.map((result, index) => {
      const worst = longest(result);
      return [
        String(index + 1),
        (result.meshReadyMs / 1000).toFixed(1),
        ms(result.switchMs),
        ms(worst.gapMs),
        `${worst.page} ← ${worst.speaker}`,
        ms(median(result.gaps.map((gap) => gap.gapMs))),
        ms(result.meshGapMs),
        (result.windowMs / 1000).toFixed(1),
        ms(result.floorMs),
      ];
    }),
  ),
);
const pairs = results.flatMap((result) => result.gaps.map((gap) => gap.gapMs));
const perRound = results.map((result) => longest(result).gapMs);
const floors = results.map((result) => result.floorMs);
const row = (what: string, values: number[]) => [
  what,
  String(values.length),
  ms(median(values)),
  ms(Math.max(...values)),
];
console.log('');
console.log(
  table(
    ['over all rounds', 'n', 'p50 ms', 'max ms'],
    [
      row('longest gap, each listener ← speaker', pairs),
      row('longest gap, per round', perRound),
      row(
        'steady mesh, same pages before the join',
        results.map((r) => r.meshGapMs),
      ),
      row('sampling floor: relay-only page', floors),
    ],
  ),
);
console.log(
  '  mesh ready: pages opened until all heard each other via the mesh; switch: from the' +
    '\n  joiner page navigation until every page played every speaker from the relay. before' +
    '\n  join: the same pages read just before the join (longest gap over the 6 pairs); window:' +
    '\n  flow + switch, how long the relay-only page was watched.',
);
const notRelay = results.flatMap((result) => result.gaps.filter((gap) => gap.source !== 'relay'));
for (const gap of notRelay) {
  console.log(`  ! ${gap.page} played ${gap.speaker} from ${gap.source} when the gaps were read`);
}
