/**
 * bench/burst: the relay's cost of a burst of listeners joining at once (issue #15: 500 attached,
 * hearing their slot, in <= 2 s; Janus 1.1.2 here: 1.9-2.2 s), without bench/relay's windows.
 * The relay runs in this process, pinned to core 0; the speaker and the listeners in
 * bench/relay's two peers processes on core 1 (node-datachannel: full ICE, DTLS-SRTP and the
 * data channel), so the relay CPU read from /proc is the relay's own. Each round joins N
 * listeners as bench/relay does (32 lanes), waits until all hear the speaker's slot, then
 * closes them again. Memory: the relay's RSS with them all attached, after full collections
 * (run with --expose-gc, as `npm run bench` does), less its RSS before the first round.
 * The relay's event-loop delay over the burst is printed too (the stall an existing listener
 * would hear), and its CPU by thread (main, V8's and libuv's helpers, kernel). The listeners'
 * CPU is printed beside the relay's: on their one core, they bound the burst too (a round where
 * they were busy nearly all its time is marked so), and their join path is run hot first against
 * another relay (warm-listeners.ts), so only the relay starts fresh.
 *
 * Options: --listeners=500  --rounds=3 (the first round is the one bench/relay measures: a
 *          relay that has only seated the speaker; later ones run warm)
 *          --profile (V8 CPU profile of each round, by file and function: first against warm)
 *          --relay-root=DIR (a checkout whose server/ to measure instead of this one: A/B)
 *          --warm-listeners=100 (joins that warm the listeners' processes first; 0: none)
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { BURST_GOAL_MS, BURST_PEER, burstVerdict } from '../relay/burst-verdict.ts';
import { profiled } from '../relay/cpu-profile.ts';
import { processSeconds } from '../relay/host-load.ts';
import { joinListeners, joinSpeaker } from '../relay/joins.ts';
import { SPEAKER_ID } from '../relay/protocol.ts';
import { startRelayBesidePeers } from '../relay/relay-beside-peers.ts';
import { memoryMiB } from '../relay/relay-steps.ts';
import { threadCpu, threadCpuSince } from '../relay/thread-cpu.ts';
import { warmListeners } from '../relay/warm-listeners.ts';

const { values } = parseArgs({
  options: {
    listeners: { type: 'string', default: '500' },
    rounds: { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
    'relay-root': { type: 'string' },
    'warm-listeners': { type: 'string', default: '100' },
  },
});
const count = Number(values.listeners);
const rounds = Number(values.rounds);
if (!Number.isInteger(count) || count < 1 || !Number.isInteger(rounds) || rounds < 1) {
  throw new Error('--listeners and --rounds take positive integers');
}

const SPACE = 'burst';
const BUDGET_MS = 60_000;
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const { relay, peers, root, pinned } = await startRelayBesidePeers(count, values['relay-root']);
const lines: string[] = [];
try {
  await peers.call({ type: 'capture' });
  await warmListeners(peers, Number(values['warm-listeners']));
  relay.setPublishers(SPACE, new Set([SPEAKER_ID]));
  await joinSpeaker(relay, peers, SPACE, SPEAKER_ID);
  await peers.call({ type: 'target', target: { kind: 'silent' } });
  const baselineMiB = await memoryMiB();
  for (let round = 1; round <= rounds; round++) {
    const loadBefore = load();
    const join = () => joinListeners(relay, peers, SPACE, 0, count, performance.now() + BUDGET_MS);
    const cpuBefore = processSeconds(process.pid);
    const threadsBefore = threadCpu(process.pid);
    // What a listener already hearing the speaker would feel: the relay forwards on this loop.
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const peersCpuBefore = peers.cpuSeconds();
    const outcome = values.profile
      ? await profiled(`the relay taking ${count} listeners (round ${round})`, join)
      : await join();
    loopDelay.disable();
    const cpuMs = (processSeconds(process.pid) - cpuBefore) * 1000;
    const threads = threadCpuSince(threadsBefore, threadCpu(process.pid));
    const peersCpuMs = (peers.cpuSeconds() - peersCpuBefore) * 1000;
    const perListenerMiB = ((await memoryMiB()) - baselineMiB) / count;
    const line =
      `round ${round}: ${outcome.ready}/${count} hear their slot after ` +
      `${(outcome.ms / 1000).toFixed(2)} s, relay CPU ${(cpuMs / 1000).toFixed(2)} s ` +
      `(${(cpuMs / count).toFixed(2)} ms/join: ${threads}), listeners' CPU ${(peersCpuMs / 1000).toFixed(2)} s` +
      `, event loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms, ` +
      `max ${(loopDelay.max / 1e6).toFixed(0)} ms` +
      (outcome.failed > 0 ? `, ${outcome.failed} failed` : '') +
      (outcome.error ? `, first error: ${outcome.error}` : '') +
      ` (${burstVerdict({ listeners: count, ready: outcome.ready, ms: outcome.ms, cpuMs, peersCpuMs })})` +
      `; ${perListenerMiB.toFixed(3)} MB/listener (RSS after collections); load average ${loadBefore}`;
    lines.push(line);
    process.stderr.write(`  ${line}\n`);
    await Promise.all(
      Array.from({ length: count }, (_, index) => relay.close(SPACE, `listener-${index}`)),
    );
    await peers.leave(count);
    globalThis.gc?.();
    await sleep(2_000);
  }
} finally {
  peers.stop();
  await Promise.race([relay.stop(), sleep(10_000)]);
}
console.log(
  `bench/burst: ${count} listeners joining the relay at once (32 lanes), relay ${root}` +
    `${pinned ? ', pinned to core 0, peers to core 1' : ', NOT pinned'}; node ${process.version}`,
);
for (const line of lines) console.log(`  ${line}`);
console.log(`  goal: 500 attached in <= ${BURST_GOAL_MS / 1000} s (${BURST_PEER})`);
process.exit(0);
