import type {
  Participant,
  Prisma,
  PrismaClient,
  Space,
} from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import { NotAllowed, NotFound, SpaceNotLive } from '../errors.ts';
import { loadSnapshots } from './participant-snapshot.ts';
import { isParticipantEvent, type SpaceEvent, type SpaceEventBus } from './space-event.ts';

export type Tx = Prisma.TransactionClient;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * An event as a rule emits it; the space, the time, the participant's snapshot and the sequence
 * are filled in.
 */
export type EmittedEvent = DistributiveOmit<
  SpaceEvent,
  'spaceId' | 'at' | 'participant' | 'sequence'
>;

/** Fills in each participant event's snapshot, as of the end of the transaction. */
async function withSnapshots(tx: Tx, events: SpaceEvent[]): Promise<SpaceEvent[]> {
  const ids = events.filter(isParticipantEvent).map((event) => event.participantId);
  if (ids.length === 0) return events;
  const snapshots = await loadSnapshots(tx, ids);
  return events.map((event) =>
    isParticipantEvent(event)
      ? { ...event, participant: snapshots.get(event.participantId) }
      : event,
  ) as SpaceEvent[];
}

export type SpaceWork<T> = (
  tx: Tx,
  space: Space,
  emit: (event: EmittedEvent) => void,
) => Promise<T>;

/**
 * Runs a rule against one live space under a row lock, so concurrent changes to the same space
 * (two co-hosts filling the last speaker seat) happen one after the other. Events are published
 * only once the transaction has committed: subscribers never hear of a change that rolled back.
 */
export function createSpaceTransactions(prisma: PrismaClient, bus: SpaceEventBus, clock: Clock) {
  const observers = new Set<(spaceId: string, events: readonly SpaceEvent[]) => void>();

  function publishCommitted(spaceId: string, events: readonly SpaceEvent[]) {
    for (const event of events) bus.publish(event);
    if (events.length > 0) for (const observe of observers) observe(spaceId, events);
  }

  async function run<T>(spaceId: string, requireLive: boolean, work: SpaceWork<T>): Promise<T> {
    let events: SpaceEvent[] = [];
    const result = await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Space" WHERE id = ${spaceId} FOR UPDATE`;
      const space = await tx.space.findUnique({ where: { id: spaceId } });
      if (!space) throw new NotFound('Space', spaceId);
      if (requireLive && space.state !== 'LIVE') throw new SpaceNotLive(space.state);
      const at = clock.now().toISOString();
      const emitted: SpaceEvent[] = [];
      const value = await work(tx, space, (event) =>
        emitted.push({ ...event, spaceId, at } as SpaceEvent),
      );
      events = await withSnapshots(tx, emitted);
      return value;
    });
    publishCommitted(spaceId, events);
    return result;
  }

  return {
    /**
     * Publishes events of a change made outside these transactions (a join, one statement),
     * once it has committed, and tells the observers.
     */
    publishCommitted,
    /**
     * Tells other features (media) what changed in a space, on the instance that changed it,
     * once the change has committed.
     */
    onCommitted(observer: (spaceId: string, events: readonly SpaceEvent[]) => void) {
      observers.add(observer);
      return () => observers.delete(observer);
    },
    inLiveSpace: <T>(spaceId: string, work: SpaceWork<T>) => run(spaceId, true, work),
    inSpace: <T>(spaceId: string, work: SpaceWork<T>) => run(spaceId, false, work),
  };
}

export type SpaceTransactions = ReturnType<typeof createSpaceTransactions>;

/** The caller's current place in the space, or NotAllowed if they are not in it. */
export async function requirePresent(
  tx: Tx,
  spaceId: string,
  userId: string,
  action: string,
): Promise<Participant> {
  const participant = await tx.participant.findUnique({
    where: { spaceId_userId: { spaceId, userId } },
  });
  if (!participant || participant.leftAt)
    throw new NotAllowed(`${action} without joining the space`);
  return participant;
}

/** The participant someone acts on, present in the space. */
export async function requireTarget(tx: Tx, spaceId: string, userId: string): Promise<Participant> {
  const participant = await tx.participant.findUnique({
    where: { spaceId_userId: { spaceId, userId } },
  });
  if (!participant || participant.leftAt) throw new NotFound('Participant', userId);
  return participant;
}
