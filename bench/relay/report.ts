/** The tables bench/relay prints: the relay at each N, and the UDP fan-out limits beside it. */
import { ms, rate, table } from '../subscriptions/stats.ts';
import type { Burst } from './burst-verdict.ts';
import type { Protection } from './protocol.ts';
import type { Measured } from './window.ts';

/** Listeners each hear 50 packets a second: the goal is stated in listeners per relay core. */
export const PACKETS_PER_LISTENER = 50;
export const LOSS_GOAL = 0.01;
/** p99 of the speaker's send to a listener's receipt. */
export const DELAY_GOAL_MS = 20;
/** The longest time between two packets at an existing listener while others join. */
export const JOIN_GAP_GOAL_MS = 20;

/**
 * Why a step failed, judged at the listeners (never by copies sent: copies the kernel or the
 * listeners drop are lost all the same), or undefined if it passed.
 */
export function failure(window: Measured): string | undefined {
  if (!(window.loss <= LOSS_GOAL)) {
    return `loss at the listeners ${(window.loss * 100).toFixed(2)}% > ${LOSS_GOAL * 100}%`;
  }
  if (!(window.p99 <= DELAY_GOAL_MS)) {
    return `p99 delay ${window.p99.toFixed(1)} ms > ${DELAY_GOAL_MS} ms`;
  }
  return undefined;
}

/** A peers process's CPU (a share of its core) from which it may be what fails a step. */
export const GENERATOR_SATURATED = 0.9;

/**
 * Why a failed step may be the load generator's failure rather than the relay's: the timing
 * process (the speaker and the timed listeners) used all of its core, so its receipts come late
 * or are dropped, or its event loop once ran late by as much as the delay exceeds the goal; or
 * loss failed while the counting process (every other listener) used all of its core, or the
 * kernel dropped at the listeners' own sockets what makes up the loss. Such a step is no result
 * either way. A busy counting process does not void a delay: the timing process runs before it
 * on their shared core.
 */
export function generatorBound(window: Measured): string | undefined {
  if (failure(window) === undefined) return undefined;
  if (window.cpu >= GENERATOR_SATURATED) {
    return `the timing process (speaker, timed listeners) used ${percent(window.cpu)} of its core`;
  }
  if (window.loss <= LOSS_GOAL) {
    // Its loop running late (starved of its core, a collection) delays the receipts behind it:
    // a delay over the goal by less than that is no result; by more, the excess is not its own.
    if (window.loopDelayMax >= window.p99 - DELAY_GOAL_MS) {
      return `the timing process's own event loop ran up to ${window.loopDelayMax.toFixed(0)} ms late`;
    }
    return undefined;
  }
  if (window.countingCpu >= GENERATOR_SATURATED) {
    return `the counting process (the other listeners) used ${percent(window.countingCpu)} of its core`;
  }
  // A listener's socket takes 50 packets a second, so a full one means its process stopped
  // reading (busy, or starved of its core by others at its low priority), not a relay burst.
  const expected = window.sent * window.listeners;
  const lostBeyondDrops = expected - window.received - window.listenerDrops;
  if (window.listenerDrops > 0 && lostBeyondDrops <= LOSS_GOAL * expected) {
    return (
      `the kernel dropped ${window.listenerDrops} datagrams at the listeners' own full sockets ` +
      '(the load generator did not read them), enough to account for the loss'
    );
  }
  return undefined;
}

/** A step's verdict as the tables and the goal line print it. */
export function verdict(window: Measured): string {
  const failed = failure(window);
  if (!failed) return 'ok';
  const bound = generatorBound(window);
  return bound ? `INCONCLUSIVE: ${failed}, but ${bound}` : `FAILED: ${failed}`;
}

/** Listeners joining while the speaker talks to a step's listeners (see relay-steps.ts). */
export type JoinGap = {
  joiners: number;
  perSecond: number;
  /**
   * The existing listeners' window meanwhile; its `maxGapBeyondStalls` is the figure (`maxGap`
   * less what the timing process's own stalls explain), beside the relay's own `path.outGap`.
   */
  window: Measured;
  path: RelayPath;
  /** From the first join started to the last answer applied. */
  joinsMs: number;
  error: string | undefined;
};

