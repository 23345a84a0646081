import type { Role } from '../../media/types.ts';

export const ParticipantAction = {
  InviteToSpeak: 'invite',
  MakeCoHost: 'make-cohost',
  RemoveCoHost: 'remove-cohost',
  Mute: 'mute',
  MoveToListener: 'move-to-listener',
  Remove: 'remove',
  Block: 'block',
} as const;

export type ParticipantAction = (typeof ParticipantAction)[keyof typeof ParticipantAction];

export const actionLabels: Record<ParticipantAction, string> = {
  invite: 'Invite to speak',
  'make-cohost': 'Invite to co-host',
  'remove-cohost': 'Remove as co-host',
  mute: 'Mute',
  'move-to-listener': 'Move to listeners',
  remove: 'Remove from space',
  block: 'Block',
};

type Target = {
  role: Role;
  muted: boolean;
  invitedToSpeak: boolean;
  /** A pending invitation's role; absent where the caller does not know. */
  invitedAs?: Role | null;
  userId: string;
};

/**
 * What the viewer may do to someone, mirroring the server's rules: the host acts on everyone,
 * a co-host on speakers and listeners; blocking is the host's own (it covers all their spaces).
 */
export function availableActions(
  viewer: { role: Role; userId: string } | null,
  target: Target,
): ParticipantAction[] {
  if (!viewer || viewer.userId === target.userId) return [];
  const isHost = viewer.role === 'HOST';
  const outranks =
    isHost || (viewer.role === 'COHOST' && ['SPEAKER', 'LISTENER'].includes(target.role));
  if (!outranks || target.role === 'HOST') return [];
  const actions: ParticipantAction[] = [];
  if (target.role === 'LISTENER' && !target.invitedToSpeak) actions.push('invite');
  if (isHost && target.role !== 'COHOST' && target.invitedAs !== 'COHOST') {
    actions.push('make-cohost');
  }
  if (isHost && target.role === 'COHOST') actions.push('remove-cohost');
  if (target.role !== 'LISTENER') {
    if (!target.muted) actions.push('mute');
    actions.push('move-to-listener');
  }
  actions.push('remove');
  if (isHost) actions.push('block');
  return actions;
}

export const isHostTeam = (role: Role | undefined) => role === 'HOST' || role === 'COHOST';

/** The question to ask before an action that cannot be taken back; null when none is needed. */
export function confirmationFor(action: ParticipantAction, name: string): string | null {
  switch (action) {
    case 'remove':
      return `Remove ${name} from this space? They won’t be able to come back.`;
    case 'block':
      return `Block ${name}? They’ll be removed and can’t join any of your spaces.`;
    default:
      return null;
  }
}
