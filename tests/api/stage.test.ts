import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSpaceWithCast, startSpace } from '../helpers/space-fixtures.ts';
import {
  listenerIn,
  resultOf,
  selfMutation,
  stageOf,
  targetMutation,
} from '../helpers/stage-operations.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ hosting: { minFollowers: 5, minFollowersTicketed: 10 } });
});
afterAll(() => t?.stop());

describe('Mutation.raiseHand', () => {
  it("puts a listener in the host team's request queue without putting them on stage", async () => {
    const { space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(t, space.id);
    const result = await listener.gql(selfMutation('raiseHand'), { spaceId: spaceGlobalId });
    expect(resultOf(result, 'raiseHand')).toMatchObject({
      participant: { role: 'LISTENER', handRaised: true },
    });
    expect(await stageOf(t, spaceGlobalId)).toMatchObject({
      stage: [{ role: 'HOST' }],
      speakerRequests: [{ user: { handle: listener.handle } }],
    });
  });

  it('accepts a waiting invitation: the listener goes on stage, muted', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(t, space.id);
    await t.app.services.stage.inviteToSpeak(host.id, space.id, listener.id);
    const result = await listener.gql(selfMutation('raiseHand'), { spaceId: spaceGlobalId });
    expect(resultOf(result, 'raiseHand')).toMatchObject({
      participant: { role: 'SPEAKER', muted: true, handRaised: false, invitedToSpeak: false },
    });
  });
});

describe('Mutation.lowerHand', () => {
  it('takes the request back', async () => {
    const { space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(t, space.id);
    await t.app.services.stage.raiseHand(listener.id, space.id);
    const result = await listener.gql(selfMutation('lowerHand'), { spaceId: spaceGlobalId });
    expect(resultOf(result, 'lowerHand')).toMatchObject({ participant: { handRaised: false } });
    expect((await stageOf(t, spaceGlobalId))?.speakerRequests).toEqual([]);
  });

  it("lets a co-host decline someone's request", async () => {
    const cast = await liveSpaceWithCast(t);
    await t.app.services.stage.raiseHand(cast.listener.id, cast.spaceId);
    const result = await cast.cohost.gql(targetMutation('lowerHand'), {
      spaceId: cast.spaceGlobalId,
      userId: cast.listener.globalId,
    });
    expect(resultOf(result, 'lowerHand')).toMatchObject({
      participant: { role: 'LISTENER', handRaised: false },
    });
  });
});

describe('Mutation.inviteToSpeak', () => {
  it('approves a raised hand: the listener is on stage', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(t, space.id);
    await t.app.services.stage.raiseHand(listener.id, space.id);
    const result = await host.gql(targetMutation('inviteToSpeak'), {
      spaceId: spaceGlobalId,
      userId: listener.globalId,
    });
    expect(resultOf(result, 'inviteToSpeak')).toMatchObject({
      participant: { role: 'SPEAKER', muted: true },
    });
  });

  it('only invites a listener who has not asked; they are not on stage until they accept', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(t, space.id);
    const result = await host.gql(targetMutation('inviteToSpeak'), {
      spaceId: spaceGlobalId,
      userId: listener.globalId,
    });
    expect(resultOf(result, 'inviteToSpeak')).toMatchObject({
      participant: { role: 'LISTENER', invitedToSpeak: true },
    });
    expect((await stageOf(t, spaceGlobalId))?.stage).toHaveLength(1);
  });

  it('refuses a listener trying to promote someone, and nobody moves', async () => {
    const { space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(t, space.id);
    const other = await listenerIn(t, space.id, 'other');
    await t.app.services.stage.raiseHand(other.id, space.id);
    const result = await listener.gql(targetMutation('inviteToSpeak'), {
      spaceId: spaceGlobalId,
      userId: other.globalId,
    });
    expect(resultOf(result, 'inviteToSpeak')).toMatchObject({ __typename: 'NotAllowed' });
    expect((await stageOf(t, spaceGlobalId))?.stage).toHaveLength(1);
  });

  it('refuses the eleventh speaker with LimitReached, and their hand stays up', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    for (let i = 0; i < 10; i++) {
      const speaker = await listenerIn(t, space.id, `speaker${i}`);
      await t.app.services.stage.raiseHand(speaker.id, space.id);
      await t.app.services.stage.inviteToSpeak(host.id, space.id, speaker.id);
    }
    const eleventh = await listenerIn(t, space.id, 'eleventh');
    await t.app.services.stage.raiseHand(eleventh.id, space.id);
    const result = await host.gql(targetMutation('inviteToSpeak'), {
      spaceId: spaceGlobalId,
      userId: eleventh.globalId,
    });
    expect(resultOf(result, 'inviteToSpeak')).toMatchObject({
      __typename: 'LimitReached',
      kind: 'SPEAKERS',
      limit: 10,
    });
    const after = await stageOf(t, spaceGlobalId);
    expect(after?.stage.filter((p) => p.role === 'SPEAKER')).toHaveLength(10);
    expect(after?.speakerRequests).toEqual([{ user: { handle: eleventh.handle } }]);
  });

  it('never seats more than 10 speakers when co-hosts approve requests at the same moment', async () => {
    const cast = await liveSpaceWithCast(t);
    const requesters: TestUser[] = [];
    for (let i = 0; i < 12; i++) {
      const user = await listenerIn(t, cast.spaceId, `racer${i}`);
      await t.app.services.stage.raiseHand(user.id, cast.spaceId);
      requesters.push(user);
    }
    const results = await Promise.all(
      requesters.map((user, i) =>
        (i % 2 === 0 ? cast.host : cast.cohost).gql(targetMutation('inviteToSpeak'), {
          spaceId: cast.spaceGlobalId,
          userId: user.globalId,
        }),
      ),
    );
    const seated = results.filter(
      (r) => resultOf(r, 'inviteToSpeak')?.['__typename'] !== 'LimitReached',
    );
    // The cast already has one speaker: 9 seats were free.
    expect(seated).toHaveLength(9);
    expect(
      await t.app.prisma.participant.count({
        where: { spaceId: cast.spaceId, role: 'SPEAKER', leftAt: null },
      }),
    ).toBe(10);
  });
});

