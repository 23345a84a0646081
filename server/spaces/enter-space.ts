import type {
  Participant,
  PrismaClient,
  SpaceState,
  User,
} from '../../prisma/generated/client/client.ts';
import { newParticipantId } from './participant-id.ts';

/** Where someone stands before joining a space: everything a join checks, in one read. */
export type Standing = {
  state: SpaceState;
  hostId: string;
  /** The space sells tickets: the gate must look further. */
  ticketed: boolean;
  blockedByHost: boolean;
  /** Their row in the space, if they were ever in it. */
  place: { id: string; leftAt: Date | null; removedAt: Date | null } | null;
};

/**
 * Reads, in one statement, what joining a space checks: the space, a block by its host, a ticket
 * offer, and the joiner's earlier place. A crowd's joins then cost one read each instead of four
 * (each Prisma query costs about a millisecond of the server's CPU). Null: no such space.
 */
export async function standingOf(
  prisma: PrismaClient,
  spaceId: string,
  userId: string,
): Promise<Standing | null> {
  const rows = await prisma.$queryRaw<
    {
      state: SpaceState;
      hostId: string;
      ticketed: boolean;
      blockedByHost: boolean;
      placeId: string | null;
      leftAt: Date | null;
      removedAt: Date | null;
    }[]
  >`
    SELECT s."state", s."hostId",
           EXISTS (SELECT 1 FROM "TicketOffer" o WHERE o."spaceId" = s."id") AS "ticketed",
           EXISTS (SELECT 1 FROM "Block" b
                    WHERE b."blockerId" = s."hostId" AND b."blockedId" = ${userId}) AS "blockedByHost",
           p."id" AS "placeId", p."leftAt", p."removedAt"
      FROM "Space" s
      LEFT JOIN "Participant" p ON p."spaceId" = s."id" AND p."userId" = ${userId}
     WHERE s."id" = ${spaceId}`;
  const row = rows[0];
  if (!row) return null;
  return {
    state: row.state,
    hostId: row.hostId,
    ticketed: row.ticketed,
    blockedByHost: row.blockedByHost,
    place: row.placeId ? { id: row.placeId, leftAt: row.leftAt, removedAt: row.removedAt } : null,
  };
}

export type Entered = Participant & {
  user: Pick<User, 'id' | 'handle' | 'name' | 'image' | 'createdAt'>;
};

/**
 * Puts someone in a live space as a listener, in one statement: a first visit inserts their
 * row, a return after leaving revives it. Returns the row with its user's public columns, or
 * null when nothing changed: they are already in, they were removed, the space is not live, they
 * are its host or blocked by its host, or it sells tickets and `ticketChecked` is false (the
 * caller reads which).
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
  /** The caller checked their ticket (space-access.ts); else only a free space lets them in. */
  ticketChecked: boolean,
): Promise<Entered | null> {
  // Prisma keeps DateTime columns as UTC wall-clock times without a zone.
  const at = now.toISOString();
  const rows = await prisma.$queryRaw<
    (Participant & {
      userHandle: string;
      userName: string;
      userImage: string | null;
      userCreatedAt: Date;
    })[]
  >`
    WITH entered AS (
      INSERT INTO "Participant" ("id", "spaceId", "userId", "role", "muted", "joinedAt", "roleChangedAt")
      SELECT ${newParticipantId()}, "id", ${userId}, 'LISTENER'::"ParticipantRole", true,
             (${at}::timestamptz AT TIME ZONE 'UTC'), (${at}::timestamptz AT TIME ZONE 'UTC')
        FROM "Space" s
       WHERE s."id" = ${spaceId} AND s."state" = 'LIVE'::"SpaceState" AND s."hostId" <> ${userId}
         AND NOT EXISTS (SELECT 1 FROM "Block" b
                          WHERE b."blockerId" = s."hostId" AND b."blockedId" = ${userId})
         AND (${ticketChecked}::boolean
              OR NOT EXISTS (SELECT 1 FROM "TicketOffer" o WHERE o."spaceId" = s."id"))
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
      RETURNING *
    )
    SELECT entered.*, u."handle" AS "userHandle", u."name" AS "userName",
           u."image" AS "userImage", u."createdAt" AS "userCreatedAt"
      FROM entered JOIN "user" u ON u."id" = entered."userId"`;
  const row = rows[0];
  if (!row) return null;
  const { userHandle, userName, userImage, userCreatedAt, ...participant } = row;
  return {
    ...participant,
    user: {
      id: participant.userId,
      handle: userHandle,
      name: userName,
      image: userImage,
      createdAt: userCreatedAt,
    },
  };
}
