/**
 * Bookkeeping of one measurement window in the timing process: the speaker's send time of every
 * sequence number, and each timed listener's receipt of each packet sent in the window. Speaker
 * and timed listeners share this process, so send and receipt times are on one clock.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { percentile } from '../subscriptions/stats.ts';
import { now, type WindowResult } from './protocol.ts';

const PACKET_MS = 20;
/** A turn of this process's event loop this much later than its 1 ms ticker asked is a stall. */
const STALL_MS = 2;
/** Gaps kept to be set against this process's stalls: longer than a packet interval by this. */
const GAP_KEPT_MS = 5;
/** A send this far behind its schedule means the peers process itself was too busy. */
const LATE_SEND_MS = 5;

/** Send times (and RTP timestamps) by sequence number, and how many packets were sent. */
export function createSendLog() {
  const sentAt = new Float64Array(0x10000).fill(Number.NaN);
  const timestamps = new Float64Array(0x10000).fill(Number.NaN);
  let sent = 0;
  let lateSends = 0;
  return {
    record(sequenceNumber: number, at: number, dueAt: number, timestamp: number): void {
      sentAt[sequenceNumber & 0xffff] = at;
      timestamps[sequenceNumber & 0xffff] = timestamp;
      sent += 1;
      if (at - dueAt > LATE_SEND_MS) lateSends += 1;
    },
    sentAt: (sequenceNumber: number) => sentAt[sequenceNumber & 0xffff] ?? Number.NaN,
    timestampOf: (sequenceNumber: number) => timestamps[sequenceNumber & 0xffff] ?? Number.NaN,
    get sent() {
      return sent;
    },
    get lateSends() {
      return lateSends;
    },
  };
}

export type SendLog = ReturnType<typeof createSendLog>;

/**
 * Receipts of the packets the speaker sends from now on, for `listeners` listeners, until
 * `close`; a packet counts once per listener however often it comes.
 */
export function openWindow(log: SendLog, firstSequence: number, listeners: number, ms: number) {
  const slots = Math.ceil(ms / PACKET_MS) + 50;
  const seen = new Uint8Array(listeners * slots);
  const delays = new Float64Array(listeners * slots);
  const lastAt = new Float64Array(listeners).fill(Number.NaN);
  let maxGap = 0;
  const sentBefore = log.sent;
  const lateBefore = log.lateSends;
  const cpuBefore = process.cpuUsage();
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const startedAt = now();
  let received = 0;
  let sentInWindow = slots;
  // When this process's own loop stalled (a collection, a join's work, its core taken): a
  // speaker's send or a receipt falling in a stall is late by this process, not by the relay.
  const stalls: number[] = [];
  let tickedAt = startedAt;
  const ticker = setInterval(() => {
    const at = now();
    if (at - tickedAt > 1 + STALL_MS) stalls.push(tickedAt, at);
    tickedAt = at;
  }, 1);
  /** Gaps longer than a packet interval: their start and end, per pair. */
  const gaps: number[] = [];
  /** The longest part of a kept gap that this process's stalls do not cover. */
  const beyondStalls = (): number => {
    let longest = 0;
    for (let index = 0; index < gaps.length; index += 2) {
      const from = gaps[index] ?? 0;
      const to = gaps[index + 1] ?? 0;
      let stalled = 0;
      for (let stall = 0; stall < stalls.length; stall += 2) {
        const overlap = Math.min(to, stalls[stall + 1] ?? 0) - Math.max(from, stalls[stall] ?? 0);
        if (overlap > 0) stalled += overlap;
      }
      longest = Math.max(longest, to - from - stalled);
    }
    return longest;
  };

  return {
    record(listener: number, sequenceNumber: number, at: number): void {
      const offset = (sequenceNumber - firstSequence) & 0xffff;
      if (offset >= sentInWindow || listener >= listeners) return;
      const index = listener * slots + offset;
      if (seen[index] === 1) return;
      seen[index] = 1;
      delays[received] = at - log.sentAt(sequenceNumber);
      const previous = lastAt[listener] ?? Number.NaN;
      if (at - previous > maxGap) maxGap = at - previous;
      if (at - previous > PACKET_MS + GAP_KEPT_MS) gaps.push(previous, at);
      lastAt[listener] = at;
      received += 1;
    },

    /** Stops counting new sends; receipts of packets already sent still count until `result`. */
    endSending(): void {
      sentInWindow = Math.min(slots, log.sent - sentBefore);
    },

    result(strays: number): WindowResult {
      loopDelay.disable();
      clearInterval(ticker);
      const cpu = process.cpuUsage(cpuBefore);
      const seconds = (now() - startedAt) / 1000;
      const sorted = delays.subarray(0, received).sort();
      // Each send on the shared clock, for the relay to place its own times against.
      const sends = Array.from({ length: sentInWindow }, (_, offset) => {
        const sequenceNumber = (firstSequence + offset) & 0xffff;
        return { timestamp: log.timestampOf(sequenceNumber), at: log.sentAt(sequenceNumber) };
      });
      return {
        sends,
        loopDelayP99: loopDelay.percentile(99) / 1e6,
        loopDelayMax: loopDelay.max / 1e6,
        listeners,
        timedListeners: listeners,
        firstSequence,
        sent: sentInWindow,
        received,
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1] ?? Number.NaN,
        maxGap: received > 0 ? maxGap : Number.NaN,
        // The gap is at least the packet interval even where stalls cover more of it.
        maxGapBeyondStalls:
          received > 0 ? Math.max(Math.min(maxGap, PACKET_MS), beyondStalls()) : Number.NaN,
        stalledMs: stalledTotal(stalls),
        lateSends: log.lateSends - lateBefore,
        strays,
        cpu: (cpu.user + cpu.system) / 1e6 / seconds,
      };
    },
  };
}

/** Time covered by stalls, given as start and end pairs. */
function stalledTotal(stalls: readonly number[]): number {
  let total = 0;
  for (let index = 0; index < stalls.length; index += 2) {
    total += (stalls[index + 1] ?? 0) - (stalls[index] ?? 0);
  }
  return total;
}

export type ReceiptWindow = ReturnType<typeof openWindow>;
