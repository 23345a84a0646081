/**
 * bench/relay: one speaker heard by N listeners through Amphi's relay, beside the same
 * packets fanned out by plain dgram sockets, without and with per-packet SRTP-like crypto (the
 * limit). The relay runs in this process on one core; the load generator on the other, as two
 * processes: a timing one (the speaker and a sample of listeners spread over join order, whose
 * every packet it times; lightly loaded, so its event loop adds no queue of its own to the
 * delay) and a counting one at a low priority (every other listener, counting packets, so
 * loss is judged at every listener). All traffic on 127.0.0.1; times on CLOCK_MONOTONIC.
 *
 * Options: --listeners=100,500,1000,2000  --window=6 (seconds per relay window)
 *          --limit-window=3 (seconds per fan-out window)  --join-gap=100 --join-rate=100 (at
 *          each step, listeners that join at that rate per second while the speaker talks; the
 *          longest gap between packets at the existing listeners meanwhile)
 *          --profile (V8 CPU profiles, by file and function, of the last step's joins and of
 *          its listeners joining while the speaker talks, and of the relay forwarding and then
 *          idle at the first step that saturates it, or the last)
 *          --warm-listeners=100 (joins that warm the listeners' processes first, against a
 *          relay in another process, so the burst's load generator is not cold; 0: none)
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { nativeSrtp } from '../../server/media/relay/native-srtp.ts';
import { createRelay } from '../../server/media/relay/relay.ts';
import { unpoolBuffers } from '../../server/media/relay/unpooled-buffers.ts';
import { BURST_GOAL_MS, BURST_PEER, burstVerdict } from './burst-verdict.ts';
import { startFanout } from './fanout.ts';
import { createHostLoad } from './host-load.ts';
import { startPeers, TIMED_SAMPLE, timedEveryFor } from './peer-processes.ts';
import { pinToCore } from './peers-process.ts';
import type { Protection } from './protocol.ts';
import { runRelaySteps } from './relay-steps.ts';
import {
  caveats,
  DELAY_GOAL_MS,
  failure,
  JOIN_GAP_GOAL_MS,
  type LimitRow,
  LOSS_GOAL,
  limitTable,
  listenersPerCore,
  relayTable,
  verdict,
} from './report.ts';
import { TAG_BYTES } from './srtp-like.ts';
import { type Measured, measureWindow, QUIET, quietHost } from './window.ts';

const { values } = parseArgs({
  options: {
    listeners: { type: 'string', default: '100,500,1000,2000' },
    window: { type: 'string', default: '6' },
    'limit-window': { type: 'string', default: '3' },
    profile: { type: 'boolean', default: false },
    'join-gap': { type: 'string', default: '100' },
    'join-rate': { type: 'string', default: '100' },
    'warm-listeners': { type: 'string', default: '100' },
  },
});
const joinGap = { joiners: Number(values['join-gap']), perSecond: Number(values['join-rate']) };
if (!Number.isInteger(joinGap.joiners) || joinGap.joiners < 0 || !(joinGap.perSecond > 0)) {
  throw new Error('--join-gap takes a count >= 0 and --join-rate a positive rate');
}
const counts = [...new Set(values.listeners.split(',').map(Number))].sort((a, b) => a - b);
if (counts.some((count) => !Number.isInteger(count) || count < 1)) {
  throw new Error(`--listeners takes positive integers, not ${values.listeners}`);
}
const relayWindowMs = Number(values.window) * 1000;
const limitWindowMs = Number(values['limit-window']) * 1000;

/** Descriptors each process needs beside one socket per listener: files, the speaker, IPC. */
const DESCRIPTOR_RESERVE = 256;
const PROTECTIONS: readonly Protection[] = ['plain', 'ctr-hmac', 'gcm'];
/** Per relay step: a fixed allowance plus a share per listener added. */
const joinBudgetMs = (added: number) => 20_000 + 60 * added;

const openFileLimit = Number(spawnSync('sh', ['-c', 'ulimit -n']).stdout.toString().trim());
/** Why N listeners cannot be set up here at all, if they cannot. */
function unfit(count: number): string | undefined {
  if (
    Number.isFinite(openFileLimit) &&
    count + joinGap.joiners + DESCRIPTOR_RESERVE > openFileLimit
  ) {
    return `ulimit -n is ${openFileLimit}; ${count} listeners need ~${count + DESCRIPTOR_RESERVE} descriptors per process`;
  }
  return undefined;
}

const cores = availableParallelism();
const loadAverageAtStart = loadavg()
  .map((value) => value.toFixed(2))
  .join(' ');
