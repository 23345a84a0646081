import { createSimplePeer, type MeshPeer, type MeshPeerFactory } from './mesh-peer.ts';
import { encodeMeshSignal, type PeerSignalData } from './mesh-signal.ts';
import { randomId } from './random-id.ts';
import type { MeshSignal } from './types.ts';

/** A mesh peer made before joining, whose offer may have gone with the join. */
export type PreparedPeer = {
  readonly peer: MeshPeer;
  readonly session: string;
  /** Hands `handler` the signals the join did not carry, then each new one. Once. */
  forward(handler: (data: PeerSignalData) => void): void;
};

/** Destroys peers made before joining that nobody took up. */
export function destroyPrepared(peers: ReadonlyMap<string, PreparedPeer> | null | undefined) {
  for (const { peer } of peers?.values() ?? []) peer.destroy();
}

/** An offer as joinSpace's `meshOffers` takes it. */
export type JoinOffer = { participantId: string; signal: MeshSignal };

/**
 * Offers to the people on stage, made before joining (as the room opens, or while its Listen
 * button waits): a joiner offers to everyone already in the space (`offersTo`), so its offers can
 * go with its join, and the stage answers as soon as the join lands instead of a round trip and
 * an offer later.
 */
export interface MeshOffers {
  /** Settles once every peer has its offer, or failed. */
  readonly ready: Promise<void>;
  /** The offers made so far, each with the candidates gathered so far, for the join to carry. */
  take(): JoinOffer[];
  /**
   * The peers for the mesh to go on with (`delivered`: those whose offer the join delivered; the
   * others send theirs again as signals). Every peer the mesh does not take up must be destroyed.
   */
  handOver(delivered: Iterable<string>): Map<string, PreparedPeer>;
  close(): void;
}

type Slot = {
  peer: MeshPeer;
  session: string;
  signals: PeerSignalData[];
  /** How many of `signals` the join carried. */
  taken: number;
  handler: ((data: PeerSignalData) => void) | null;
  failed: boolean;
  settle: () => void;
};

export function prepareMeshOffers(
  participantIds: readonly string[],
  options: { rtcConfig?: RTCConfiguration | undefined; createPeer?: MeshPeerFactory } = {},
): MeshOffers {
  const createPeer = options.createPeer ?? createSimplePeer;
  const slots = new Map<string, Slot>();
  const settled: Promise<void>[] = [];
  for (const participantId of new Set(participantIds)) {
    let settle = () => {};
    settled.push(new Promise((resolve) => (settle = resolve)));
    const slot: Slot = {
      peer: createPeer({ initiator: true, config: options.rtcConfig }),
      session: randomId(),
      signals: [],
      taken: 0,
      handler: null,
      failed: false,
      settle,
    };
    slot.peer.on('signal', (data) => {
      if (data.type === 'offer') slot.settle();
      if (slot.handler) slot.handler(data);
      else slot.signals.push(data);
    });
    // Until the mesh takes the peer up, a failure only means it is not handed over.
    slot.peer.on('error', () => {
      slot.failed = true;
      slot.settle();
    });
    slots.set(participantId, slot);
  }
  let open = true;

  const close = () => {
    if (!open) return;
    open = false;
    for (const slot of slots.values()) {
      slot.peer.destroy();
      slot.settle();
    }
    slots.clear();
  };

  return {
    ready: Promise.all(settled).then(() => {}),
    take() {
      const offers: JoinOffer[] = [];
      for (const [participantId, slot] of slots) {
        if (slot.failed || slot.signals[0]?.type !== 'offer') continue;
        slot.taken = slot.signals.length;
        const data = slot.signals.slice(0, slot.taken);
        offers.push({
          participantId,
          signal: encodeMeshSignal({ kind: 'peer', session: slot.session, data }),
        });
      }
      return offers;
    },
    handOver(delivered) {
      const reached = new Set(delivered);
      const peers = new Map<string, PreparedPeer>();
      for (const [participantId, slot] of slots) {
        if (slot.failed) {
          slot.peer.destroy();
          continue;
        }
        if (!reached.has(participantId)) slot.taken = 0;
        peers.set(participantId, {
          peer: slot.peer,
          session: slot.session,
          forward(handler) {
            const rest = slot.signals.slice(slot.taken);
            slot.signals = [];
            slot.handler = handler;
            for (const data of rest) handler(data);
          },
        });
      }
      // Handed over: from now on they are the mesh's to close.
      slots.clear();
      open = false;
      return peers;
    },
    close,
  };
}