/** Where a packet's delay goes: p99 from the speaker's send (the host's shared clock), in ms. */
export type RelayPath = {
  /** To the packet reaching the space (speaker's SRTP, kernel, the relay's socket and loop). */
  reachedP99: number;
  /** To its last copy handed to the kernel; the rest of a listener's delay is after the relay. */
  outP99: number;
  /**
   * The longest time between two consecutive packets' last copies leaving the relay, had the
   * speaker sent them on schedule (see relay-steps.ts): the relay's own gap.
   */
  outGap: number;
};

export type RelayRow = {
  listeners: number;
  joinMsEach: number;
  /**
   * The step's new listeners joining at once (speaker silent): until every one hears its slot,
   * and the relay process's CPU meanwhile (all its threads; less sensitive than the wall time
   * to other work on a shared host).
   */
  burst: Burst;
  joinGap: JoinGap | undefined;
  window: Measured;
  /** The relay's own time from a packet to its last copy sent (see relay-steps.ts). */
  fanoutMs: { p50: number; p99: number };
  path: RelayPath;
  /** This process's CPU with the speaker seated but silent (level reports, keepalives). */
  idleCpu: number;
  rssMiB: number;
  rssKiBPerListener: number;
};

export type LimitRow = {
  listeners: number;
  byProtection: Record<Protection, Measured>;
  /** Plain copies sent from C, one sendto(2) each (absent where the native sender is not built). */
  sendto: Measured | undefined;
  /** Plain copies sent from C from one socket, in sendmmsg(2) batches (as the relay sends). */
  sendmmsg: Measured | undefined;
};

const percent = (share: number) => (Number.isFinite(share) ? `${(share * 100).toFixed(0)}%` : '-');
const lossPercent = (loss: number) =>
  Number.isFinite(loss) ? `${(loss * 100).toFixed(loss < 0.1 ? 2 : 1)}%` : '-';
/** Microseconds of this process's CPU per copy sent. */
export const microsPerPacket = (window: Measured) =>
  (window.serverCpu * 1e6) / Math.max(1, window.forwardedPerSecond);
/**
 * Microseconds per copy of the CPU above the relay's cost with the speaker silent: what the
 * copies themselves cost (comparable with the fan-out floors), without per-listener upkeep.
 */
export const microsBeyondIdle = (row: RelayRow) =>
  ((row.window.serverCpu - row.idleCpu) * 1e6) / Math.max(1, row.window.forwardedPerSecond);
/** Listeners (at 50 packets/s) one core would carry at this cost per packet. */
export const listenersPerCore = (window: Measured) =>
  1e6 / microsPerPacket(window) / PACKETS_PER_LISTENER;
const us = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));

/** A window's longest gap at the listeners, what the timing process's stalls leave of it, and the relay's own. */
const gapCell = (window: Measured, path: RelayPath) =>
  `${ms(window.maxGap)} (${ms(window.maxGapBeyondStalls)}; ${ms(path.outGap)})`;

export function relayTable(rows: readonly RelayRow[]): string {
  return table(
    [
      'listeners',
      'verdict',
      'burst: n in s (relay CPU ms/join)',
      'longest gap ms at listeners (beyond timing stalls; out of relay): quiet / joining (loss)',
      'join ms',
      'fwd pkt/s',
      'unsent',
      'loss at listeners',
      'delay p50 / p99 / max ms (timed listeners)',
      'fan-out p50 / p99 ms',
      'p99 ms from send: reached relay / last copy out',
      'loop delay p99, max ms: relay / timing',
      'relay CPU',
      'core wait',
      'µs/pkt (beyond idle)',
      'listeners/core',
      'idle CPU',
      'RSS MiB (KiB/listener)',
      'peers CPU: timing / counting (its JS thread)',
    ],
    rows.map((row) => {
      const { listeners, joinMsEach, window, fanoutMs, idleCpu, rssMiB, rssKiBPerListener } = row;
      const failed = failure(window);
      const joining = row.joinGap
        ? `${gapCell(row.joinGap.window, row.joinGap.path)} (${lossPercent(row.joinGap.window.loss)})`
        : '-';
      return [
        String(listeners),
        verdict(window),
        `${row.burst.listeners} in ${(row.burst.ms / 1000).toFixed(1)} (${(row.burst.cpuMs / row.burst.listeners).toFixed(1)})`,
        `${gapCell(window, row.path)} / ${joining}`,
        joinMsEach.toFixed(1),
        rate(window.forwardedPerSecond),
        lossPercent(window.unsent),
        lossPercent(window.loss),
        `${ms(window.p50)} / ${ms(window.p99)} / ${ms(window.max)} (${window.timedListeners})`,
        `${ms(fanoutMs.p50)} / ${ms(fanoutMs.p99)}`,
        `${ms(row.path.reachedP99)} / ${ms(row.path.outP99)}`,
        `${ms(window.serverLoopDelayP99)}, ${ms(window.serverLoopDelayMax)} / ` +
          `${ms(window.loopDelayP99)}, ${ms(window.loopDelayMax)}`,
        percent(window.serverCpu),
        percent(window.starved),
        `${us(microsPerPacket(window))} (${us(microsBeyondIdle(row))})`,
        // A failed step's cost per copy is no capacity: it is never shown as the result.
        failed ? '-' : rate(listenersPerCore(window)),
        percent(idleCpu),
        `${rssMiB.toFixed(0)} (${rssKiBPerListener.toFixed(0)})`,
        `${percent(window.cpu)} / ${percent(window.countingCpu)} (${percent(window.countingMainCpu)})`,
      ];
    }),
  );
}

