import type { Notification } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import type { SpaceTransactions } from '../spaces/space-transaction.ts';
import type { ClaimedJob } from './job-runner.ts';
import type { NotificationService } from './notification.service.ts';
import { reminderHolders } from './reminder.service.ts';
import { settleJobs } from './scheduled-jobs.ts';

/** What each kind of timed job does to its space. */
export function createScheduledJobService(
  spaces: SpaceTransactions,
  notifications: NotificationService,
  clock: Clock,
) {
  return {
    /**
     * Runs one job under its space's lock. Marking it done and its effect commit together, so a
     * job taken over after a lapsed lease, or claimed twice, still acts once.
     */
    async run(job: ClaimedJob) {
      const told: Notification[] = [];
      await spaces.inSpace(job.spaceId, async (tx, space, emit) => {
        const now = clock.now();
        const { count } = await tx.scheduledJob.updateMany({
          where: { id: job.id, doneAt: null },
          data: { doneAt: now },
        });
        if (count === 0 || space.state !== 'SCHEDULED') return;
        if (job.kind === 'HOST_STARTS_SOON' || job.kind === 'HOST_START_NOW') {
          told.push(...(await notifications.record(tx, [space.hostId], job.kind, space.id)));
          return;
        }
        await settleJobs(tx, space.id, now);
        await tx.space.update({
          where: { id: space.id },
          data: { state: 'CANCELED', endedAt: now },
        });
        const everyone = new Set([space.hostId, ...(await reminderHolders(tx, space.id))]);
        told.push(...(await notifications.record(tx, [...everyone], 'SPACE_MISSED', space.id)));
        emit({ kind: 'SpaceStateChanged', state: 'CANCELED' });
      });
      notifications.publish(told);
    },
  };
}
