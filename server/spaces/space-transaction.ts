import type {
  Participant,
  Prisma,
  PrismaClient,
  Space,
} from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import { NotAllowed, NotFound, SpaceNotLive } from '../errors.ts';
import type { SpaceEvent, SpaceEventBus } from './space-event.ts';

export type Tx = Prisma.TransactionClient;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** An event as a rule emits it; the space and the time are filled in. */
export type EmittedEvent = DistributiveOmit<SpaceEvent, 'spaceId' | 'at'>;

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

  async function run<T>(spaceId: string, requireLive: boolean, work: SpaceWork<T>): Promise<T> {
    const events: SpaceEvent[] = [];
    const result = await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Space" WHERE id = ${spaceId} FOR UPDATE`;
      const space = await tx.space.findUnique({ where: { id: spaceId } });
      if (!space) throw new NotFound('Space', spaceId);
      if (requireLive && space.state !== 'LIVE') throw new SpaceNotLive(space.state);
      const at = clock.now().toISOString();
      return work(tx, space, (event) => events.push({ ...event, spaceId, at } as SpaceEvent));
    });
    for (const event of events) bus.publish(event);
    if (events.length > 0) for (const observe of observers) observe(spaceId, events);
    return result;
  }

  return {
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
