import type { ScheduledJobKind } from '../../prisma/generated/client/client.ts';
import type { SchedulingConfig } from '../config.ts';
import type { Tx } from '../spaces/space-transaction.ts';

type Timing = Pick<SchedulingConfig, 'hostReminderLeadMs' | 'missedAfterMs'>;

/**
 * The timed work of a space scheduled for `start`: the host's two reminders and the check that
 * marks it missed. A reminder whose time has already passed is left out rather than sent late.
 */
export function planJobs(start: Date, now: Date, timing: Timing) {
  const at = (offsetMs: number) => new Date(start.getTime() + offsetMs);
  const plan: { kind: ScheduledJobKind; dueAt: Date }[] = [
    { kind: 'HOST_STARTS_SOON', dueAt: at(-timing.hostReminderLeadMs) },
    { kind: 'HOST_START_NOW', dueAt: at(0) },
    { kind: 'MISSED_CHECK', dueAt: at(timing.missedAfterMs) },
  ];
  return plan.filter((job) => job.kind === 'MISSED_CHECK' || job.dueAt > now);
}

/** Replaces a space's jobs with those of its (new) start time. */
export async function scheduleJobs(
  tx: Tx,
  spaceId: string,
  start: Date,
  now: Date,
  timing: Timing,
) {
  await tx.scheduledJob.deleteMany({ where: { spaceId } });
  await tx.scheduledJob.createMany({
    data: planJobs(start, now, timing).map((job) => ({ ...job, spaceId })),
  });
}

/** Settles a space's pending jobs: it started or was canceled, so none of them is wanted. */
export async function settleJobs(tx: Tx, spaceId: string, now: Date) {
  await tx.scheduledJob.updateMany({ where: { spaceId, doneAt: null }, data: { doneAt: now } });
}
