import type { LatencyRound } from './player-latency.ts';

/** What the server is configured to make (server/broadcast/hls-broadcast.ts). */
const SEGMENT_S = 2;
/** hls.js's default (and RFC 8216 §6.3.3's SHOULD): start three target durations from the end. */
const LIVE_SYNC_SEGMENTS = 3;

function quantiles(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), max: sorted.at(-1) };
}

const seconds = (ms: number | undefined) =>
  ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`;

/**
 * The headline (heard, p50 / max, failed rounds), the server's share measured in the same
 * rounds, and the floor the format sets: hls.js starts `LIVE_SYNC_SEGMENTS` target durations
 * behind the end of the newest listed segment, and that segment is 0 to `SEGMENT_S` old by then
 * (the player's start falls anywhere between two segments), then keeps that distance.
 */
export function latencySummary(rounds: LatencyRound[]): string {
  const heard = rounds.flatMap((row) => (row.heardMs === 'failed' ? [] : [row.heardMs]));
  const server = rounds.flatMap((row) =>
    row.relayToListedMs === null ? [] : [row.relayToListedMs],
  );
  const failed = rounds.length - heard.length;
  const h = quantiles(heard);
  const s = quantiles(server);
  const sync = LIVE_SYNC_SEGMENTS * SEGMENT_S;
  return [
    `heard in the player (measured): p50 ${seconds(h.p50)}, max ${seconds(h.max)}` +
      ` over ${heard.length} rounds${failed > 0 ? `, ${failed} FAILED (never heard)` : ''}`,
    `  server side, relay → listed in the playlist (same rounds): p50 ${seconds(s.p50)},` +
      ` max ${seconds(s.max)}`,
    `  floor: hls.js live sync ${LIVE_SYNC_SEGMENTS} × ${SEGMENT_S} s target duration behind a` +
      ` newest segment 0–${SEGMENT_S} s old = ${sync}–${sync + SEGMENT_S} s, + the mix's 0.2 s`,
  ].join('\n');
}