const pinned = cores >= 2 && pinToCore(process.pid, 0);
const peers = startPeers(pinned ? 1 : undefined, timedEveryFor(counts.at(-1) ?? 1));
const load = createHostLoad([process.pid, ...peers.pids]);
const log = (line: string) => process.stderr.write(`  ${line}\n`);
const stops: string[] = [];

/** Each fan-out of the limit phase: node:dgram with each protection, then plain from C. */
const FANOUTS = [
  ...PROTECTIONS.map((protection) => ({ protection, native: undefined, label: protection })),
  ...(nativeSrtp
    ? (['sendto', 'sendmmsg'] as const).map((native) => ({
        protection: 'plain' as const,
        native,
        label: `${native} (C)`,
      }))
    : []),
];

async function limitPhase(count: number): Promise<LimitRow> {
  const byProtection: Partial<Record<Protection, Measured>> = {};
  const nativeFanouts: { sendto?: Measured; sendmmsg?: Measured } = {};
  const ports = await peers.udpOpen(count);
  for (const { protection, native, label } of FANOUTS) {
    const fanout = await startFanout(protection, ports, native);
    const target = {
      kind: 'udp',
      port: fanout.port,
      protection,
      keys: fanout.speakerKeys,
    } as const;
    await quietHost(load);
    await peers.call({ type: 'target', target });
    await sleep(500);
    const window = await measureWindow(
      peers,
      load,
      'udp',
      limitWindowMs,
      () => fanout.forwarded,
      count,
    );
    await peers.call({ type: 'target', target: { kind: 'silent' } });
    await fanout.stop();
    if (fanout.rejected > 0) log(`! fan-out ${label}: ${fanout.rejected} packets rejected`);
    if (native) nativeFanouts[native] = window;
    else byProtection[protection] = window;
    log(
      `fan-out ${label} at ${count}: ${(window.serverCpu * 100).toFixed(0)}% CPU, ` +
        `loss ${(window.loss * 100).toFixed(2)}%, p99 ${window.p99.toFixed(2)} ms`,
    );
    for (const line of caveats(`fan-out ${label} at ${count}`, window)) log(line.trim());
  }
  await peers.udpClose();
  return {
    listeners: count,
    byProtection: byProtection as Record<Protection, Measured>,
    sendto: nativeFanouts.sendto,
    sendmmsg: nativeFanouts.sendmmsg,
  };
}

const capture = await peers.call({ type: 'capture' });
const limits: LimitRow[] = [];
// As in a relay worker process (relay-worker-main.ts).
unpoolBuffers();
const relay = createRelay({ port: 0, announcedIp: '127.0.0.1' });
let relayResult: Awaited<ReturnType<typeof runRelaySteps>> | undefined;

try {
  for (const count of counts) {
    const reason = unfit(count);
    if (reason) {
      stops.push(`fan-out stopped before ${count} listeners: ${reason}`);
      break;
    }
    limits.push(await limitPhase(count));
  }
  relayResult = await runRelaySteps(relay, peers, {
    counts,
    windowMs: relayWindowMs,
    unfit,
    joinBudgetMs,
    profile: values.profile,
    joinGap,
    warmListeners: Number(values['warm-listeners']),
    load,
    log,
  });
} finally {
  peers.stop();
  await Promise.race([relay.stop(), sleep(10_000)]);
}
const relayRows = relayResult?.rows ?? [];
stops.push(...(relayResult?.stops ?? []));

