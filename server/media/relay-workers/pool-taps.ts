import type { PacketTap } from '../relay/relay-types.ts';
import type { TappedPacket, WorkerCommand } from './worker-protocol.ts';

/**
 * The pool's packet taps (captions, recordings): which spaces are tapped, so every worker sends
 * their publishers' packets (a worker that starts later is told too), and the delivery of what
 * the workers send back.
 */
export function createPoolTaps(broadcast: (command: WorkerCommand) => void) {
  const taps = new Map<string, Set<PacketTap>>();
  return {
    /** The commands a newly started worker needs to send what is tapped. */
    commands(): WorkerCommand[] {
      return [...taps.keys()].map((spaceId) => ({ type: 'tap', spaceId, on: true }));
    },

    deliver(packets: readonly TappedPacket[]): void {
      for (const packet of packets) {
        const payload = Buffer.from(packet.payload);
        for (const tap of taps.get(packet.spaceId) ?? []) {
          tap(packet.participantId, payload, packet.rtpTimestamp);
        }
      }
    },

    tapSpace(spaceId: string, tap: PacketTap): () => void {
      let spaceTaps = taps.get(spaceId);
      if (!spaceTaps) {
        spaceTaps = new Set();
        taps.set(spaceId, spaceTaps);
        broadcast({ type: 'tap', spaceId, on: true });
      }
      spaceTaps.add(tap);
      return () => {
        spaceTaps.delete(tap);
        if (spaceTaps.size === 0 && taps.get(spaceId) === spaceTaps) {
          taps.delete(spaceId);
          broadcast({ type: 'tap', spaceId, on: false });
        }
      };
    },

    clear(): void {
      taps.clear();
    },
  };
}
