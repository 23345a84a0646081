/**
 * bench/idle: what a relay holding many listener sessions costs while nobody speaks (issue #15:
 * the "silent cost" a second worker pays again in a cascade). The relay runs in this process,
 * pinned to core 0, as a worker would (unpooled buffers); the listeners are bench/relay's
 * node-datachannel peers (full ICE, DTLS-SRTP, the data channel) on core 1. A speaker is seated
 * but sends nothing, so the listeners are announced their slot and the relay forwards nothing:
 * what it spends is its per-session background work (answering consent checks, SCTP heartbeats,
 * timers). The window's CPU (all threads, /proc) is printed per second and per 100 sessions, then,
 * with --profile, a second window under V8's sampling profiler says what it went on (the profiler
 * costs something itself, hence a window of its own).
 *
 *   npm run bench -- idle [--listeners=500] [--seconds=20] [--profile] [--relay-root=DIR]
 */
import { Socket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { profiled } from '../relay/cpu-profile.ts';
import { joinListeners, joinSpeaker } from '../relay/joins.ts';
import { SPEAKER_ID } from '../relay/protocol.ts';
import { startRelayBesidePeers } from '../relay/relay-beside-peers.ts';
import { type ThreadCpu, threadCpu } from '../relay/thread-cpu.ts';

const { values } = parseArgs({
  options: {
    listeners: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '20' },
    profile: { type: 'boolean', default: false },
    'relay-root': { type: 'string' },
  },
});
const count = Number(values.listeners);
const seconds = Number(values.seconds);
if (!Number.isInteger(count) || count < 1 || !(seconds > 0)) {
  throw new Error('--listeners takes a positive integer, --seconds a positive number');
}

const SPACE = 'idle';
const JOIN_BUDGET_MS = 120_000;
/**
 * Long enough for the joins' own work (handshakes, first checks, compilation) to be over and for
 * the periodic work to run in its steady state: SCTP's first heartbeats go ~33 s (RTO + 30 s)
 * after an association starts, so a window that opens sooner misses them.
 */
const SETTLE_MS = 40_000;

/**
 * Datagrams in and out of this process's UDP sockets (the relay's shared socket; the listeners
 * are in other processes): unlike CPU on this shared host, a count that noise does not move.
 */
const datagrams = { in: 0, out: 0 };
const { emit, send } = Socket.prototype;
Socket.prototype.emit = function (this: Socket, event: string | symbol, ...args: unknown[]) {
  if (event === 'message') datagrams.in++;
  return (emit as (...all: unknown[]) => boolean).call(this, event, ...args);
};
Socket.prototype.send = function (this: Socket, ...args: unknown[]) {
  datagrams.out++;
  return (send as (...all: unknown[]) => void).apply(this, args);
} as Socket['send'];

/** "main 12.3, helpers 1.0, kernel 4.5 ms/s per 100 sessions" between two readings. */
function perHundred(from: ThreadCpu, to: ThreadCpu, ms: number, sessions: number): string {
  const rate = (cpuSeconds: number) => ((cpuSeconds * 1e6) / ms / (sessions / 100)).toFixed(1);
  const total = to.main + to.helpers - from.main - from.helpers;
  return (
    `${rate(total)} ms of CPU per second per 100 sessions (main thread ${rate(to.main - from.main)}, ` +
    `helper threads ${rate(to.helpers - from.helpers)}; of all, kernel ${rate(to.system - from.system)})`
  );
}

async function window(sessions: number): Promise<string> {
  const before = threadCpu(process.pid);
  const { in: inBefore, out: outBefore } = datagrams;
  const started = performance.now();
  await sleep(seconds * 1000);
  const ms = performance.now() - started;
  const rate = (count: number) => ((count * 1000) / ms / (sessions / 100)).toFixed(1);
  return (
    `${perHundred(before, threadCpu(process.pid), ms, sessions)}; datagrams per second per 100 ` +
    `sessions: ${rate(datagrams.in - inBefore)} in, ${rate(datagrams.out - outBefore)} out`
  );
}

const { relay, peers, root, pinned } = await startRelayBesidePeers(count, values['relay-root']);
const lines: string[] = [];
try {
  await peers.call({ type: 'capture' });
  relay.setPublishers(SPACE, new Set([SPEAKER_ID]));
  await joinSpeaker(relay, peers, SPACE, SPEAKER_ID);
  await peers.call({ type: 'target', target: { kind: 'silent' } });
  const joined = await joinListeners(
    relay,
    peers,
    SPACE,
    0,
    count,
    performance.now() + JOIN_BUDGET_MS,
  );
  if (joined.ready < count) {
    throw new Error(
      `only ${joined.ready}/${count} listeners joined (${joined.error ?? 'no error'})`,
    );
  }
  await sleep(SETTLE_MS);
  const sessions = relay.stats().sessions;
  process.stderr.write(`  holding ${sessions} sessions; measuring for ${seconds} s\n`);
  const peersBefore = peers.cpuSeconds();
  lines.push(`${seconds} s window: ${await window(sessions)}`);
  const peersShare = (peers.cpuSeconds() - peersBefore) / seconds;
  lines.push(`listeners' processes meanwhile: ${(peersShare * 100).toFixed(0)}% of a core`);
  if (values.profile) {
    const label = `the relay holding ${sessions} idle sessions for ${seconds} s`;
    lines.push(`profiled window: ${await profiled(label, () => window(sessions))}`);
  }
} finally {
  peers.stop();
  await Promise.race([relay.stop(), sleep(10_000)]);
}
console.log(
  `bench/idle: a relay holding ${count} listeners and a silent speaker, relay ${root}` +
    `${pinned ? ', pinned to core 0, peers to core 1' : ', NOT pinned'}; node ${process.version}`,
);
for (const line of lines) console.log(`  ${line}`);
process.exit(0);
