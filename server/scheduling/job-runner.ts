import { randomUUID } from 'node:crypto';
import type { PrismaClient, ScheduledJobKind } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';

export type ClaimedJob = { id: string; kind: ScheduledJobKind; spaceId: string };

export type JobRunnerOptions = {
  /** How long a claim holds before another instance may take the job over. */
  leaseMs: number;
  batchSize: number;
};

/**
 * Runs due jobs from the ScheduledJob table. Each instance claims a batch with `FOR UPDATE SKIP
 * LOCKED` and a lease, so instances never wait on each other and a job whose instance died is
 * taken over once its lease runs out. The claim is not what makes a job run once: `run` marks it
 * done in the same transaction as its effect, and skips a job already done.
 */
export function createJobRunner(
  prisma: PrismaClient,
  clock: Clock,
  run: (job: ClaimedJob) => Promise<unknown>,
  options: JobRunnerOptions,
) {
  const instanceId = randomUUID();

  async function claim(): Promise<ClaimedJob[]> {
    const now = clock.now();
    // Timestamps go in as UTC wall-clock text: the columns are `timestamp` without a zone, as
    // Prisma writes them, and a session time zone must not shift the comparison.
    const at = now.toISOString();
    const until = new Date(now.getTime() + options.leaseMs).toISOString();
    return prisma.$queryRaw<ClaimedJob[]>`
      UPDATE "ScheduledJob"
      SET "claimedBy" = ${instanceId}, "claimedUntil" = ${until}::timestamp(3)
      WHERE id IN (
        SELECT id FROM "ScheduledJob"
        WHERE "doneAt" IS NULL
          AND "dueAt" <= ${at}::timestamp(3)
          AND ("claimedUntil" IS NULL OR "claimedUntil" < ${at}::timestamp(3))
        ORDER BY "dueAt"
        LIMIT ${options.batchSize}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, kind::text AS kind, "spaceId"`;
  }

  return {
    instanceId,
    /** Claims and runs every job due by the clock's now; returns how many it ran. */
    async runDue() {
      const jobs = await claim();
      for (const job of jobs) {
        // A failed job keeps its claim until the lease ends, then is tried again.
        await run(job).catch((error: unknown) => {
          console.error(`scheduled job ${job.kind} ${job.id} failed`, error);
        });
      }
      return jobs.length;
    },
  };
}

export type JobRunner = ReturnType<typeof createJobRunner>;
