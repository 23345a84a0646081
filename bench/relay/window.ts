/**
 * One measurement window seen from both sides: the peers process's receipts, and this
 * process's CPU, event-loop use and forwarded packets over the same span.
 */
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { type HostLoad, mainThreadSeconds, processSeconds } from './host-load.ts';
import type { Peers } from './peer-processes.ts';
import type { WindowResult } from './protocol.ts';
import { dropsBetween, udpDropsOf } from './socket-drops.ts';

export type Measured = WindowResult & {
  /**
   * The counting process's CPU over the window (all its threads), as a share of one core; `cpu`
   * is the timing process's.
   */
  countingCpu: number;
  /** Of it, its main thread's: the JavaScript each counted packet is handed to. */
  countingMainCpu: number;
  /** Copies this process sent per second. */
  forwardedPerSecond: number;
  /**
   * This process's CPU over the window (all its threads, from /proc: the relay's or fan-out's
   * main thread, libuv's and V8's), as a share of one core; and its event loop's use.
   */
  serverCpu: number;
  loopBusy: number;
  /** p99 of this process's event-loop delay over the window (ms): how late it ran its work. */
  serverLoopDelayP99: number;
  serverLoopDelayMax: number;
  /** UDP datagrams the kernel dropped for full socket buffers, anywhere on the host. */
  kernelDrops: number;
  /** Of those, at this process's sockets (the relay's or fan-out's ingress) and the listeners'. */
  relayDrops: number;
  listenerDrops: number;
  /** Share of the copies due (speaker's packets x listeners) this process did not send. */
  unsent: number;
  /** Cores' worth of CPU used by other processes on the host meanwhile (other work competes). */
  otherLoad: number;
  /** Share of the window this process's main thread was ready to run but waiting for its core. */
  starved: number;
  loss: number;
};

/** The kernel's UDP receive- and send-buffer error counters (Linux); 0 where unreadable. */
function udpBufferErrors(): number {
  try {
    const lines = readFileSync('/proc/net/snmp', 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('Udp:'));
    const names = lines[0]?.split(/\s+/) ?? [];
    const values = lines[1]?.split(/\s+/).map(Number) ?? [];
    const value = (name: string) => values[names.indexOf(name)] ?? 0;
    return value('RcvbufErrors') + value('SndbufErrors');
  } catch {
    return 0;
  }
}

/** Other processes' load under which a window starts at once, and how long it may wait. */
export const QUIET = { cores: 0.25, waitMs: 8_000, budgetMs: 40_000 } as const;

/** Waits (within limits) until other processes leave the cores mostly to the bench. */
export function quietHost(load: HostLoad): Promise<number> {
  return load.quiet(QUIET.cores, QUIET.waitMs, QUIET.budgetMs);
}

export async function measureWindow(
  peers: Peers,
  load: HostLoad,
  audience: 'relay' | 'udp',
  windowMs: number,
  forwarded: () => number,
  audienceSize: number,
): Promise<Measured> {
  const graceMs = 1_000;
  const drops = udpBufferErrors();
  const pids = [process.pid, ...peers.pids];
  const socketDrops = udpDropsOf(pids);
  const loadMark = load.mark();
  const forwardedBefore = forwarded();
  const cpuBefore = processSeconds(process.pid);
  const timingCpuBefore = processSeconds(peers.timingPid);
  const countingCpuBefore = processSeconds(peers.countingPid);
  const countingMainBefore = mainThreadSeconds(peers.countingPid);
  const loopBefore = performance.eventLoopUtilization();
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const started = performance.now();
  const result = await peers.measure(audience, windowMs, graceMs);
  const seconds = (performance.now() - started) / 1000;
  loopDelay.disable();
  const cpu = processSeconds(process.pid) - cpuBefore;
  const timingCpu = processSeconds(peers.timingPid) - timingCpuBefore;
  const countingCpu = processSeconds(peers.countingPid) - countingCpuBefore;
  const countingMain = mainThreadSeconds(peers.countingPid) - countingMainBefore;
  const expected = result.sent * result.listeners;
  const socketDropsAfter = udpDropsOf(pids);
  const forwardedPerSecond = (forwarded() - forwardedBefore) / seconds;
  // Copies due per second: every listener, each packet the speaker sent in the window.
  const duePerSecond = (result.sent / (windowMs / 1000)) * audienceSize;
  return {
    ...result,
    forwardedPerSecond,
    unsent: duePerSecond > 0 ? Math.max(0, 1 - forwardedPerSecond / duePerSecond) : Number.NaN,
    relayDrops: dropsBetween(socketDrops, socketDropsAfter, process.pid),
    listenerDrops: peers.pids.reduce(
      (sum, pid) => sum + dropsBetween(socketDrops, socketDropsAfter, pid),
      0,
    ),
    serverCpu: cpu / seconds,
    // The load generator's own CPU per process (all its threads: libdatachannel's too), read
    // the same way.
    cpu: timingCpu / seconds,
    countingCpu: countingCpu / seconds,
    countingMainCpu: countingMain / seconds,
    otherLoad: load.othersSince(loadMark),
    starved: load.starvedSince(loadMark),
    loopBusy: performance.eventLoopUtilization(loopBefore).utilization,
    serverLoopDelayP99: loopDelay.percentile(99) / 1e6,
    serverLoopDelayMax: loopDelay.max / 1e6,
    kernelDrops: udpBufferErrors() - drops,
    loss: expected === 0 ? Number.NaN : 1 - result.received / expected,
  };
}
