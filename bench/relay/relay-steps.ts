/**
 * The relay's part of the run: the speaker joins, then listeners in steps of N; at each step a
 * measurement window with the speaker on, then the relay's cost with the speaker seated but
 * silent, and its memory.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Relay } from '../../server/media/relay/relay.ts';
import { percentile } from '../subscriptions/stats.ts';
import type { Burst } from './burst-verdict.ts';
import { profiled } from './cpu-profile.ts';
import { type HostLoad, processSeconds } from './host-load.ts';
import { joinListeners, joinListenersPaced, joinSpeaker } from './joins.ts';
import type { Peers } from './peer-processes.ts';
import { now, SPEAKER_ID } from './protocol.ts';
import { caveats, type JoinGap, type RelayPath, type RelayRow } from './report.ts';
import { warmListeners } from './warm-listeners.ts';
import { measureWindow, quietHost } from './window.ts';

const SPACE = 'bench';
/** The speaker sends a packet every 20 ms. */
const PACKET_MS = 20;
const IDLE_MS = 3_000;
const DRAIN_TIMEOUT_MS = 30_000;
const PROFILE_MS = 4_000;
/** The join-gap window starts this long before the first join and ends this long after the last. */
const JOIN_GAP_LEAD_MS = 300;
const JOIN_GAP_TAIL_MS = 1_500;
/** Relay CPU (share of a core) from which a step counts as saturated, for --profile. */
const SATURATED = 0.85;

export type RelayStepsOptions = {
  counts: readonly number[];
  windowMs: number;
  /** Why N listeners cannot be set up on this host, if they cannot. */
  unfit(count: number): string | undefined;
  /** Time allowed to add `added` listeners and hear the speaker on all of them. */
  joinBudgetMs(added: number): number;
  profile: boolean;
  /** Listeners that join, at `perSecond`, while the speaker talks to each step's listeners. */
  joinGap: { joiners: number; perSecond: number };
  /** Joins that warm the listeners' processes before the first step (warm-listeners.ts). */
  warmListeners: number;
  load: HostLoad;
  log(line: string): void;
};

/** Resident memory after full collections, in MiB. */
export async function memoryMiB(): Promise<number> {
  for (let pass = 0; pass < 3; pass++) {
    globalThis.gc?.();
    await sleep(100);
  }
  return process.memoryUsage().rss / 2 ** 20;
}

/** Waits until the relay has stopped forwarding (its queue of incoming packets is empty). */
async function drained(relay: Relay): Promise<boolean> {
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  let last = relay.stats().forwardedPackets;
  while (performance.now() < deadline) {
    await sleep(300);
    const current = relay.stats().forwardedPackets;
    if (current === last) return true;
    last = current;
  }
  return false;
}

/** This process's CPU (all its threads), as a share of one core, over `ms` of wall time. */
async function cpuOver(ms: number): Promise<number> {
  const before = processSeconds(process.pid);
  const started = performance.now();
  await sleep(ms);
  return ((processSeconds(process.pid) - before) * 1000) / (performance.now() - started);
}

/**
 * How long the relay takes from a speaker's packet reaching the space to its last copy handed
 * to the kernel: the tap sees the packet before the fan-out, and a microtask queued there runs
 * once the synchronous fan-out has returned. (Time a packet waited in the relay's socket while
 * the relay was busy is not in it; `unsent` shows a relay that fell behind.) Both moments are
 * also kept on the host's shared clock by RTP timestamp, so that `path` can place them against
 * the speaker's send times: where a listener's delay goes (to the relay, through it, after it).
 */
function timeFanouts(relay: Relay) {
  const durations: number[] = [];
  const seen = new Map<number, { reached: number; out: number }>();
  const untap = relay.tapSpace(SPACE, (_participant, _payload, timestamp) => {
    const at = now();
    queueMicrotask(() => {
      const done = now();
      durations.push(done - at);
      seen.set(timestamp, { reached: at, out: done });
    });
  });
  return {
    stop(): { p50: number; p99: number } {
      untap();
      const sorted = Float64Array.from(durations).sort();
      return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
    },
    /** p99 from the speaker's send to the packet reaching the space, and to its last copy out. */
    path(sends: readonly { timestamp: number; at: number }[]): RelayPath {
      const reached: number[] = [];
      const out: number[] = [];
      const byPlace: [number, number][] = [];
      for (const [place, send] of sends.entries()) {
        const times = seen.get(send.timestamp);
        if (!times) continue;
        reached.push(times.reached - send.at);
        out.push(times.out - send.at);
        byPlace.push([place, times.out - send.at]);
      }
      const p99 = (values: number[]) => percentile(Float64Array.from(values).sort(), 99);
      return { reachedP99: p99(reached), outP99: p99(out), outGap: longestGap(byPlace) };
    },
  };
}

