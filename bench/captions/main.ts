/**
 * bench/captions: speech-to-caption latency (p50/p95), word error rate on a fixed sentence set
 * and engine CPU per concurrent speaker, through the whole pipeline (libwebrtc → relay → Opus
 * decode → pocketsphinx → stored → graphql-ws subscriber), beside the engine alone on the same
 * speech: the physical floor for latency and CPU.
 *
 * Options: --speakers=1,2,4
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { wordErrorRate } from '../../server/captions/wer.ts';
import { defaultConfig } from '../../server/config.ts';
import { startTestApp } from '../../tests/helpers/test-app.ts';
import { synthesiseAll, TEST_SENTENCES } from '../../tests/helpers/test-speech.ts';
import { ascending, ms, percentile, table } from '../subscriptions/stats.ts';
import { engineAlone } from './engine-alone.ts';
import { type RoundResult, runRound } from './round.ts';

const { values } = parseArgs({ options: { speakers: { type: 'string', default: '1,2,4' } } });
const counts = values.speakers.split(',').map(Number);
if (counts.some((count) => !Number.isInteger(count) || count < 1 || count > 13)) {
  throw new Error('--speakers takes a comma-separated list of 1 to 13');
}

const reference = TEST_SENTENCES.join(' ');
console.log('bench/captions: live captions, speech to screen');
console.log(
  [
    `  setup: ${availableParallelism()} cores, node ${process.version}, Debian pocketsphinx (en-us`,
    '  model, Python bindings, one process per speaker), flite speaking the four fixed sentences',
    '  of tests/helpers/test-speech.ts (20 s with 1.5 s pauses). Pipeline rows: one Amphi',
    '  (startTestApp, PGlite), N speakers on stage each playing the speech through a libwebrtc',
    '  peer (@roamhq/wrtc, real Opus) into the relay at once; one listener times every caption on',
    '  its graphql-ws subscription. Final latency: caption received − end of its last word (space',
    '  time: relay arrival + RTP clock); first partial: received − start of its first word. CPU:',
    '  the engine processes only (reaped children), per speaker, as a share of one core. The Node',
    '  process (peers, relay, Opus decode, database) is not in that figure.',
    '  Floor: the engine alone fed the same speech at 16 kHz in real-time 20 ms chunks (no Opus,',
    '  no network, no database): latency after the last word written, and its CPU.',
  ].join('\n'),
);

const speech48 = await synthesiseAll(TEST_SENTENCES, 48_000);
const speech16 = await synthesiseAll(TEST_SENTENCES, 16_000);
const floor = await engineAlone(speech16);

const t = await startTestApp({ hosting: { ...defaultConfig.hosting, minFollowers: 0 } });
const results: RoundResult[] = [];
try {
  for (const count of counts) results.push(await runRound(t, count, speech48, reference));
} finally {
  await t.stop();
}

const latency = (values: number[]) => {
  const sorted = ascending(values);
  return [ms(percentile(sorted, 50)), ms(percentile(sorted, 95))];
};
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
console.log(
  table(
    [
      'run',
      'finals',
      'final p50 ms',
      'final p95 ms',
      'partial p50 ms',
      'WER',
      'degraded',
      'engine CPU/speaker',
    ],
    [
      [
        'floor: engine alone',
        String(floor.finals.length),
        ...latency(floor.latencies),
        '-',
        percent(wordErrorRate(reference, floor.finals.join(' '))),
        '-',
        percent(floor.cpuSeconds / floor.audioSeconds),
      ],
      ...results.map((result) => [
        `pipeline, ${result.speakers} speaker${result.speakers > 1 ? 's' : ''}`,
        String(result.finalLatencies.length),
        ...latency(result.finalLatencies),
        latency(result.firstPartialLatencies)[0] ?? '-',
        percent(result.wordErrorRate),
        percent(result.degradedShare),
        percent(result.engineCpuSeconds / result.audioSeconds),
      ]),
    ],
  ),
);
console.log(
  '  WER: word-level edit distance over the reference words, mean over speakers. Final latency is\n' +
    "  mostly pocketsphinx's end-of-speech wait (its voice activity detector needs trailing\n" +
    '  silence), which the floor pays too. Degraded: share of finals marked late or missing words\n' +
    '  (an engine over 1.5 s behind, or audio dropped past its 4 s backlog limit).',
);
// The wrtc peers' native threads can keep the process alive after everything is closed.
process.exit(0);
