import type { Api } from '../../api/graphql-client.ts';
import { failure, type Outcome, run } from '../../api/typed-api.ts';
import type { ParticipantAction } from './participant-actions.ts';
import {
  AcceptCoHostInvitation,
  AcceptInvitation,
  AddCoHost,
  BlockUser,
  DeclineInvitation,
  EndSpace,
  InviteToSpeak,
  LeaveSpace,
  LowerHand,
  MoveToListener,
  MuteSpeaker,
  RaiseHand,
  React,
  RemoveCoHost,
  RemoveParticipant,
  SetMuted,
} from './space.mutations.ts';

/**
 * Everything a person can do in a space, each resolving to whether it worked; a refusal
 * (NotAllowed, LimitReached…) is reported through `notify` in the server's words.
 */
export function spaceActions(api: Api, spaceId: string, notify: (message: string) => void) {
  const call = async (request: Promise<Record<string, Outcome>>) => {
    try {
      const result = Object.values(await request)[0];
      const problem = result ? failure(result) : 'No answer';
      if (problem) notify(problem);
      return !problem;
    } catch {
      notify('Something went wrong. Check your connection and try again.');
      return false;
    }
  };
  const on = { spaceId };
  const moderate = (action: ParticipantAction, userId: string) => {
    const target = { spaceId, userId };
    switch (action) {
      case 'invite':
        return call(run(api, InviteToSpeak, target));
      case 'make-cohost':
        return call(run(api, AddCoHost, target)).then((sent) => {
          if (sent) notify('Co-host invitation sent.');
          return sent;
        });
      case 'remove-cohost':
        return call(run(api, RemoveCoHost, target));
      case 'mute':
        return call(run(api, MuteSpeaker, target));
      case 'move-to-listener':
        return call(run(api, MoveToListener, target));
      case 'remove':
        return call(run(api, RemoveParticipant, target));
      case 'block':
        return call(run(api, BlockUser, { userId }));
    }
  };
  return {
    moderate,
    raiseHand: () => call(run(api, RaiseHand, on)),
    lowerHand: () => call(run(api, LowerHand, on)),
    decline: (userId: string) => call(run(api, LowerHand, { spaceId, userId })),
    accept: (userId: string) => moderate('invite', userId),
    acceptInvitation: () => call(run(api, AcceptInvitation, on)),
    acceptCoHostInvitation: () => call(run(api, AcceptCoHostInvitation, on)),
    declineInvitation: () => call(run(api, DeclineInvitation, on)),
    setMuted: (muted: boolean) => call(run(api, SetMuted, { spaceId, muted })),
    react: (emoji: string) => call(run(api, React, { spaceId, emoji })),
    leave: () => call(run(api, LeaveSpace, on)),
    end: () => call(run(api, EndSpace, on)),
  };
}