/**
 * The longest gap the relay itself put between two of the speaker's packets: the time between
 * their last copies leaving it, had the speaker sent them exactly a packet interval apart (each
 * packet's delay from its send to its last copy out, `out`, by its place in send order), so
 * that the speaker's own late sends are not counted. Every listener hears at least this gap.
 */
function longestGap(out: readonly (readonly [place: number, delay: number])[]): number {
  let longest = 0;
  for (let index = 1; index < out.length; index++) {
    const [place, delay] = out[index] ?? [0, 0];
    const [previousPlace, previousDelay] = out[index - 1] ?? [0, 0];
    longest = Math.max(longest, (place - previousPlace) * PACKET_MS + delay - previousDelay);
  }
  return longest;
}

/**
 * With the speaker talking to `existing` listeners, `joiners` more join at `perSecond` (each
 * join started on schedule, as independent browsers would) inside one measurement window of the
 * existing listeners; then the joiners leave again, so the next step starts where it planned.
 */
async function measureJoinGap(
  relay: Relay,
  peers: Peers,
  existing: number,
  options: RelayStepsOptions,
): Promise<JoinGap> {
  const { joiners, perSecond } = options.joinGap;
  await quietHost(options.load);
  await peers.call({ type: 'target', target: { kind: 'relay' } });
  await sleep(1_000);
  const windowMs = (joiners / perSecond) * 1000 + JOIN_GAP_TAIL_MS;
  const fanout = timeFanouts(relay);
  const [window, joined] = await Promise.all([
    measureWindow(
      peers,
      options.load,
      'relay',
      windowMs,
      () => relay.stats().forwardedPackets,
      existing,
    ),
    (async () => {
      await sleep(JOIN_GAP_LEAD_MS);
      return joinListenersPaced(relay, peers, SPACE, existing, existing + joiners, perSecond);
    })(),
  ]);
  fanout.stop();
  const path = fanout.path(window.sends);
  await peers.call({ type: 'target', target: { kind: 'silent' } });
  await Promise.all(
    Array.from({ length: joiners }, (_, index) =>
      relay.close(SPACE, `listener-${existing + index}`),
    ),
  );
  await peers.leave(joiners);
  return { joiners, perSecond, window, path, joinsMs: joined.ms, error: joined.error };
}

