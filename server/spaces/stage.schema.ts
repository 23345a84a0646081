import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { SpaceNotLive } from '../errors.ts';
import { parseGlobalId } from '../ids.ts';
import { Participant } from './participant.schema.ts';
import { selfMutation, targetMutation } from './participant-mutation.ts';

selfMutation(
  'raiseHand',
  'Asks to speak. If a host already invited the caller, this accepts and brings them on stage.',
  (services, userId, spaceId) => services.stage.raiseHand(userId, spaceId),
);

builder.mutationField('lowerHand', (t) =>
  t.field({
    type: Participant,
    description:
      "Lowers the caller's hand, or with `userId`, lets the host team decline someone's request.",
    args: { spaceId: t.arg.id({ required: true }), userId: t.arg.id() },
    errors: { types: [SpaceNotLive], dataField: { name: 'participant' } },
    resolve: (_root, args, ctx) => {
      const viewer = requireViewer(ctx);
      const spaceId = parseGlobalId(String(args.spaceId), 'Space', 'spaceId');
      const target = args.userId ? parseGlobalId(String(args.userId), 'User', 'userId') : undefined;
      return ctx.services.stage.lowerHand(viewer.userId, spaceId, target);
    },
  }),
);

targetMutation(
  'inviteToSpeak',
  'Host team: invites a listener to speak, or approves their raised hand (they go on stage).',
  (services, userId, spaceId, target) => services.stage.inviteToSpeak(userId, spaceId, target),
);

selfMutation(
  'acceptSpeakerInvitation',
  'Accepts an invitation to speak: the caller goes on stage, muted.',
  (services, userId, spaceId) => services.stage.acceptSpeakerInvitation(userId, spaceId),
);

targetMutation(
  'addCoHost',
  'Host only: invites someone in the space to co-host (at most 2). They become co-host when they accept (acceptCoHostInvitation); until then `invitedAs` is COHOST.',
  (services, userId, spaceId, target) => services.stage.addCoHost(userId, spaceId, target),
);

selfMutation(
  'acceptCoHostInvitation',
  "Accepts the host's invitation to co-host, if a co-host seat is still free.",
  (services, userId, spaceId) => services.stage.acceptCoHostInvitation(userId, spaceId),
);

selfMutation(
  'declineInvitation',
  'Declines a waiting invitation to speak or to co-host; the host team is told.',
  (services, userId, spaceId) => services.stage.declineInvitation(userId, spaceId),
);

targetMutation(
  'removeCoHost',
  'Host only, or a co-host stepping down: back to speaker if a seat is free, else listener.',
  (services, userId, spaceId, target) => services.stage.removeCoHost(userId, spaceId, target),
);

targetMutation(
  'moveToListener',
  'Moves a speaker or co-host to the audience: by someone who outranks them, or themselves.',
  (services, userId, spaceId, target) => services.stage.moveToListener(userId, spaceId, target),
);

targetMutation(
  'muteSpeaker',
  'Host team: mutes someone on stage. They can unmute themselves while on stage.',
  (services, userId, spaceId, target) => services.stage.muteSpeaker(userId, spaceId, target),
);

builder.mutationField('setMuted', (t) =>
  t.field({
    type: Participant,
    description: "Mutes or unmutes the caller's own microphone; only people on stage have one.",
    args: { spaceId: t.arg.id({ required: true }), muted: t.arg.boolean({ required: true }) },
    errors: { types: [SpaceNotLive], dataField: { name: 'participant' } },
    resolve: (_root, args, ctx) =>
      ctx.services.stage.setMuted(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.spaceId), 'Space', 'spaceId'),
        args.muted,
      ),
  }),
);
