/**
 * One counting window in the counting process: which of the speaker's packets, from a sequence
 * number on, each listener received. No times: this process is the load generator's busy part,
 * and its receipts would time its own event loop rather than the relay.
 */
import type { CountResult } from './protocol.ts';
import { slotsFor } from './receipts.ts';

export function openCountWindow(firstSequence: number, listeners: number, ms: number) {
  const slots = slotsFor(ms);
  const seen = new Uint8Array(listeners * slots);
  const receivedByOffset = new Uint32Array(slots);

  return {
    record(listener: number, sequenceNumber: number): void {
      const offset = (sequenceNumber - firstSequence) & 0xffff;
      if (offset >= slots || listener >= listeners) return;
      const index = listener * slots + offset;
      if (seen[index] === 1) return;
      seen[index] = 1;
      receivedByOffset[offset] = (receivedByOffset[offset] ?? 0) + 1;
    },

    result(strays: number): CountResult {
      return { listeners, receivedByOffset: Array.from(receivedByOffset), strays };
    },
  };
}

export type CountWindow = ReturnType<typeof openCountWindow>;