export async function runRelaySteps(relay: Relay, peers: Peers, options: RelayStepsOptions) {
  const { counts, log } = options;
  const rows: RelayRow[] = [];
  const notes: string[] = [];
  const stops: string[] = [];
  const forwarded = () => relay.stats().forwardedPackets;
  await warmListeners(peers, options.warmListeners);
  const baselineMiB = await memoryMiB();
  relay.setPublishers(SPACE, new Set([SPEAKER_ID]));
  const srtpProfile = await joinSpeaker(relay, peers, SPACE, SPEAKER_ID);
  let joined = 0;
  let profiledSteps = false;

  for (const count of counts) {
    const reason = options.unfit(count);
    if (reason) {
      stops.push(`relay stopped before ${count} listeners: ${reason}`);
      break;
    }
    const last = count === counts.at(-1);
    const before = await peers.ready();
    if (before.speaker !== 'connected' || before.ready < joined) {
      // An overloaded relay can lose the speaker's connection (ICE consent, DTLS timers).
      notes.push(
        `  ! relay before ${count}: the speaker's connection was ${before.speaker} and ` +
          `${before.ready}/${joined} listeners heard its slot; the speaker joined again`,
      );
      await joinSpeaker(relay, peers, SPACE, SPEAKER_ID);
    }
    // Joins are timed on their own: the speaker is silent until the step is set up.
    await peers.call({ type: 'target', target: { kind: 'silent' } });
    const budget = options.joinBudgetMs(count - joined);
    const join = () =>
      joinListeners(relay, peers, SPACE, joined, count, performance.now() + budget);
    const cpuBefore = processSeconds(process.pid);
    const peersCpuBefore = peers.cpuSeconds();
    const outcome =
      options.profile && last
        ? await profiled(`the relay taking listeners ${joined + 1}-${count}`, join)
        : await join();
    const burstCpuMs = (processSeconds(process.pid) - cpuBefore) * 1000;
    const burst: Burst = {
      listeners: count - joined,
      ready: outcome.ready - joined,
      ms: outcome.ms,
      cpuMs: burstCpuMs,
      peersCpuMs: (peers.cpuSeconds() - peersCpuBefore) * 1000,
    };
    log(
      `relay: ${outcome.ready}/${count} listeners hear the speaker's slot after ` +
        `${(outcome.ms / 1000).toFixed(1)} s (relay CPU ${(burstCpuMs / 1000).toFixed(1)} s, ` +
        `listeners' CPU ${(burst.peersCpuMs / 1000).toFixed(1)} s)` +
        (outcome.failed > 0 ? `, ${outcome.failed} failed` : ''),
    );
    if (outcome.ready < count) {
      stops.push(
        `relay stopped at ${count} listeners: ${outcome.ready} were ready (connected, slot ` +
          `announced) and ${outcome.failed} failed within the step's ${(budget / 1000).toFixed(0)} s` +
          (outcome.error ? `; first error: ${outcome.error}` : ''),
      );
      break;
    }
    const joinMsEach = outcome.ms / (count - joined);
    joined = count;

    await quietHost(options.load);
    await peers.call({ type: 'target', target: { kind: 'relay' } });
    await sleep(1_500);
    const fanout = timeFanouts(relay);
    const window = await measureWindow(
      peers,
      options.load,
      'relay',
      options.windowMs,
      forwarded,
      count,
    );
    const fanoutMs = fanout.stop();
    const path = fanout.path(window.sends);
    // Profiled once: at the first step that saturates the relay (or the last), while its
    // speaker is surely still connected, forwarding and then seated but silent.
    const profileNow = options.profile && !profiledSteps && (window.serverCpu >= SATURATED || last);
    if (profileNow) {
      profiledSteps = true;
      await profiled(`the relay forwarding to ${count} listeners`, () => sleep(PROFILE_MS));
    }
    await peers.call({ type: 'target', target: { kind: 'silent' } });
    if (!(await drained(relay))) notes.push(`  ! relay at ${count}: still forwarding 30 s later`);
    const idleCpu = await cpuOver(IDLE_MS);
    if (profileNow) {
      await profiled(`the relay with ${count} listeners and a silent speaker`, () =>
        cpuOver(IDLE_MS),
      );
    }
    const rssMiB = await memoryMiB();
    const measureGap = () => measureJoinGap(relay, peers, count, options);
    const joinGap =
      options.joinGap.joiners <= 0
        ? undefined
        : options.profile && last
          ? await profiled(
              `the relay forwarding to ${count} listeners while ${options.joinGap.joiners} join`,
              measureGap,
            )
          : await measureGap();
    if (joinGap) notes.push(...caveats(`relay at ${count} while listeners joined`, joinGap.window));
    rows.push({
      listeners: count,
      joinMsEach,
      burst,
      joinGap,
      window,
      fanoutMs,
      path,
      idleCpu,
      rssMiB,
      rssKiBPerListener: ((rssMiB - baselineMiB) * 1024) / count,
    });
    notes.push(...caveats(`relay at ${count}`, window));
    const after = await peers.ready();
    if (after.speaker !== 'connected' || after.failed > 0 || after.ready < count) {
      notes.push(
        `  ! relay at ${count}: after the window the speaker's connection is ${after.speaker}; ` +
          `${after.ready} listeners hear its slot, ${after.failed} failed`,
      );
    }
    log(
      `relay at ${count}: ${(window.serverCpu * 100).toFixed(0)}% CPU, loss ` +
        `${(window.loss * 100).toFixed(2)}%, p99 ${window.p99.toFixed(1)} ms, longest gap ` +
        `${window.maxGap.toFixed(0)} ms (${window.maxGapBeyondStalls.toFixed(0)} beyond the timing ` +
        `process's stalls, ${path.outGap.toFixed(0)} out of the relay), idle ${(idleCpu * 100).toFixed(0)}% CPU` +
        (joinGap
          ? `; while ${joinGap.joiners} joined at ${joinGap.perSecond}/s: longest gap ` +
            `${joinGap.window.maxGap.toFixed(0)} ms (${joinGap.window.maxGapBeyondStalls.toFixed(0)}; ` +
            `${joinGap.path.outGap.toFixed(0)}), loss ${(joinGap.window.loss * 100).toFixed(2)}%`
          : ''),
    );
  }
  return { rows, notes, stops, srtpProfile };
}
