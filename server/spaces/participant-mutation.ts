import type { Participant as ParticipantRecord } from '../../prisma/generated/client/client.ts';
import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { LimitReached, SpaceNotLive } from '../errors.ts';
import { parseGlobalId } from '../ids.ts';
import type { Services } from '../services.ts';
import { Participant } from './participant.schema.ts';

type SelfAction = (
  services: Services,
  userId: string,
  spaceId: string,
) => Promise<ParticipantRecord>;
type TargetAction = (
  services: Services,
  userId: string,
  spaceId: string,
  targetUserId: string,
) => Promise<ParticipantRecord>;

const errors = { types: [SpaceNotLive, LimitReached], dataField: { name: 'participant' } };

/** A mutation in which the caller acts on their own place in a space. */
export function selfMutation(name: string, description: string, action: SelfAction) {
  builder.mutationField(name, (t) =>
    t.field({
      type: Participant,
      description,
      args: { spaceId: t.arg.id({ required: true }) },
      errors,
      resolve: (_root, args, ctx) =>
        action(
          ctx.services,
          requireViewer(ctx).userId,
          parseGlobalId(String(args.spaceId), 'Space', 'spaceId'),
        ),
    }),
  );
}

/** A mutation in which the caller acts on someone else's place in a space. */
export function targetMutation(name: string, description: string, action: TargetAction) {
  builder.mutationField(name, (t) =>
    t.field({
      type: Participant,
      description,
      args: { spaceId: t.arg.id({ required: true }), userId: t.arg.id({ required: true }) },
      errors,
      resolve: (_root, args, ctx) =>
        action(
          ctx.services,
          requireViewer(ctx).userId,
          parseGlobalId(String(args.spaceId), 'Space', 'spaceId'),
          parseGlobalId(String(args.userId), 'User', 'userId'),
        ),
    }),
  );
}
