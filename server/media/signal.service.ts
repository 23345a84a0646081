import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Participant, Prisma, PrismaClient } from '../../prisma/generated/client/client.ts';
import { AppError, InvalidInput, NotAllowed, NotFound } from '../errors.ts';
import { takenAfter } from '../spaces/participant-id.ts';
import { stageLimits } from '../spaces/roles.ts';
import { isParticipantEvent } from '../spaces/space-event.ts';
import type { SpaceGate } from '../spaces/space-gate.ts';
import type { SpaceTransactions } from '../spaces/space-transaction.ts';
import { parseInput } from '../validation.ts';
import { type MeshSignalMessage, meshInbox } from './mesh-signal.ts';
import { createRecentPlaces } from './recent-places.ts';
import { sendsMedia } from './sdp-directions.ts';

export type MeshSignalBus = {
  publish(message: MeshSignalMessage): void;
  /** The signals delivered to one inbox (`meshInbox`). */
  subscribe(inbox: string): AsyncIterable<MeshSignalMessage>;
};

const MAX_SIGNAL_LENGTH = 32_768;

/** One offer per seat on stage (the host's, the co-hosts', the speakers'). */
export const MAX_JOIN_OFFERS = 1 + stageLimits.cohosts + stageLimits.speakers;

/** A signal a joiner made before joining, for one person on stage. */
export type JoinOffer = { toParticipantId: string; signal: string };

// simple-peer's signal data, the only shapes a browser mesh exchanges.
const peerData = [
  z.object({ type: z.enum(['offer', 'answer']), sdp: z.string().min(1).max(30_000) }),
  z.object({
    type: z.literal('candidate'),
    candidate: z.object({
      candidate: z.string().max(1_000),
      sdpMid: z.string().max(64).nullish(),
      sdpMLineIndex: z.number().int().min(0).max(64).nullish(),
      usernameFragment: z.string().max(256).nullish(),
    }),
  }),
  z.object({ type: z.literal('renegotiate'), renegotiate: z.literal(true) }),
  z.object({
    type: z.literal('transceiverRequest'),
    transceiverRequest: z.object({ kind: z.literal('audio'), init: z.unknown().optional() }),
  }),
] as const;

// On the wire each is tagged with the initiator's peer session; the web client also batches what
// queued up during a send, and asks for reconnects and ICE restarts.
const tagged = { peerSession: z.string().max(64).nullish() };
const [sdpData, candidateData, renegotiateData, transceiverData] = peerData;
const signalSchema = z.discriminatedUnion('type', [
  sdpData.extend(tagged),
  candidateData.extend(tagged),
  renegotiateData.extend(tagged),
  transceiverData.extend(tagged),
  z.object({
    type: z.literal('amphi-batch'),
    signals: z
      .array(z.discriminatedUnion('type', [...peerData]))
      .min(1)
      .max(50),
    ...tagged,
  }),
  z.object({ type: z.enum(['amphi-reconnect', 'amphi-restart-ice']), ...tagged }),
]);

type PeerData = z.output<(typeof peerData)[number]>;
type Signal = z.output<typeof signalSchema>;

/** The SDPs a signal carries, batched or not. */
function sdpsOf(signal: Signal): string[] {
  const items: PeerData[] =
    signal.type === 'amphi-batch' ? signal.signals : 'sdp' in signal ? [signal] : [];
  return items.flatMap((item) => ('sdp' in item ? [item.sdp] : []));
}

