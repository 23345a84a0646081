import type { Participant, User } from '../../prisma/generated/client/client.ts';
import type { ParticipantSnapshot } from './space-event.ts';
import type { Tx } from './space-transaction.ts';

/** The user columns a snapshot keeps: what the User type shows anyone. */
export const publicUserColumns = {
  id: true,
  handle: true,
  name: true,
  image: true,
  createdAt: true,
} as const;

type PublicUser = Pick<User, keyof typeof publicUserColumns>;

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toSnapshot(participant: Participant & { user: PublicUser }): ParticipantSnapshot {
  return {
    id: participant.id,
    spaceId: participant.spaceId,
    userId: participant.userId,
    role: participant.role,
    muted: participant.muted,
    handRaisedAt: iso(participant.handRaisedAt),
    invitedAt: iso(participant.invitedAt),
    invitedAs: participant.invitedAs,
    joinedAt: participant.joinedAt.toISOString(),
    roleChangedAt: participant.roleChangedAt.toISOString(),
    leftAt: iso(participant.leftAt),
    removedAt: iso(participant.removedAt),
    user: { ...participant.user, createdAt: participant.user.createdAt.toISOString() },
  };
}

const date = (value: string | null) => (value === null ? null : new Date(value));

/** The records a snapshot was made from, as Prisma would return them with `include: { user }`. */
export function fromSnapshot(snapshot: ParticipantSnapshot): Participant & { user: PublicUser } {
  return {
    ...snapshot,
    handRaisedAt: date(snapshot.handRaisedAt),
    invitedAt: date(snapshot.invitedAt),
    joinedAt: new Date(snapshot.joinedAt),
    roleChangedAt: new Date(snapshot.roleChangedAt),
    leftAt: date(snapshot.leftAt),
    removedAt: date(snapshot.removedAt),
    user: { ...snapshot.user, createdAt: new Date(snapshot.user.createdAt) },
  };
}

/** Snapshots of several participants in one read. */
export async function loadSnapshots(tx: Tx, ids: readonly string[]) {
  const participants = await tx.participant.findMany({
    where: { id: { in: [...new Set(ids)] } },
    include: { user: { select: publicUserColumns } },
  });
  return new Map(participants.map((participant) => [participant.id, toSnapshot(participant)]));
}

const participantColumns = new Set([
  'id',
  'spaceId',
  'userId',
  'role',
  'muted',
  'handRaisedAt',
  'invitedAt',
  'invitedAs',
  'joinedAt',
  'roleChangedAt',
  'leftAt',
  'removedAt',
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** A selection of the user that its public columns answer (the User type shows no others). */
function userHeld(selection: unknown) {
  if (selection === true) return true;
  if (!isRecord(selection) || Object.keys(selection).some((key) => key !== 'select')) return false;
  return (
    isRecord(selection['select']) &&
    Object.keys(selection['select']).every((column) => column in publicUserColumns)
  );
}

/**
 * Whether a Prisma query Pothos planned for a Participant (queryFromInfo) asks for nothing a
 * snapshot lacks: the participant's columns and its user's public ones, no other relation or
 * count.
 */
export function snapshotHolds(query: unknown): boolean {
  if (!isRecord(query)) return false;
  return Object.entries(query).every(([clause, fields]) => {
    if (clause !== 'include' && clause !== 'select') return false;
    if (!isRecord(fields)) return false;
    return Object.entries(fields).every(([field, selection]) =>
      field === 'user' ? userHeld(selection) : clause === 'select' && participantColumns.has(field),
    );
  });
}
