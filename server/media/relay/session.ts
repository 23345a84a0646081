import { announceIp } from './announced-ip.ts';
import { assertAnswer, type OfferedSection, offeredSections } from './answer-validation.ts';
import type { OutgoingRtp } from './outgoing-rtp.ts';
import { RelayError } from './relay-error.ts';
import { encodeRelayMessage, parseClientMessage } from './relay-messages.ts';
import { createRelayPeer, type RelayPeerEvents } from './relay-peer.ts';
import { slotSectionsFor } from './slot-sections.ts';
import type { UdpMux } from './udp-mux.ts';

/** A client that never answers would otherwise hold its sockets forever. */
const ANSWER_TIMEOUT_MS = 30_000;
/**
 * A re-offer not answered by then no longer holds back the next one: a later seat beyond its
 * sections re-offers again, so a client that never answers cannot stall its session. Its answer
 * is still taken until a newer re-offer replaces it, since the client applied the offer when it
 * received it and holds its sections, however late its answer.
 */
const REOFFER_TIMEOUT_MS = 10_000;

/** A re-offer waiting for its answer. */
type PendingReoffer = {
  revision: number;
  offered: OfferedSection[];
  slotMids: string[];
  timer: NodeJS.Timeout;
  /** Unanswered past REOFFER_TIMEOUT_MS: a newer re-offer may replace it. */
  overdue: boolean;
};

export type SessionInit = Omit<RelayPeerEvents, 'onChannelMessage'> & {
  /** The client answered a re-offer: `slotMids` has more slots, to announce to it. */
  onSlotsChanged(): void;
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
    onChannelOpen: () => {
      channelOpen = true;
      init.onChannelOpen();
      reofferIfNeeded();
    },
    onChannelMessage: (message) => receive(message),
    onFailed: init.onFailed,
  });
  let state: 'opening' | 'offered' | 'answering' | 'answered' | 'closed' = 'opening';
  let offered: OfferedSection[] = [];
  let offering: Promise<unknown> = Promise.resolve();
  let answerTimer: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  let slotMids: readonly string[] = [];
  let channelOpen = false;
  /** Seats the space has wanted this session to hear, whether or not its sections cover them. */
  let seatsWanted = 0;
  let pending: PendingReoffer | undefined;
  let revisions = 0;

  // A function, not an inline comparison: `state` changes across awaits, which narrowing ignores.
  const isClosed = () => state === 'closed';

  function closedError(): RelayError {
    return new RelayError('CLOSED', `Session ${init.id} was closed.`);
  }

  function reofferIfNeeded(): void {
    if (state !== 'answered' || !channelOpen || seatsWanted <= slotMids.length) return;
    if (pending && (!pending.overdue || seatsWanted <= pending.slotMids.length)) return;
    const reoffer = peer.createReoffer(slotSectionsFor(seatsWanted, init.slots));
    if (!reoffer) return;
    const sdp = announceIp(reoffer.sdp, init.announcedIp);
    const revision = ++revisions;
    const timer = setTimeout(() => {
      if (pending?.revision === revision) pending.overdue = true;
    }, REOFFER_TIMEOUT_MS);
    timer.unref();
    const offered = offeredSections(sdp);
    clearTimeout(pending?.timer);
    pending = { revision, offered, slotMids: reoffer.slotMids, timer, overdue: false };
    peer.send(encodeRelayMessage({ type: 'offer', revision, sdp }));
  }

  /**
   * The client's answer to the pending re-offer. Anything else (a stale revision, a malformed or
   * mismatched answer) is dropped and the session goes on as it was.
   */
  function receive(data: string): void {
    const message = parseClientMessage(data);
    if (!message || !pending || message.revision !== pending.revision || isClosed()) return;
    try {
      assertAnswer(message.sdp, pending.offered);
      peer.applyReanswer(message.sdp, pending.slotMids);
    } catch {
      return;
    }
    slotMids = pending.slotMids;
    clearTimeout(pending.timer);
    pending = undefined;
    init.onSlotsChanged();
    reofferIfNeeded();
  }

  return {
    id: init.id,
    spaceId: init.spaceId,
    participantId: init.participantId,

    /**
     * Creates the relay's offer, ICE gathered, with sections for `seats` slots (and a few spare).
     * Rejects with RelayError('CLOSED') if closed meanwhile.
     */
    async offer(seats: number): Promise<string> {
      seatsWanted = Math.max(seatsWanted, seats);
      const creating = peer.createOffer(slotSectionsFor(seats, init.slots));
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
      reofferIfNeeded();
    },

    /**
     * The space seats someone on slot `seats - 1` (or expects to): re-offers more sections over
     * the data channel if this session's do not reach it, once it is answered and the channel is
     * open.
     */
    needSlots(seats: number): void {
      seatsWanted = Math.max(seatsWanted, seats);
      reofferIfNeeded();
    },

    /** The client's transceiver mid for each slot. */
    get slotMids(): readonly string[] {
      return slotMids;
    },

    forward(slot: number, packet: OutgoingRtp): boolean {
      return state === 'answered' && peer.forward(slot, packet);
    },

    credit(slot: number, packets: number, octets: number, timestamp: number, arrivedAt: number) {
      peer.credit(slot, packets, octets, timestamp, arrivedAt);
    },

    send(message: string): void {
      peer.send(message);
    },

    /** Closes the peer connection and removes its routes; safe to call more than once. */
    close(): Promise<void> {
      if (closing) return closing;
      state = 'closed';
      clearTimeout(answerTimer);
      clearTimeout(pending?.timer);
      pending = undefined;
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
