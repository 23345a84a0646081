import { builder } from '../builder.ts';
import { pendingInvitation } from './roles.ts';

export const ParticipantRole = builder.enumType('ParticipantRole', {
  values: ['HOST', 'COHOST', 'SPEAKER', 'LISTENER'] as const,
});

export const Participant = builder.prismaNode('Participant', {
  id: { field: 'id' },
  description: "A user's place in one space.",
  fields: (t) => ({
    user: t.relation('user'),
    space: t.relation('space'),
    role: t.expose('role', { type: ParticipantRole }),
    muted: t.exposeBoolean('muted'),
    handRaised: t.boolean({ resolve: (participant) => participant.handRaisedAt !== null }),
    handRaisedAt: t.expose('handRaisedAt', { type: 'DateTime', nullable: true }),
    invitedToSpeak: t.boolean({
      description: 'A host or co-host has invited this listener to speak.',
      resolve: (participant) => pendingInvitation(participant) === 'SPEAKER',
    }),
    invitedAs: t.field({
      type: ParticipantRole,
      nullable: true,
      description:
        'The role an invitation waiting for this participant offers (SPEAKER or COHOST): they take it with acceptSpeakerInvitation or acceptCoHostInvitation, or turn it down with declineInvitation.',
      resolve: (participant) => pendingInvitation(participant),
    }),
    present: t.boolean({ resolve: (participant) => participant.leftAt === null }),
    removed: t.boolean({ resolve: (participant) => participant.removedAt !== null }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime' }),
  }),
});