function parseSignal(text: string) {
  if (text.length > MAX_SIGNAL_LENGTH) {
    throw InvalidInput.of('signal', `must be at most ${MAX_SIGNAL_LENGTH} characters`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw InvalidInput.of('signal', 'must be JSON');
  }
  return parseInput(z.object({ signal: signalSchema }), { signal: json }).signal;
}

/**
 * Signalling for the browser mesh. The server relays offers, answers and candidates between two
 * people in the same live space, and refuses what the sender may not send: audio from the
 * audience, or a connection between two listeners, who have nothing to say to each other.
 */
export function createSignalService(
  prisma: PrismaClient,
  gate: SpaceGate,
  bus: MeshSignalBus,
  spaces: Pick<SpaceTransactions, 'onCommitted'>,
  now: () => number,
) {
  const notPresent = () => new NotAllowed('signal without being in the live space');
  const recentPlaces = createRecentPlaces(now);
  // Every change to a place commits through the space's transactions on some instance; this
  // one's are forgotten at once, other instances' within RECENT_PLACE_MS.
  spaces.onCommitted((spaceId, events) => {
    if (events.some((event) => event.kind === 'SpaceStateChanged')) {
      recentPlaces.forget(spaceId);
      return;
    }
    const changed = events.filter(isParticipantEvent).map((event) => event.participantId);
    if (changed.length > 0) recentPlaces.forget(spaceId, changed);
  });
  /** Present in the space while it is live. */
  const present = (spaceId: string) =>
    ({ spaceId, leftAt: null, space: { state: 'LIVE' } }) as const;

  /**
   * The sender and those of `toParticipantIds` present: as read in the last moments, or in one
   * read now (always, with `fresh`). The sender must be present, and pass the gate unless the
   * operation has just let them in (`admitted`). `recalled`: they were remembered, so a refusal
   * must be decided on a fresh read.
   */
  async function placesOf(
    userId: string,
    spaceId: string,
    toParticipantIds: string[],
    { admitted = false, fresh = false } = {},
  ) {
    const recent = fresh ? null : recentPlaces.find(spaceId, userId, toParticipantIds);
    if (recent) {
      // Asked on every signal, not only on joining: a ticket refunded mid-space stops the media.
      if (!admitted) await gate(prisma, { id: spaceId }, userId);
      return { ...recent, recalled: true };
    }
    const start = recentPlaces.beginRead();
    // Both reads at once: every offer, answer and candidate waits for them.
    const [read, admission] = await Promise.allSettled([
      prisma.participant.findMany({
        where: { ...present(spaceId), OR: [{ userId }, { id: { in: toParticipantIds } }] },
      }),
      // Asked on every signal, not only on joining: a ticket refunded mid-space stops the media.
      admitted ? undefined : gate(prisma, { id: spaceId }, userId),
    ]);
    if (read.status === 'rejected') throw read.reason;
    const places = read.value;
    const sender = places.find((participant) => participant.userId === userId);
    if (!sender) throw notPresent();
    if (admission.status === 'rejected') throw admission.reason;
    recentPlaces.remember(spaceId, places, start);
    return { sender, places, recalled: false };
  }

  /** Reads places present in the space for signals about to come, into the recent ones. */
  async function readAhead(spaceId: string, where: Prisma.ParticipantWhereInput) {
    const start = recentPlaces.beginRead();
    const places = await prisma.participant.findMany({
      where: { ...present(spaceId), ...where },
      take: MAX_JOIN_OFFERS,
    });
    recentPlaces.remember(spaceId, places, start);
  }

  function deliver(
    spaceId: string,
    sender: Participant,
    places: Participant[],
    toParticipantId: string,
    signal: Signal,
  ) {
    if (sender.id === toParticipantId) throw InvalidInput.of('toParticipantId', 'is yourself');
    const receiver = places.find((participant) => participant.id === toParticipantId);
    if (!receiver) throw new NotFound('Participant', toParticipantId);
    if (sender.role === 'LISTENER' && receiver.role === 'LISTENER') {
      throw new NotAllowed('connect two listeners');
    }
    if (sender.role === 'LISTENER' && sdpsOf(signal).some(sendsMedia)) {
      throw new NotAllowed('send audio from the audience');
    }
    bus.publish({
      id: randomUUID(),
      spaceId,
      fromParticipantId: sender.id,
      toParticipantId,
      inbox: meshInbox(spaceId, receiver.userId),
      signal: JSON.stringify(signal),
    });
    return receiver;
  }

  return {
    async send(userId: string, spaceId: string, toParticipantId: string, text: string) {
      const signal = parseSignal(text);
      // Sender and receiver in one read: every offer, answer and candidate comes this way.
      const { sender, places, recalled } = await placesOf(userId, spaceId, [toParticipantId]);
      try {
        return deliver(spaceId, sender, places, toParticipantId, signal);
      } catch (error) {
        if (!recalled || !(error instanceof AppError)) throw error;
        // Places remembered may predate a promotion: only a fresh read refuses.
        const read = await placesOf(userId, spaceId, [toParticipantId], { fresh: true });
        return deliver(spaceId, read.sender, read.places, toParticipantId, signal);
      }
    },

    /**
     * Signals addressed to the caller's place in the space, from now on: also before they join,
     * so those sent in answer to their join need not wait for them to subscribe. Only present
     * participants are sent anything, so until then the subscription only waits; it is refused
     * to whoever could not join (the space is not live, removed, no ticket).
     */
    async subscribe(userId: string, spaceId: string) {
      // Opened before joining: the join's offers go to the stage a moment later. Should this
      // read fail, the offers read the stage themselves.
      readAhead(spaceId, { role: { not: 'LISTENER' } }).catch(() => {});
      const space = await prisma.space.findUnique({
        where: { id: spaceId },
        select: {
          state: true,
          hostId: true,
          participants: { where: { userId }, select: { removedAt: true } },
        },
      });
      if (space?.state !== 'LIVE' || space.participants[0]?.removedAt) throw notPresent();
      try {
        await gate(prisma, { id: spaceId, hostId: space.hostId }, userId);
      } catch (error) {
        if (error instanceof AppError) throw notPresent();
        throw error;
      }
      return bus.subscribe(meshInbox(spaceId, userId));
    },

    /**
     * Sends what `joinerId` prepared before joining to the people on stage it is the one to offer
     * to (their place is older), as `send` would once the join had answered, a round trip sooner.
     * Returns whom they reached. The rest are dropped, each checked as `send` checks it: the
     * joiner sends them again (or answers their offers) once its plan has their link. Only for
     * the operation whose join has just passed the gate, which is not asked again.
     */
    async sendJoinOffers(userId: string, joiner: Participant, offers: JoinOffer[]) {
      const { spaceId, id: joinerId } = joiner;
      if (offers.length > MAX_JOIN_OFFERS) {
        throw InvalidInput.of(
          'offers',
          `must be at most ${MAX_JOIN_OFFERS}, one per seat on stage`,
        );
      }
      const signals = new Map<string, Signal>();
      for (const { toParticipantId, signal } of offers) {
        const parsed = parseSignal(signal);
        if (takenAfter(joinerId, toParticipantId) && !signals.has(toParticipantId)) {
          signals.set(toParticipantId, parsed);
        }
      }
      if (signals.size === 0) return [];
      const deliverEach = (
        { sender, places }: { sender: Participant; places: Participant[] },
        offers: Map<string, Signal>,
      ) => {
        const refused = new Map<string, Signal>();
        for (const [toParticipantId, signal] of offers) {
          try {
            deliver(spaceId, sender, places, toParticipantId, signal);
          } catch (error) {
            // Someone gone, or a listener's audio: that offer only has nowhere to go.
            if (!(error instanceof AppError)) throw error;
            refused.set(toParticipantId, signal);
          }
        }
        return refused;
      };
      const toStage = [...signals.keys()];
      // These are on the way to the stage's first answer: the stage as read when the joiner's
      // inbox opened (or one read for them all), and the place the join has just committed.
      const stage = recentPlaces.findAll(spaceId, toStage);
      const recent = stage
        ? { sender: joiner, places: stage, recalled: true }
        : await placesOf(userId, spaceId, toStage, { admitted: true });
      // The stage answers in a moment, to the joiner's place, which no read has found yet.
      if (stage) readAhead(spaceId, { id: joiner.id }).catch(() => {});
      let refused = deliverEach(recent, signals);
      if (recent.recalled && refused.size > 0) {
        // Places remembered may predate a promotion: only a fresh read refuses.
        const read = await placesOf(userId, spaceId, [...refused.keys()], {
          admitted: true,
          fresh: true,
        });
        refused = deliverEach(read, refused);
      }
      return toStage.filter((id) => !refused.has(id));
    },
  };
}

export type SignalService = ReturnType<typeof createSignalService>;
