/**
 * bench/broadcast: the broadcast tier and recording.
 * - HLS serving: N concurrent listeners fetching a live space's playlist and segments from
 *   Amphi, and the same files from a plain static file server (sirv), in the same run.
 * - Recording cost per speaker: CPU and disk bytes per minute (tracks and the mixed track).
 * - Broadcast latency: a speaker's first loud packet at the relay → listed in a segment.
 *
 * Options: --listeners=10,100,500  --seconds=5 (per serving phase)  --speakers=1,4
 *          --minutes=2 (of audio per recording run)
 *          --latency-rounds=3
 */
import { parseArgs } from 'node:util';
import { benchHlsServing } from './hls-serving.ts';
import { benchLatency } from './latency.ts';
import { benchRecordingCost } from './recording-cost.ts';

const { values } = parseArgs({
  options: {
    listeners: { type: 'string', default: '10,100,500' },
    seconds: { type: 'string', default: '5' },
    speakers: { type: 'string', default: '1,4' },
    minutes: { type: 'string', default: '2' },
    'latency-rounds': { type: 'string', default: '3' },
  },
});
const numbers = (list: string, name: string) => {
  const parsed = list.split(',').map(Number);
  if (parsed.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`--${name} takes positive integers, not ${list}`);
  }
  return parsed;
};

console.log('bench/broadcast: HLS serving (listeners fetch playlist + every segment, looped)');
console.table(
  await benchHlsServing(numbers(values.listeners, 'listeners'), Number(values.seconds) * 1000),
);
console.log('bench/broadcast: recording cost (per speaker track + the mixed track, on disk)');
const rows = [];
for (const speakers of numbers(values.speakers, 'speakers')) {
  rows.push(await benchRecordingCost(speakers, Number(values.minutes)));
}
console.table(rows);
console.log('bench/broadcast: latency (server side, measured; player, estimated for hls.js)');
console.table(await benchLatency(Number(values['latency-rounds'])));