const opusBytes = capture.meanBytes.toFixed(0);
const rtpBytes = capture.meanBytes + 12 + 8;
console.log(
  'bench/relay: one speaker heard by N listeners through the relay, beside a UDP fan-out',
);
console.log(
  [
    `  setup: ${cores} cores, node ${process.version}, ulimit -n ${openFileLimit}; ` +
      (pinned
        ? 'this process (relay, fan-out) pinned to core 0, both peers processes to core 1.'
        : 'processes NOT pinned to cores (taskset missing or one core).'),
    '  Relay: createRelay() in this process, all sessions on one UDP port, announcedIp 127.0.0.1,',
    '  iceServers: a STUN responder on 127.0.0.1 in the timing process (see stun-responder.ts; the',
    "  relay's host candidate on its shared port needs no query). Peers, in two processes on the",
    '  other core: the timing process holds the speaker (werift, sends 50 packets/s: real Opus from',
    "  libwebrtc's encoder, captured at start from a voice-like signal:",
    `  ${capture.packets} packets, ${capture.minBytes}-${capture.maxBytes} bytes, mean ${opusBytes}; RTP with the audio-level extension ~${rtpBytes.toFixed(0)} bytes)`,
    `  and every ${peers.timedEvery}th listener in join order from the first (${TIMED_SAMPLE} at the largest step); the counting`,
    '  process, at a low priority during windows (nice 10, all threads; 0 while listeners join, where',
    '  root may raise it again) so that the timing process runs the moment a packet reaches it,',
    '  holds all other listeners. Each listener is a node-datachannel',
    "  peer on a UDP port of its own (full ICE, DTLS-SRTP decrypted in libdatachannel's threads)",
    '  and hands each RTP packet on the slot the relay announced for the speaker to JavaScript',
    '  (node-datachannel has no RTP counter): timed at the timed listeners, counted at the others.',
    `  SRTP between the speaker and the relay: ${relayResult?.srtpProfile ?? '-'} (werift prefers GCM; listeners get the same).`,
    "  Delay: the speaker's send call to a timed listener's receipt, both in the timing process",
    "  (one clock), so it includes both peers' own SRTP work and that process's event loop; its",
    "  loop delay is shown, and its CPU judges INCONCLUSIVE. Fan-out: the relay's own time from a",
    '  packet reaching the space to its last copy handed to the kernel (the delay it adds, but for',
    "  time spent queued in its socket). p99 from send: the speaker's send to the packet reaching",
    '  the space, and to its last copy handed to the kernel (CLOCK_MONOTONIC, shared by the',
    "  host's processes); the rest of a listener's delay is spent after the relay (kernel, the",
    "  listeners' process). Longest gap: at the timed listeners; in brackets, what remains of it",
    "  beyond the time the timing process's own event loop stalled (> 2 ms late on a 1 ms ticker)",
    "  within it (that loop sends the speaker's packets and stamps their receipts), and the",
    "  longest time between two packets' last copies leaving the relay had the speaker sent them",
    "  20 ms apart (the relay's own gap).",
    '  Burst: in brackets, the relay CPU (all its threads) per join over the burst.',
    "  Loop delay: p99 and max of the relay's and the timing process's event-loop delay in the",
    '  window (how late each ran its work: a long task or a collection there delays every packet',
    '  behind it).',
    '  Loss: packets sent in the window not received by a listener within 1 s after it, over every',
    '  listener. CPU: all threads of the process, from /proc, over the window as a share of one',
    "  core (peers CPU: each load-generator process's, read the same way, and the counting",
    "  process's main thread alone, where its JavaScript takes each packet; a failed step is",
    "  INCONCLUSIVE, not the relay's failure, where the timing process used >= 90% of a core or",
    '  its event loop ran late by as much as the delay exceeds the goal, or where loss failed and',
    "  the counting process used >= 90% or drops at the listeners' own sockets account for it);",
    "  µs/pkt: CPU per copy sent (beyond idle: less the idle CPU, the copies' own cost);",
    '  listeners/core: 1e6 / (µs/pkt * 50).',
    '  Idle CPU: the relay with the speaker seated but silent (level messages, RTCP, ICE). Core',
    "  wait: share of the window the relay's main thread was runnable but not running (schedstat).",
    `  Fan-out (the limit): this process receives the speaker's datagrams on one socket and sends`,
    '  each to N sockets in the peers processes (timed and counted as the listeners are), from one',
    `  socket per listener: plain (same bytes, padded by ${TAG_BYTES.plain} like a GCM tag), or per copy`,
    '  AES-128-CTR + HMAC-SHA1-80 or AES-128-GCM with per-listener keys (node:crypto, one cipher',
    '  per packet, as the relay did before its native sender); and plain copies sent from C by',
    '  the native sender with no protection: from a',
    '  socket per listener (one sendto(2) per copy, the floor), and from one socket as the relay',
    "  sends from its shared port (sendmmsg(2) batches, the kernel's own cost of the copies).",
    `  Windows: relay ${relayWindowMs / 1000} s, fan-out ${limitWindowMs / 1000} s each, after the listeners are set up;`,
    '  the speaker is silent while listeners join. Each window starts once other processes on the',
    `  host use < ${QUIET.cores} cores (waiting <= ${QUIET.waitMs / 1000} s, <= ${QUIET.budgetMs / 1000} s in all; waited ${(load.waitedMs / 1000).toFixed(0)} s; load average at`,
    `  start ${loadAverageAtStart}).`,
  ].join('\n'),
);
console.log('');
console.log(relayTable(relayRows));
for (const line of relayResult?.notes ?? []) console.log(line);
console.log('');
console.log(limitTable(limits, relayRows));
for (const stop of stops) console.log(`  stopped early: ${stop}`);
// Steps are judged at the listeners; the result is the last step that passed with none
// failing before it (a later step that passes by luck after a failure is no capacity).
const firstFailed = relayRows.find((row) => failure(row.window) !== undefined);
const best = relayRows
  .filter((row) => !firstFailed || row.listeners < firstFailed.listeners)
  .at(-1);
