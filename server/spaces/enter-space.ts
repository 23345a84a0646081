import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../prisma/generated/client/client.ts';

/**
 * Puts someone in a live space as a listener, in one statement: a first visit inserts their
 * row, a return after leaving revives it. Returns the row's id, or null when nothing changed:
 * they are already in, they were removed, or the space is not live (the caller reads which).
 *
 * One statement instead of an interactive transaction, and no row every join writes: a crowd's
 * joins run side by side. The space row is only key-share locked (as the foreign key would lock
 * it anyway), which waits for a space transaction holding it `FOR UPDATE` (ending the space) and
 * then sees its outcome, so nobody enters a space that has just ended. The conflict clause makes
 * two concurrent joins of one person one change: only one of them gets a row back.
 */
export async function enterAsListener(
  prisma: PrismaClient,
  spaceId: string,
  userId: string,
  now: Date,
): Promise<string | null> {
  // Prisma keeps DateTime columns as UTC wall-clock times without a zone.
  const at = now.toISOString();
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO "Participant" ("id", "spaceId", "userId", "role", "muted", "joinedAt", "roleChangedAt")
    SELECT ${randomUUID()}, "id", ${userId}, 'LISTENER'::"ParticipantRole", true,
           (${at}::timestamptz AT TIME ZONE 'UTC'), (${at}::timestamptz AT TIME ZONE 'UTC')
      FROM "Space"
     WHERE "id" = ${spaceId} AND "state" = 'LIVE'::"SpaceState"
       FOR KEY SHARE
    ON CONFLICT ("spaceId", "userId") DO UPDATE
       SET "leftAt" = NULL,
           "role" = 'LISTENER'::"ParticipantRole",
           "muted" = true,
           "handRaisedAt" = NULL,
           "invitedAt" = NULL,
           "invitedAs" = NULL,
           "joinedAt" = EXCLUDED."joinedAt",
           "roleChangedAt" = EXCLUDED."roleChangedAt"
     WHERE "Participant"."leftAt" IS NOT NULL AND "Participant"."removedAt" IS NULL
    RETURNING "id"`;
  return rows[0]?.id ?? null;
}
