import type { Notification, PrismaClient, Space } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import type { SchedulingConfig } from '../config.ts';
import { AlreadyHosting, LimitReached, NotAllowed, SpaceNotScheduled } from '../errors.ts';
import { assertCanHost, type HostingThresholds } from '../spaces/hosting-eligibility.ts';
import type { SpaceTransactions, Tx } from '../spaces/space-transaction.ts';
import { parseInput } from '../validation.ts';
import type { NotificationService } from './notification.service.ts';
import { reminderHolders } from './reminder.service.ts';
import { scheduleSpaceSchema, updateScheduledSpaceSchema } from './schedule-input.ts';
import { scheduleJobs, settleJobs } from './scheduled-jobs.ts';

export type SchedulingOptions = { hosting: HostingThresholds; scheduling: SchedulingConfig };

type ScheduleInput = { title: string; topics?: string[] | null; scheduledStart: Date };

/** What a feature adds to a space it schedules (tickets: the offer), in the same transaction. */
export type ScheduleExtension = {
  /** Gates on the ticketed-host follower threshold. */
  ticketed: boolean;
  create(tx: Tx, space: Space): Promise<unknown>;
};
type UpdateInput = {
  title?: string | null;
  topics?: string[] | null;
  scheduledStart?: Date | null;
};

/** Scheduling spaces for later, editing, canceling and starting them. */
export function createSchedulingService(
  prisma: PrismaClient,
  spaces: SpaceTransactions,
  notifications: NotificationService,
  clock: Clock,
  options: SchedulingOptions,
) {
  const { scheduling } = options;

  /** Runs a rule on a scheduled space the caller hosts; notifications go out after commit. */
  async function asHost(
    userId: string,
    spaceId: string,
    action: string,
    work: (tx: Tx, space: Space, told: Notification[], emit: EmitState) => Promise<Space>,
  ) {
    const told: Notification[] = [];
    const space = await spaces.inSpace(spaceId, async (tx, space, emit) => {
      if (space.hostId !== userId) throw new NotAllowed(action);
      if (space.state !== 'SCHEDULED') throw new SpaceNotScheduled(space.state);
      return work(tx, space, told, (state) => emit({ kind: 'SpaceStateChanged', state }));
    });
    notifications.publish(told);
    return space;
  }

  return {
    /** Schedules a space for later with the caller as host (follower-gated, like starting one). */
    async schedule(userId: string, input: ScheduleInput, extension?: ScheduleExtension) {
      const now = clock.now();
      const { title, topics, scheduledStart } = parseInput(
        scheduleSpaceSchema(now, scheduling.maxDaysAhead),
        { ...input, topics: input.topics ?? undefined },
      );
      const followers = await prisma.follow.count({ where: { followeeId: userId } });
      assertCanHost(followers, options.hosting, extension?.ticketed);
      return prisma.$transaction(async (tx) => {
        // One host's schedulings take turns, so two at once cannot both take the last slot.
        await tx.$queryRaw`SELECT id FROM "user" WHERE id = ${userId} FOR UPDATE`;
        const upcoming = await tx.space.count({ where: { hostId: userId, state: 'SCHEDULED' } });
        if (upcoming >= scheduling.maxUpcomingPerHost) {
          throw new LimitReached('SCHEDULED_SPACES', scheduling.maxUpcomingPerHost);
        }
        const space = await tx.space.create({
          data: { title, topics, hostId: userId, state: 'SCHEDULED', scheduledStart },
        });
        await scheduleJobs(tx, space.id, scheduledStart, now, scheduling);
        await extension?.create(tx, space);
        return space;
      });
    },

    /** Changes title, topics or start time; a new time replaces the space's timed work. */
    update: (userId: string, spaceId: string, input: UpdateInput) =>
      asHost(userId, spaceId, 'edit a space you do not host', async (tx, _space) => {
        const now = clock.now();
        const changes = parseInput(updateScheduledSpaceSchema(now, scheduling.maxDaysAhead), {
          title: input.title ?? undefined,
          topics: input.topics ?? undefined,
          scheduledStart: input.scheduledStart ?? undefined,
        });
        if (changes.scheduledStart) {
          await scheduleJobs(tx, spaceId, changes.scheduledStart, now, scheduling);
        }
        return tx.space.update({ where: { id: spaceId }, data: changes });
      }),

    /** Cancels a scheduled space; everyone with a reminder is told. */
    cancel: (userId: string, spaceId: string) =>
      asHost(userId, spaceId, 'cancel a space you do not host', async (tx, _space, told, emit) => {
        const now = clock.now();
        await settleJobs(tx, spaceId, now);
        const canceled = await tx.space.update({
          where: { id: spaceId },
          data: { state: 'CANCELED', endedAt: now },
        });
        told.push(
          ...(await notifications.record(
            tx,
            await reminderHolders(tx, spaceId),
            'SPACE_CANCELED',
            spaceId,
          )),
        );
        emit('CANCELED');
        return canceled;
      }),

    /** Starts a scheduled space now, host on stage; everyone with a reminder is told. */
    start: (userId: string, spaceId: string) =>
      asHost(userId, spaceId, 'start a space you do not host', async (tx, _space, told, emit) => {
        const live = await tx.space.findFirst({ where: { hostId: userId, state: 'LIVE' } });
        if (live) throw new AlreadyHosting(live.id);
        const now = clock.now();
        await settleJobs(tx, spaceId, now);
        const started = await tx.space.update({
          where: { id: spaceId },
          data: {
            state: 'LIVE',
            startedAt: now,
            participants: {
              create: { userId, role: 'HOST', joinedAt: now, roleChangedAt: now },
            },
          },
        });
        told.push(
          ...(await notifications.record(
            tx,
            await reminderHolders(tx, spaceId),
            'SPACE_STARTED',
            spaceId,
          )),
        );
        emit('LIVE');
        return started;
      }),
  };
}

type EmitState = (state: 'LIVE' | 'CANCELED') => void;

export type SchedulingService = ReturnType<typeof createSchedulingService>;
