import type { TappedPacket, WorkerToApi } from './worker-protocol.ts';

/** Tapped packets wait at most this long for company: captions and recordings can wait. */
const FLUSH_MS = 40;
const MAX_PACKETS = 64;

/**
 * Gathers tapped packets into one message every few tens of milliseconds: one message per packet
 * costs a structured clone and an IPC write each (for a remote worker, a Redis publish each).
 */
export function createTapBatch(post: (message: WorkerToApi) => void) {
  let packets: TappedPacket[] = [];
  let timer: NodeJS.Timeout | null = null;

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    if (packets.length === 0) return;
    const batch = packets;
    packets = [];
    post({ type: 'tapped', packets: batch });
  }

  return {
    add(packet: TappedPacket): void {
      // Its own bytes: a view would take its whole backing buffer through the structured clone.
      packets.push({ ...packet, payload: new Uint8Array(packet.payload) });
      if (packets.length >= MAX_PACKETS) flush();
      else timer ??= setTimeout(flush, FLUSH_MS);
    },
    flush,
  };
}
