/**
 * bench/broadcast: the broadcast tier and recording.
 * - HLS serving: N concurrent listeners fetching a live space's playlist and segments from
 *   Amphi, and the same files from a plain static file server (sirv), in the same run.
 * - Recording cost per speaker: CPU and disk bytes per minute (tracks and the mixed track).
 * - Broadcast latency: a speaker's tone → first heard in the web client's hls.js player in
 *   Chromium (measured), with the server's part (relay → listed in the playlist) beside it.
 *
 * Options: --listeners=10,100,500  --seconds=5 (per serving phase)  --speakers=1,4
 *          --minutes=2 (of audio per recording run)
 *          --latency-rounds=5
 */
import { parseArgs } from 'node:util';
import { benchHlsServing } from './hls-serving.ts';
import { latencySummary } from './latency-summary.ts';
import { benchPlayerLatency } from './player-latency.ts';
import { benchRecordingCost } from './recording-cost.ts';

const { values } = parseArgs({
  options: {
    listeners: { type: 'string', default: '10,100,500' },
    seconds: { type: 'string', default: '5' },
    speakers: { type: 'string', default: '1,4' },
    minutes: { type: 'string', default: '2' },
    'latency-rounds': { type: 'string', default: '5' },
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
console.log("bench/broadcast: latency (speaker's tone → heard in the web client's hls.js player)");
const rounds = await benchPlayerLatency(Number(values['latency-rounds']));
console.table(rounds);
console.log(latencySummary(rounds));
// @roamhq/wrtc's native threads keep Node alive after its peers close (as in bench/relay).
process.exit(0);
