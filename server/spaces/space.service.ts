import type { PrismaClient } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import {
  AlreadyHosting,
  AppError,
  BlockedByHost,
  NotAllowed,
  NotFound,
  RemovedFromSpace,
  SpaceNotLive,
} from '../errors.ts';
import { parseInput } from '../validation.ts';
import { type Entered, enterAsListener, standingOf } from './enter-space.ts';
import { assertCanHost, type HostingThresholds } from './hosting-eligibility.ts';
import { toSnapshot } from './participant-snapshot.ts';
import type { SpaceEventBus } from './space-event.ts';
import { openGate, type SpaceGate } from './space-gate.ts';
import { createSpaceSchema } from './space-input.ts';
import { requirePresent, type SpaceTransactions, type Tx } from './space-transaction.ts';

export type SpaceLifecycleOptions = {
  hosting: HostingThresholds;
  /** How long a space waits for a host who left with no co-host to take over. */
  hostGraceMs: number;
  /** Who else may not join (tickets). @default everyone may */
  gate?: SpaceGate;
};

/** Starting, joining, leaving and ending spaces. */
export function createSpaceService(
  prisma: PrismaClient,
  spaces: SpaceTransactions,
  bus: SpaceEventBus,
  clock: Clock,
  options: SpaceLifecycleOptions,
) {
  async function endSpace(tx: Tx, spaceId: string) {
    const now = clock.now();
    await tx.participant.updateMany({
      where: { spaceId, leftAt: null },
      data: { leftAt: now, handRaisedAt: null, invitedAt: null },
    });
    return tx.space.update({
      where: { id: spaceId },
      data: { state: 'ENDED', endedAt: now, hostLeftAt: null },
    });
  }

  const findPlace = (spaceId: string, userId: string) =>
    prisma.participant.findUnique({ where: { spaceId_userId: { spaceId, userId } } });

  /** The host's return: under the space's lock, as it also calls off the host grace period. */
  const rejoinAsHost = (userId: string, spaceId: string) =>
    spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
      const existing = await tx.participant.findUnique({
        where: { spaceId_userId: { spaceId, userId } },
      });
      if (existing && !existing.leftAt) return existing;
      const now = clock.now();
      await tx.space.update({ where: { id: spaceId }, data: { hostLeftAt: null } });
      const participant = await tx.participant.upsert({
        where: { spaceId_userId: { spaceId, userId } },
        create: { spaceId, userId, role: 'HOST', joinedAt: now, roleChangedAt: now },
        update: { role: 'HOST', leftAt: null, joinedAt: now, roleChangedAt: now, muted: true },
      });
      emit({ kind: 'ParticipantJoined', participantId: participant.id });
      return participant;
    });

  /** Why a join changed nothing although it looked possible: someone else's change came first. */
  function announceEntry(spaceId: string, entered: Entered, now: Date) {
    spaces.publishCommitted(spaceId, [
      {
        kind: 'ParticipantJoined',
        spaceId,
        participantId: entered.id,
        participant: toSnapshot(entered),
        at: now.toISOString(),
      },
    ]);
    const { user: _user, ...participant } = entered;
    return participant;
  }

  async function placeAfterLostRace(spaceId: string, userId: string) {
    const place = await findPlace(spaceId, userId);
    if (place?.removedAt) throw new RemovedFromSpace();
    if (place && !place.leftAt) return place;
    const space = await prisma.space.findUnique({ where: { id: spaceId } });
    throw new SpaceNotLive(space?.state ?? 'ENDED');
  }

  return {
    /** Creates a space and starts it now, with the caller as its host. */
    async start(userId: string, input: { title: string; topics?: string[] | null }) {
      const { title, topics } = parseInput(createSpaceSchema, {
        title: input.title,
        topics: input.topics ?? undefined,
      });
      const followers = await prisma.follow.count({ where: { followeeId: userId } });
      assertCanHost(followers, options.hosting);
      const live = await prisma.space.findFirst({ where: { hostId: userId, state: 'LIVE' } });
      if (live) throw new AlreadyHosting(live.id);
      const now = clock.now();
      return prisma.space.create({
        data: {
          title,
          topics,
          hostId: userId,
          state: 'LIVE',
          startedAt: now,
          participants: { create: { userId, role: 'HOST', joinedAt: now, roleChangedAt: now } },
        },
      });
    },

    end: (userId: string, spaceId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, space, emit) => {
        if (space.hostId !== userId) throw new NotAllowed('end a space you do not host');
        const ended = await endSpace(tx, spaceId);
        emit({ kind: 'SpaceStateChanged', state: 'ENDED' });
        return ended;
      }),

    /**
     * Joins as a listener; the host coming back takes the host seat again. Idempotent: joining
     * while in the space returns one's place unchanged and tells nobody. The usual join, a
     * listener entering a free live space, is one statement whatever the size of the room (see
     * enterAsListener); only when that enters nobody is the space read, to answer why or to check
     * a ticket.
     */
    async join(userId: string, spaceId: string) {
      const now = clock.now();
      const entered = await enterAsListener(prisma, spaceId, userId, now, false);
      if (entered) return announceEntry(spaceId, entered, now);
      const standing = await standingOf(prisma, spaceId, userId);
      if (!standing) throw new NotFound('Space', spaceId);
      if (standing.state !== 'LIVE') throw new SpaceNotLive(standing.state);
      if (standing.hostId === userId) return rejoinAsHost(userId, spaceId);
      if (standing.blockedByHost) throw new BlockedByHost();
      const { place } = standing;
      if (place?.removedAt) throw new RemovedFromSpace();
      if (place && !place.leftAt)
        return prisma.participant.findUniqueOrThrow({ where: { id: place.id } });
      // Entry beyond the usual rules is what tickets sell.
      if (standing.ticketed) {
        await (options.gate ?? openGate)(prisma, { id: spaceId, hostId: standing.hostId }, userId);
      }
      const admitted = await enterAsListener(prisma, spaceId, userId, now, standing.ticketed);
      if (!admitted) return placeAfterLostRace(spaceId, userId);
      return announceEntry(spaceId, admitted, now);
    },

    /**
     * Leaves the space. A leaving host hands the space to the longest-serving co-host; with none,
     * the space waits `hostGraceMs` for the host to return, then ends.
     */
    leave: (userId: string, spaceId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        const me = await requirePresent(tx, spaceId, userId, 'leave');
        const now = clock.now();
        const wasHost = me.role === 'HOST';
        const left = await tx.participant.update({
          where: { id: me.id },
          data: {
            leftAt: now,
            handRaisedAt: null,
            invitedAt: null,
            muted: true,
            role: wasHost ? 'HOST' : 'LISTENER',
          },
        });
        emit({ kind: 'ParticipantLeft', participantId: me.id, removed: false });
        if (!wasHost) return left;
        const successor = await tx.participant.findFirst({
          where: { spaceId, role: 'COHOST', leftAt: null },
          orderBy: { roleChangedAt: 'asc' },
        });
        if (!successor) {
          await tx.space.update({ where: { id: spaceId }, data: { hostLeftAt: now } });
          return left;
        }
        await tx.participant.update({ where: { id: me.id }, data: { role: 'LISTENER' } });
        await tx.participant.update({
          where: { id: successor.id },
          data: { role: 'HOST', roleChangedAt: now },
        });
        await tx.space.update({ where: { id: spaceId }, data: { hostId: successor.userId } });
        emit({
          kind: 'RoleChanged',
          participantId: successor.id,
          role: 'HOST',
          previousRole: 'COHOST',
        });
        return { ...left, role: 'LISTENER' as const };
      }),

    /** Ends every live space whose host has been gone longer than the grace period. */
    async endAbandoned() {
      const cutoff = new Date(clock.now().getTime() - options.hostGraceMs);
      const abandoned = await prisma.space.findMany({
        where: { state: 'LIVE', hostLeftAt: { lte: cutoff } },
        select: { id: true },
      });
      const ended: string[] = [];
      for (const { id } of abandoned) {
        await spaces
          .inLiveSpace(id, async (tx, space, emit) => {
            if (!space.hostLeftAt || space.hostLeftAt > cutoff) return;
            await endSpace(tx, id);
            emit({ kind: 'SpaceStateChanged', state: 'ENDED' });
            ended.push(id);
          })
          .catch((error: unknown) => {
            // Another instance ended it first.
            if (!(error instanceof SpaceNotLive)) throw error;
          });
      }
      return ended;
    },

    /** Throws unless the space exists; anyone may watch a public space's events. */
    async requireObservable(spaceId: string) {
      const space = await prisma.space.findUnique({ where: { id: spaceId } });
      if (!space) throw new NotFound('Space', spaceId);
      return space;
    },

    /**
     * Whether someone (null: a guest) may have what is said in the space (captions, transcripts),
     * by the same gate as joining.
     */
    async mayHear(space: { id: string; hostId: string }, userId: string | null) {
      try {
        await (options.gate ?? openGate)(prisma, space, userId);
        return true;
      } catch (error) {
        if (error instanceof AppError) return false;
        throw error;
      }
    },

    subscribe: (spaceId: string) => bus.subscribe(spaceId),
  };
}

export type SpaceService = ReturnType<typeof createSpaceService>;
