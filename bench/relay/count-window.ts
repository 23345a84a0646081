/**
 * One counting window in the counting process: every sequence number each listener received
 * since the window opened, to be read for the speaker's packets in the timing process's window.
 * No times: this process is the load generator's busy part, and its receipts would time its own
 * event loop rather than the relay. It opens before the timing window does, so every packet of
 * that window is sent after it opened, however late this process's messages run.
 */
import type { CountResult } from './protocol.ts';

/** One bit per sequence number; a window is far shorter than the 65,536 before they repeat. */
const WORDS_PER_LISTENER = 0x10000 / 32;

export function openCountWindow(listeners: number) {
  const seen = new Uint32Array(listeners * WORDS_PER_LISTENER);

  return {
    record(listener: number, sequenceNumber: number): void {
      if (listener >= listeners) return;
      const word = listener * WORDS_PER_LISTENER + (sequenceNumber >>> 5);
      seen[word] = (seen[word] ?? 0) | (1 << (sequenceNumber & 31));
    },

    /** Receipts of the `sent` packets from `firstSequence` on, over every listener. */
    result(firstSequence: number, sent: number, strays: number): CountResult {
      let received = 0;
      for (let listener = 0; listener < listeners; listener++) {
        for (let offset = 0; offset < sent; offset++) {
          const sequenceNumber = (firstSequence + offset) & 0xffff;
          const word = seen[listener * WORDS_PER_LISTENER + (sequenceNumber >>> 5)] ?? 0;
          if ((word >>> (sequenceNumber & 31)) & 1) received += 1;
        }
      }
      return { listeners, received, strays };
    },
  };
}

export type CountWindow = ReturnType<typeof openCountWindow>;
