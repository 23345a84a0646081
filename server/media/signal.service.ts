import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import { AppError, InvalidInput, NotAllowed, NotFound } from '../errors.ts';
import type { SpaceGate } from '../spaces/space-gate.ts';
import { parseInput } from '../validation.ts';
import { type MeshSignalMessage, meshInbox } from './mesh-signal.ts';
import { sendsMedia } from './sdp-directions.ts';

export type MeshSignalBus = {
  publish(message: MeshSignalMessage): void;
  /** The signals delivered to one inbox (`meshInbox`). */
  subscribe(inbox: string): AsyncIterable<MeshSignalMessage>;
};

const MAX_SIGNAL_LENGTH = 32_768;

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

/** The SDPs a signal carries, batched or not. */
function sdpsOf(signal: z.output<typeof signalSchema>): string[] {
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
export function createSignalService(prisma: PrismaClient, gate: SpaceGate, bus: MeshSignalBus) {
  const notPresent = () => new NotAllowed('signal without being in the live space');
  /** Present in the space while it is live. */
  const present = (spaceId: string) =>
    ({ spaceId, leftAt: null, space: { state: 'LIVE' } }) as const;

  return {
    async send(userId: string, spaceId: string, toParticipantId: string, text: string) {
      const signal = parseSignal(text);
      // Sender and receiver in one read: every offer, answer and candidate comes this way.
      const both = await prisma.participant.findMany({
        where: { ...present(spaceId), OR: [{ userId }, { id: toParticipantId }] },
      });
      const sender = both.find((participant) => participant.userId === userId);
      if (!sender) throw notPresent();
      // Asked on every signal, not only on joining: a ticket refunded mid-space stops the media.
      await gate(prisma, { id: spaceId }, userId);
      if (sender.id === toParticipantId) throw InvalidInput.of('toParticipantId', 'is yourself');
      const receiver = both.find((participant) => participant.id === toParticipantId);
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
    },

    /**
     * Signals addressed to the caller's place in the space, from now on: also before they join,
     * so those sent in answer to their join need not wait for them to subscribe. Only present
     * participants are sent anything, so until then the subscription only waits; it is refused
     * to whoever could not join (the space is not live, removed, no ticket).
     */
    async subscribe(userId: string, spaceId: string) {
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
  };
}

export type SignalService = ReturnType<typeof createSignalService>;
