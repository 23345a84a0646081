/**
 * The listeners, in their own process so their CPU is not the server's: each fetches the
 * playlist and then every segment in it, again and again, for the given time (a player that
 * joins, as fast as it can), and the process prints what it measured as one JSON line.
 *
 *   tsx load.ts <playlist URL> <listeners> <ms>
 */
export {};

const [playlistUrl = '', listenerArg = '10', msArg = '3000'] = process.argv.slice(2);
const listeners = Number(listenerArg);
const until = performance.now() + Number(msArg);
const latencies: number[] = [];
let bytes = 0;
let failures = 0;

async function get(url: string): Promise<string | null> {
  const started = performance.now();
  const response = await fetch(url);
  const body = new Uint8Array(await response.arrayBuffer());
  latencies.push(performance.now() - started);
  bytes += body.length;
  if (response.status !== 200) {
    failures += 1;
    return null;
  }
  return new TextDecoder().decode(body);
}

async function listener() {
  while (performance.now() < until) {
    const playlist = await get(playlistUrl);
    if (!playlist) continue;
    const files = playlist.split('\n').filter((line) => line && !line.startsWith('#'));
    for (const file of files) await get(new URL(file, playlistUrl).href);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: listeners }, listener));
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = (q: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ requests: latencies.length, seconds, bytes, failures, p50: at(0.5), p99: at(0.99) })}\n`,
);