describe('Mutation.acceptSpeakerInvitation', () => {
  it('brings an invited listener on stage', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(t, space.id);
    await t.app.services.stage.inviteToSpeak(host.id, space.id, listener.id);
    const result = await listener.gql(selfMutation('acceptSpeakerInvitation'), {
      spaceId: spaceGlobalId,
    });
    expect(resultOf(result, 'acceptSpeakerInvitation')).toMatchObject({
      participant: { role: 'SPEAKER' },
    });
  });

  it('refuses a listener nobody invited', async () => {
    const { space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(t, space.id);
    const result = await listener.gql(selfMutation('acceptSpeakerInvitation'), {
      spaceId: spaceGlobalId,
    });
    expect(resultOf(result, 'acceptSpeakerInvitation')).toMatchObject({
      __typename: 'NotAllowed',
      action: 'speak without an invitation',
    });
  });
});

describe('Mutation.removeCoHost', () => {
  it('puts the co-host back on stage as a speaker', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.host.gql(targetMutation('removeCoHost'), {
      spaceId: cast.spaceGlobalId,
      userId: cast.cohost.globalId,
    });
    expect(resultOf(result, 'removeCoHost')).toMatchObject({ participant: { role: 'SPEAKER' } });
  });
});

describe('Mutation.moveToListener', () => {
  it('moves a speaker to the audience, muted', async () => {
    const cast = await liveSpaceWithCast(t);
    await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
    const result = await cast.cohost.gql(targetMutation('moveToListener'), {
      spaceId: cast.spaceGlobalId,
      userId: cast.speaker.globalId,
    });
    expect(resultOf(result, 'moveToListener')).toMatchObject({
      participant: { role: 'LISTENER', muted: true },
    });
  });

  it('refuses moving the host', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.cohost.gql(targetMutation('moveToListener'), {
      spaceId: cast.spaceGlobalId,
      userId: cast.host.globalId,
    });
    expect(resultOf(result, 'moveToListener')).toMatchObject({ __typename: 'NotAllowed' });
  });
});

describe('Mutation.muteSpeaker', () => {
  it('mutes a speaker, who can then unmute themselves', async () => {
    const cast = await liveSpaceWithCast(t);
    await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
    const muted = await cast.host.gql(targetMutation('muteSpeaker'), {
      spaceId: cast.spaceGlobalId,
      userId: cast.speaker.globalId,
    });
    expect(resultOf(muted, 'muteSpeaker')).toMatchObject({ participant: { muted: true } });
    const unmuted = await cast.speaker.gql(
      /* GraphQL */ `
        mutation ($spaceId: ID!) {
          setMuted(spaceId: $spaceId, muted: false) {
            __typename
            ... on MutationSetMutedSuccess { participant { muted } }
          }
        }
      `,
      { spaceId: cast.spaceGlobalId },
    );
    expect(resultOf(unmuted, 'setMuted')).toMatchObject({ participant: { muted: false } });
  });
});

describe('Mutation.setMuted', () => {
  it('refuses a listener: only people on stage have a microphone', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.listener.gql(
      /* GraphQL */ `
        mutation ($spaceId: ID!) {
          setMuted(spaceId: $spaceId, muted: false) { __typename ... on NotAllowed { action } }
        }
      `,
      { spaceId: cast.spaceGlobalId },
    );
    expect(resultOf(result, 'setMuted')).toEqual({
      __typename: 'NotAllowed',
      action: 'speak from the audience',
    });
  });
});
