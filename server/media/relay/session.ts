import { announceIp } from './announced-ip.ts';
import { assertAnswer, type OfferedSection, offeredSections } from './answer-validation.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { RelayError } from './relay-error.ts';
import { createRelayPeer, type RelayPeerEvents } from './relay-peer.ts';
import type { UdpMux } from './udp-mux.ts';

/** A client that never answers would otherwise hold its sockets forever. */
const ANSWER_TIMEOUT_MS = 30_000;

export type SessionInit = RelayPeerEvents & {
  id: string;
  spaceId: string;
  participantId: string;
  slots: number;
  announcedIp: string | undefined;
  mux: Promise<UdpMux>;
  address: string;
};

/**
 * One participant's connection to the relay and its lifecycle: offered, answered, closed. A
 * session that fails (connection lost, answer timeout) reports it through `onFailed`; its owner
 * closes it.
 */
export function createSession(init: SessionInit) {
  const peer = createRelayPeer({
    slots: init.slots,
    mux: init.mux,
    address: init.address,
    onRtp: init.onRtp,
    onChannelOpen: init.onChannelOpen,
    onFailed: init.onFailed,
  });
  let state: 'opening' | 'offered' | 'answering' | 'answered' | 'closed' = 'opening';
  let offered: OfferedSection[] = [];
  let offering: Promise<unknown> = Promise.resolve();
  let answerTimer: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  let slotMids: readonly string[] = [];

  // A function, not an inline comparison: `state` changes across awaits, which narrowing ignores.
  const isClosed = () => state === 'closed';

  function closedError(): RelayError {
    return new RelayError('CLOSED', `Session ${init.id} was closed.`);
  }

  return {
    id: init.id,
    spaceId: init.spaceId,
    participantId: init.participantId,

    /** Creates the relay's offer, ICE gathered. Rejects with RelayError('CLOSED') if closed meanwhile. */
    async offer(): Promise<string> {
      const creating = peer.createOffer();
      // Only that it settled matters to close(); holding the offer's text would keep it alive.
      offering = creating.then(
        () => undefined,
        () => undefined,
      );
      const sdp = await creating;
      if (isClosed()) throw closedError();
      state = 'offered';
      offered = offeredSections(sdp);
      slotMids = peer.slotMids();
      answerTimer = setTimeout(init.onFailed, ANSWER_TIMEOUT_MS);
      answerTimer.unref();
      return announceIp(sdp, init.announcedIp);
    },

    /** Applies the client's answer; rejects with RelayError('BAD_SDP'). */
    async answer(sdp: string): Promise<void> {
      if (isClosed()) throw closedError();
      if (state !== 'offered') {
        throw new RelayError('BAD_SDP', `Session ${init.id} has already been answered.`);
      }
      assertAnswer(sdp, offered);
      state = 'answering';
      try {
        await peer.applyAnswer(sdp);
      } catch (error) {
        if (isClosed()) throw closedError();
        // Half-applied: the session cannot take another answer.
        init.onFailed();
        const detail = error instanceof Error ? error.message : String(error);
        throw new RelayError('BAD_SDP', `The answer was rejected: ${detail}`);
      }
      if (isClosed()) throw closedError();
      state = 'answered';
      clearTimeout(answerTimer);
    },

    /** The client's transceiver mid for each slot. */
    get slotMids(): readonly string[] {
      return slotMids;
    },

    forward(slot: number, packet: OutgoingRtp): boolean {
      return state === 'answered' && peer.forward(slot, packet);
    },

    credit(slot: number, packets: number, octets: number, last: OutgoingRtp): void {
      peer.credit(slot, packets, octets, last);
    },

    send(message: string): void {
      peer.send(message);
    },

    /** Closes the peer connection and removes its routes; safe to call more than once. */
    close(): Promise<void> {
      if (closing) return closing;
      state = 'closed';
      clearTimeout(answerTimer);
      closing = (async () => {
        // The offer attaches the session to the shared socket: let it finish (it takes
        // microseconds once the socket is bound) so that closing detaches it.
        await offering;
        await peer.close();
      })();
      return closing;
    },
  };
}

export type Session = ReturnType<typeof createSession>;