export function limitTable(limits: readonly LimitRow[], relay: readonly RelayRow[]): string {
  const cell = (window: Measured) =>
    `${percent(window.serverCpu)} ${us(microsPerPacket(window))} ${ms(window.p99)} ${lossPercent(window.loss)}`;
  return table(
    [
      'listeners',
      'plain UDP: CPU µs/pkt p99 loss',
      'AES-CTR+HMAC-SHA1',
      'AES-128-GCM',
      'sendto (C)',
      'sendmmsg (C)',
      'relay µs/pkt ÷ plain, ÷ GCM, ÷ sendto, ÷ sendmmsg',
    ],
    limits.map(({ listeners, byProtection, sendto, sendmmsg }) => {
      const row = relay.find((candidate) => candidate.listeners === listeners);
      const ratio = row
        ? `${(microsPerPacket(row.window) / microsPerPacket(byProtection.plain)).toFixed(1)}x, ` +
          `${(microsPerPacket(row.window) / microsPerPacket(byProtection.gcm)).toFixed(1)}x, ` +
          [sendto, sendmmsg]
            .map((floor) =>
              floor ? `${(microsPerPacket(row.window) / microsPerPacket(floor)).toFixed(1)}x` : '-',
            )
            .join(', ')
        : '-';
      return [
        String(listeners),
        cell(byProtection.plain),
        cell(byProtection['ctr-hmac']),
        cell(byProtection.gcm),
        sendto ? cell(sendto) : '-',
        sendmmsg ? cell(sendmmsg) : '-',
        ratio,
      ];
    }),
  );
}

/** Warnings about a window whose figures may not be the relay's alone. */
export function caveats(label: string, window: Measured): string[] {
  const notes: string[] = [];
  if (window.cpu > GENERATOR_SATURATED) {
    notes.push(
      `the timing process used ${percent(window.cpu)} of its core: loss and delay may be its own`,
    );
  }
  if (window.countingCpu > GENERATOR_SATURATED) {
    notes.push(
      `the counting process used ${percent(window.countingCpu)} of its core: loss may be its own`,
    );
  }
  if (window.lateSends > 0) notes.push(`${window.lateSends} speaker sends were >5 ms late`);
  if (window.strays > 0) notes.push(`${window.strays} RTP packets arrived on a wrong slot`);
  if (window.starved > 0.05) {
    notes.push(
      `its main thread waited for its core ${percent(window.starved)} of the window (other processes or its own GC and I/O threads ran)`,
    );
  }
  if (window.otherLoad > 0.1) {
    notes.push(
      `other processes on the host used ${window.otherLoad.toFixed(2)} cores meanwhile: delay and loss may be theirs`,
    );
  }
  if (window.kernelDrops > 0) {
    notes.push(
      `the kernel dropped ${window.kernelDrops} datagrams for full socket buffers: ` +
        `${window.relayDrops} at this process's sockets, ${window.listenerDrops} at the listeners'`,
    );
  }
  return notes.map((note) => `  ! ${label}: ${note}`);
}