const plainFloor = limits.at(-1)?.byProtection.plain;
const gcmFloor = limits.at(-1)?.byProtection.gcm;
const sendtoFloor = limits.at(-1)?.sendto;
const sendmmsgFloor = limits.at(-1)?.sendmmsg;
const share = (value: number) => `${(value * 100).toFixed(2)}%`;
console.log(
  `\n  goal: >= 2,500 listeners per relay core at <= ${LOSS_GOAL * 100}% loss measured at the listeners ` +
    `and p99 delay <= ${DELAY_GOAL_MS} ms. ` +
    (best
      ? `The relay: ${Math.round(listenersPerCore(best.window))} listeners/core ` +
        `(at ${best.listeners} listeners: ${(best.window.serverCpu * 100).toFixed(0)}% CPU, loss at the ` +
        `listeners ${share(best.window.loss)}, p99 ${best.window.p99.toFixed(1)} ms` +
        (best.window.listenerDrops > 0
          ? `, ${best.window.listenerDrops} datagrams dropped at their own socket`
          : '') +
        ')'
      : 'No step passed') +
    (firstFailed ? `; at ${firstFailed.listeners} listeners: ${verdict(firstFailed.window)}` : '') +
    (plainFloor && gcmFloor
      ? `; fan-out limit: ${Math.round(listenersPerCore(plainFloor))} plain, ` +
        (sendtoFloor ? `${Math.round(listenersPerCore(sendtoFloor))} sendto from C, ` : '') +
        (sendmmsgFloor ? `${Math.round(listenersPerCore(sendmmsgFloor))} sendmmsg from C, ` : '') +
        `${Math.round(listenersPerCore(gcmFloor))} with AES-GCM per copy.`
      : '.'),
);
const gaps = relayRows.filter((row) => row.joinGap);
if (gaps.length > 0) {
  // Judged beyond the timing process's own stalls: its loop both sends the speaker's packets
  // and stamps their receipts, so a stall of its own shows as a gap that no listener heard
  // from the relay. The raw gap and the relay's own (between copies leaving it) stand beside.
  const beyond = (window: Measured) => window.maxGapBeyondStalls;
  const worst = Math.max(
    ...gaps.map((row) => (row.joinGap ? beyond(row.joinGap.window) : Number.NaN)),
  );
  const figures = (window: Measured, outGap: number) =>
    `${beyond(window).toFixed(0)} ms (raw ${window.maxGap.toFixed(0)}, timing process stalled ` +
    `${window.stalledMs.toFixed(0)} ms in all; out of the relay ${outGap.toFixed(0)})`;
  console.log(
    `  goal: while ${joinGap.perSecond} listeners/s join, the longest gap between packets at an ` +
      `existing listener < ${JOIN_GAP_GOAL_MS} ms beyond the 20 ms packet interval, judged on the ` +
      "gap less the time the timing process's own event loop stalled within it. Longest: " +
      gaps
        .map((row) =>
          row.joinGap
            ? `${figures(row.joinGap.window, row.joinGap.path.outGap)} at ${row.listeners}`
            : '',
        )
        .join(', ') +
      (worst - 20 < JOIN_GAP_GOAL_MS ? ' (met)' : ' (FAILED)') +
      '; quiet windows: ' +
      relayRows.map((row) => `${figures(row.window, row.path.outGap)}`).join(', ') +
      '.',
  );
}
const bursts = relayRows.filter((row) => row.burst.listeners >= 500);
console.log(
  `  goal: a burst of 500 listeners attached (hearing their slot) in <= ${BURST_GOAL_MS / 1000} s (${BURST_PEER}). ` +
    (bursts.length > 0
      ? bursts
          .map(
            (row) =>
              `${row.burst.listeners} in ${(row.burst.ms / 1000).toFixed(2)} s (relay CPU ` +
              `${(row.burst.cpuMs / 1000).toFixed(2)} s, listeners' CPU ` +
              `${(row.burst.peersCpuMs / 1000).toFixed(2)} s: ${burstVerdict(row.burst)})`,
          )
          .join(', ')
      : `no step added 500 at once (largest: ${Math.max(0, ...relayRows.map((row) => row.burst.listeners))}); use --listeners=500`) +
    `. Memory: ${relayRows.map((row) => `${(row.rssKiBPerListener / 1024).toFixed(2)} MB/listener at ${row.listeners}`).join(', ') || '-'} (goal <= 0.2 MB at 1,000).`,
);
process.exit(0);
