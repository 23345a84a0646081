import type { ParticipantRole } from '../../prisma/generated/client/client.ts';

const rank: Record<ParticipantRole, number> = { HOST: 3, COHOST: 2, SPEAKER: 1, LISTENER: 0 };

/** Host and co-hosts run the space: they manage the stage and moderate. */
export const isHostTeam = (role: ParticipantRole) => role === 'HOST' || role === 'COHOST';

export const isOnStage = (role: ParticipantRole) => role !== 'LISTENER';

/** A host acts on anyone; a co-host on speakers and listeners, never on the host or a co-host. */
export const outranks = (actor: ParticipantRole, target: ParticipantRole) =>
  isHostTeam(actor) && rank[actor] > rank[target];

/**
 * The role a listener or speaker has been invited to and not yet answered, or null. Invitations
 * made before co-host invitations existed carry no role: those were all to speak.
 */
export const pendingInvitation = (participant: {
  invitedAt: Date | null;
  invitedAs: ParticipantRole | null;
}): ParticipantRole | null => (participant.invitedAt ? (participant.invitedAs ?? 'SPEAKER') : null);

/** How many seats each stage role has besides the single host. */
export type StageLimits = { cohosts: number; speakers: number };

export const stageLimits: StageLimits = { cohosts: 2, speakers: 10 };
