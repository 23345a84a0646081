import type { Participant, ParticipantRole } from '../../prisma/generated/client/client.ts';
import type { Clock } from '../clock.ts';
import { LimitReached, NotAllowed } from '../errors.ts';
import { isHostTeam, isOnStage, outranks, pendingInvitation, type StageLimits } from './roles.ts';
import {
  type EmittedEvent,
  requirePresent,
  requireTarget,
  type SpaceTransactions,
  type Tx,
} from './space-transaction.ts';

/**
 * Who speaks. A listener reaches the stage only with both sides agreeing: their request (a
 * raised hand) or acceptance, and a host's or co-host's invitation or approval. Nobody becomes
 * co-host without accepting the host's invitation either.
 */
export function createStageService(spaces: SpaceTransactions, clock: Clock, limits: StageLimits) {
  async function changeRole(
    tx: Tx,
    participant: Participant,
    role: ParticipantRole,
    emit: (event: EmittedEvent) => void,
  ) {
    const updated = await tx.participant.update({
      where: { id: participant.id },
      data: {
        role,
        roleChangedAt: clock.now(),
        handRaisedAt: null,
        invitedAt: null,
        invitedAs: null,
        // Everyone arrives on stage muted and leaves it muted; only they can unmute themselves.
        muted: true,
      },
    });
    emit({
      kind: 'RoleChanged',
      participantId: participant.id,
      role,
      previousRole: participant.role,
    });
    return updated;
  }

  const countRole = (tx: Tx, spaceId: string, role: ParticipantRole) =>
    tx.participant.count({ where: { spaceId, role, leftAt: null } });

  async function bringOnStage(tx: Tx, listener: Participant, emit: (e: EmittedEvent) => void) {
    if ((await countRole(tx, listener.spaceId, 'SPEAKER')) >= limits.speakers) {
      throw new LimitReached('SPEAKERS', limits.speakers);
    }
    return changeRole(tx, listener, 'SPEAKER', emit);
  }

  async function requireCoHostSeat(tx: Tx, spaceId: string) {
    if ((await countRole(tx, spaceId, 'COHOST')) >= limits.cohosts) {
      throw new LimitReached('COHOSTS', limits.cohosts);
    }
  }

  async function requireHostTeam(tx: Tx, spaceId: string, userId: string, action: string) {
    const actor = await requirePresent(tx, spaceId, userId, action);
    if (!isHostTeam(actor.role)) throw new NotAllowed(action);
    return actor;
  }

  return {
    /** Asks to speak; with an invitation already waiting, this accepts it. */
    raiseHand: (userId: string, spaceId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        const me = await requirePresent(tx, spaceId, userId, 'raise your hand');
        if (isOnStage(me.role) || me.handRaisedAt) return me;
        if (pendingInvitation(me) === 'SPEAKER') return bringOnStage(tx, me, emit);
        const raised = await tx.participant.update({
          where: { id: me.id },
          data: { handRaisedAt: clock.now() },
        });
        emit({ kind: 'HandRaised', participantId: me.id });
        return raised;
      }),

    /** Lowers your own hand, or, for the host team, declines someone's request. */
    lowerHand: (userId: string, spaceId: string, targetUserId = userId) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        if (targetUserId !== userId) await requireHostTeam(tx, spaceId, userId, 'lower hands');
        const target =
          targetUserId === userId
            ? await requirePresent(tx, spaceId, userId, 'lower your hand')
            : await requireTarget(tx, spaceId, targetUserId);
        if (!target.handRaisedAt) return target;
        const lowered = await tx.participant.update({
          where: { id: target.id },
          data: { handRaisedAt: null },
        });
        emit({ kind: 'HandLowered', participantId: target.id });
        return lowered;
      }),

    /** Invites a listener to speak; if their hand is up, this approves it and they are on stage. */
    inviteToSpeak: (userId: string, spaceId: string, targetUserId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        await requireHostTeam(tx, spaceId, userId, 'invite people to speak');
        const target = await requireTarget(tx, spaceId, targetUserId);
        if (isOnStage(target.role)) return target;
        if (target.handRaisedAt) return bringOnStage(tx, target, emit);
        // A co-host invitation already offers the stage; a speaker invitation would replace it.
        if (pendingInvitation(target) === 'COHOST') return target;
        const invited = await tx.participant.update({
          where: { id: target.id },
          data: { invitedAt: clock.now(), invitedAs: 'SPEAKER' },
        });
        emit({ kind: 'SpeakerInvited', participantId: target.id });
        return invited;
      }),

    acceptSpeakerInvitation: (userId: string, spaceId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        const me = await requirePresent(tx, spaceId, userId, 'accept an invitation');
        if (isOnStage(me.role)) return me;
        if (pendingInvitation(me) !== 'SPEAKER')
          throw new NotAllowed('speak without an invitation');
        return bringOnStage(tx, me, emit);
      }),

    /**
     * Host only: invites someone in the space to co-host. They become co-host only by accepting
     * (acceptCoHostInvitation); a full co-host team refuses the invitation at once.
     */
    addCoHost: (userId: string, spaceId: string, targetUserId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        const actor = await requirePresent(tx, spaceId, userId, 'make co-hosts');
        if (actor.role !== 'HOST') throw new NotAllowed('make co-hosts');
        const target = await requireTarget(tx, spaceId, targetUserId);
        if (isHostTeam(target.role) || pendingInvitation(target) === 'COHOST') return target;
        await requireCoHostSeat(tx, spaceId);
        const invited = await tx.participant.update({
          where: { id: target.id },
          data: { invitedAt: clock.now(), invitedAs: 'COHOST' },
        });
        emit({ kind: 'CoHostInvited', participantId: target.id });
        return invited;
      }),

    /** Takes the co-host seat the host offered, if one is still free when the caller accepts. */
    acceptCoHostInvitation: (userId: string, spaceId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        const me = await requirePresent(tx, spaceId, userId, 'accept an invitation');
        if (isHostTeam(me.role)) return me;
        if (pendingInvitation(me) !== 'COHOST') {
          throw new NotAllowed('co-host without an invitation');
        }
        await requireCoHostSeat(tx, spaceId);
        return changeRole(tx, me, 'COHOST', emit);
      }),

    /** Turns down a waiting invitation to speak or to co-host; without one, nothing changes. */
    declineInvitation: (userId: string, spaceId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        const me = await requirePresent(tx, spaceId, userId, 'decline an invitation');
        const invitedAs = pendingInvitation(me);
        if (!invitedAs) return me;
        const declined = await tx.participant.update({
          where: { id: me.id },
          data: { invitedAt: null, invitedAs: null },
        });
        emit({ kind: 'InvitationDeclined', participantId: me.id, invitedAs });
        return declined;
      }),

    /** The host takes a co-host seat away, or a co-host gives theirs up; they stay on stage if a seat is free. */
    removeCoHost: (userId: string, spaceId: string, targetUserId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        const actor = await requirePresent(tx, spaceId, userId, 'remove co-hosts');
        if (actor.role !== 'HOST' && userId !== targetUserId) {
          throw new NotAllowed('remove co-hosts');
        }
        const target = await requireTarget(tx, spaceId, targetUserId);
        if (target.role !== 'COHOST') return target;
        const seatFree = (await countRole(tx, spaceId, 'SPEAKER')) < limits.speakers;
        return changeRole(tx, target, seatFree ? 'SPEAKER' : 'LISTENER', emit);
      }),

    /** Moves a speaker or co-host back to the audience: by someone who outranks them, or themselves. */
    moveToListener: (userId: string, spaceId: string, targetUserId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        const actor = await requirePresent(tx, spaceId, userId, 'move people to the audience');
        const target =
          targetUserId === userId ? actor : await requireTarget(tx, spaceId, targetUserId);
        if (target.role === 'HOST') throw new NotAllowed('move the host to the audience');
        if (target !== actor && !outranks(actor.role, target.role)) {
          throw new NotAllowed('move people to the audience');
        }
        if (target.role === 'LISTENER') return target;
        return changeRole(tx, target, 'LISTENER', emit);
      }),

    /** Mutes someone on stage; they may unmute themselves while they stay on stage. */
    muteSpeaker: (userId: string, spaceId: string, targetUserId: string) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        const actor = await requirePresent(tx, spaceId, userId, 'mute speakers');
        const target = await requireTarget(tx, spaceId, targetUserId);
        if (!outranks(actor.role, target.role)) throw new NotAllowed('mute this participant');
        if (target.muted) return target;
        const muted = await tx.participant.update({
          where: { id: target.id },
          data: { muted: true },
        });
        emit({ kind: 'MuteChanged', participantId: target.id, muted: true });
        return muted;
      }),

    /** Mutes or unmutes your own microphone; only people on stage have one. */
    setMuted: (userId: string, spaceId: string, muted: boolean) =>
      spaces.inLiveSpace(spaceId, async (tx, _space, emit) => {
        const me = await requirePresent(tx, spaceId, userId, 'use a microphone');
        if (!isOnStage(me.role)) throw new NotAllowed('speak from the audience');
        if (me.muted === muted) return me;
        const updated = await tx.participant.update({ where: { id: me.id }, data: { muted } });
        emit({ kind: 'MuteChanged', participantId: me.id, muted });
        return updated;
      }),
  };
}

export type StageService = ReturnType<typeof createStageService>;
