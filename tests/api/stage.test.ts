import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveSpaceWithCast, startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

// lowerHand cannot fill a seat, so its result has no LimitReached member.
const resultFields = (name: string) => /* GraphQL */ `
  __typename
  ... on Error { message }
  ... on NotAllowed { action }
  ${name === 'lowerHand' ? '' : '... on LimitReached { kind limit }'}
`;

const selfMutation = (name: string) => /* GraphQL */ `
  mutation ($spaceId: ID!) {
    ${name}(spaceId: $spaceId) {
      ${resultFields(name)}
      ... on Mutation${name[0]?.toUpperCase()}${name.slice(1)}Success {
        participant { role muted handRaised invitedToSpeak invitedAs }
      }
    }
  }
`;

const targetMutation = (name: string) => /* GraphQL */ `
  mutation ($spaceId: ID!, $userId: ID!) {
    ${name}(spaceId: $spaceId, userId: $userId) {
      ${resultFields(name)}
      ... on Mutation${name[0]?.toUpperCase()}${name.slice(1)}Success {
        participant { role muted handRaised invitedToSpeak invitedAs user { handle } }
      }
    }
  }
`;

const STAGE = /* GraphQL */ `
  query ($id: ID!) {
    space(id: $id) {
      stage { role user { handle } }
      speakerRequests { user { handle } }
    }
  }
`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ hosting: { minFollowers: 5, minFollowersTicketed: 10 } });
});
afterAll(() => t?.stop());

async function stageOf(spaceGlobalId: string) {
  const result = await t.anonymous<{
    space: { stage: { role: string; user: { handle: string } }[]; speakerRequests: unknown[] };
  }>(STAGE, { id: spaceGlobalId });
  return result.data?.space;
}

const resultOf = (response: { data?: Record<string, unknown> }, name: string) =>
  response.data?.[name] as Record<string, unknown> | undefined;

async function listenerIn(spaceId: string, name = 'listener'): Promise<TestUser> {
  const user = await t.createUser(name);
  await t.app.services.spaces.join(user.id, spaceId);
  return user;
}

describe('Mutation.raiseHand', () => {
  it("puts a listener in the host team's request queue without putting them on stage", async () => {
    const { space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(space.id);
    const result = await listener.gql(selfMutation('raiseHand'), { spaceId: spaceGlobalId });
    expect(resultOf(result, 'raiseHand')).toMatchObject({
      participant: { role: 'LISTENER', handRaised: true },
    });
    expect(await stageOf(spaceGlobalId)).toMatchObject({
      stage: [{ role: 'HOST' }],
      speakerRequests: [{ user: { handle: listener.handle } }],
    });
  });

  it('accepts a waiting invitation: the listener goes on stage, muted', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(space.id);
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
    const listener = await listenerIn(space.id);
    await t.app.services.stage.raiseHand(listener.id, space.id);
    const result = await listener.gql(selfMutation('lowerHand'), { spaceId: spaceGlobalId });
    expect(resultOf(result, 'lowerHand')).toMatchObject({ participant: { handRaised: false } });
    expect((await stageOf(spaceGlobalId))?.speakerRequests).toEqual([]);
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
    const listener = await listenerIn(space.id);
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
    const listener = await listenerIn(space.id);
    const result = await host.gql(targetMutation('inviteToSpeak'), {
      spaceId: spaceGlobalId,
      userId: listener.globalId,
    });
    expect(resultOf(result, 'inviteToSpeak')).toMatchObject({
      participant: { role: 'LISTENER', invitedToSpeak: true },
    });
    expect((await stageOf(spaceGlobalId))?.stage).toHaveLength(1);
  });

  it('refuses a listener trying to promote someone, and nobody moves', async () => {
    const { space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(space.id);
    const other = await listenerIn(space.id, 'other');
    await t.app.services.stage.raiseHand(other.id, space.id);
    const result = await listener.gql(targetMutation('inviteToSpeak'), {
      spaceId: spaceGlobalId,
      userId: other.globalId,
    });
    expect(resultOf(result, 'inviteToSpeak')).toMatchObject({ __typename: 'NotAllowed' });
    expect((await stageOf(spaceGlobalId))?.stage).toHaveLength(1);
  });

  it('refuses the eleventh speaker with LimitReached, and their hand stays up', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    for (let i = 0; i < 10; i++) {
      const speaker = await listenerIn(space.id, `speaker${i}`);
      await t.app.services.stage.raiseHand(speaker.id, space.id);
      await t.app.services.stage.inviteToSpeak(host.id, space.id, speaker.id);
    }
    const eleventh = await listenerIn(space.id, 'eleventh');
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
    const after = await stageOf(spaceGlobalId);
    expect(after?.stage.filter((p) => p.role === 'SPEAKER')).toHaveLength(10);
    expect(after?.speakerRequests).toEqual([{ user: { handle: eleventh.handle } }]);
  });

  it('never seats more than 10 speakers when co-hosts approve requests at the same moment', async () => {
    const cast = await liveSpaceWithCast(t);
    const requesters: TestUser[] = [];
    for (let i = 0; i < 12; i++) {
      const user = await listenerIn(cast.spaceId, `racer${i}`);
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
    const listener = await listenerIn(space.id);
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
    const listener = await listenerIn(space.id);
    const result = await listener.gql(selfMutation('acceptSpeakerInvitation'), {
      spaceId: spaceGlobalId,
    });
    expect(resultOf(result, 'acceptSpeakerInvitation')).toMatchObject({
      __typename: 'NotAllowed',
      action: 'speak without an invitation',
    });
  });
});

describe('Mutation.addCoHost', () => {
  it('invites a listener to co-host: they stay a listener until they accept', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(space.id);
    const result = await host.gql(targetMutation('addCoHost'), {
      spaceId: spaceGlobalId,
      userId: listener.globalId,
    });
    expect(resultOf(result, 'addCoHost')).toMatchObject({
      participant: { role: 'LISTENER', invitedAs: 'COHOST', invitedToSpeak: false },
    });
    expect(await stageOf(spaceGlobalId)).toMatchObject({ stage: [{ role: 'HOST' }] });
  });

  it('invites a speaker to co-host without taking them off stage', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.host.gql(targetMutation('addCoHost'), {
      spaceId: cast.spaceGlobalId,
      userId: cast.speaker.globalId,
    });
    expect(resultOf(result, 'addCoHost')).toMatchObject({
      participant: { role: 'SPEAKER', invitedAs: 'COHOST' },
    });
  });

  it('refuses a third co-host', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    for (const name of ['one', 'two']) {
      const user = await listenerIn(space.id, name);
      await t.app.services.stage.addCoHost(host.id, space.id, user.id);
      await t.app.services.stage.acceptCoHostInvitation(user.id, space.id);
    }
    const third = await listenerIn(space.id, 'three');
    const result = await host.gql(targetMutation('addCoHost'), {
      spaceId: spaceGlobalId,
      userId: third.globalId,
    });
    expect(resultOf(result, 'addCoHost')).toMatchObject({
      __typename: 'LimitReached',
      kind: 'COHOSTS',
      limit: 2,
    });
  });

  it('refuses a co-host making another co-host', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.cohost.gql(targetMutation('addCoHost'), {
      spaceId: cast.spaceGlobalId,
      userId: cast.listener.globalId,
    });
    expect(resultOf(result, 'addCoHost')).toMatchObject({ __typename: 'NotAllowed' });
  });

  it('says NotFound for someone who is not in the space', async () => {
    const cast = await liveSpaceWithCast(t);
    const result = await cast.host.gql(targetMutation('addCoHost'), {
      spaceId: cast.spaceGlobalId,
      userId: cast.outsider.globalId,
    });
    expect(resultOf(result, 'addCoHost')).toMatchObject({ __typename: 'NotFound' });
  });
});

describe('Mutation.acceptCoHostInvitation', () => {
  it('makes an invited listener a co-host, on stage and muted', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(space.id);
    await t.app.services.stage.addCoHost(host.id, space.id, listener.id);
    const result = await listener.gql(selfMutation('acceptCoHostInvitation'), {
      spaceId: spaceGlobalId,
    });
    expect(resultOf(result, 'acceptCoHostInvitation')).toMatchObject({
      participant: { role: 'COHOST', muted: true, invitedAs: null },
    });
  });

  it('refuses a listener the host never invited to co-host, even one invited to speak', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(space.id);
    await t.app.services.stage.inviteToSpeak(host.id, space.id, listener.id);
    const result = await listener.gql(selfMutation('acceptCoHostInvitation'), {
      spaceId: spaceGlobalId,
    });
    expect(resultOf(result, 'acceptCoHostInvitation')).toMatchObject({
      __typename: 'NotAllowed',
      action: 'co-host without an invitation',
    });
  });

  it('yields LimitReached when the co-host seats filled after the invitation', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const invited = await Promise.all(
      ['one', 'two', 'three'].map((name) => listenerIn(space.id, name)),
    );
    for (const user of invited) await t.app.services.stage.addCoHost(host.id, space.id, user.id);
    const [one, two, three] = invited as [TestUser, TestUser, TestUser];
    await t.app.services.stage.acceptCoHostInvitation(one.id, space.id);
    await t.app.services.stage.acceptCoHostInvitation(two.id, space.id);
    const result = await three.gql(selfMutation('acceptCoHostInvitation'), {
      spaceId: spaceGlobalId,
    });
    expect(resultOf(result, 'acceptCoHostInvitation')).toMatchObject({
      __typename: 'LimitReached',
      kind: 'COHOSTS',
      limit: 2,
    });
    expect(
      await t.app.prisma.participant.count({ where: { spaceId: space.id, role: 'COHOST' } }),
    ).toBe(2);
  });

  it('two invitees accepting the last seat at once: exactly one becomes co-host', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const [first, second, third] = await Promise.all(
      ['first', 'second', 'third'].map((name) => listenerIn(space.id, name)),
    );
    for (const user of [first, second, third] as TestUser[]) {
      await t.app.services.stage.addCoHost(host.id, space.id, user.id);
    }
    await t.app.services.stage.acceptCoHostInvitation(first!.id, space.id);
    const results = await Promise.all(
      [second, third].map((user) =>
        user!.gql(selfMutation('acceptCoHostInvitation'), { spaceId: spaceGlobalId }),
      ),
    );
    const outcomes = results.map((result) => resultOf(result, 'acceptCoHostInvitation'));
    expect(outcomes.map((outcome) => outcome?.['__typename']).sort()).toEqual([
      'LimitReached',
      'MutationAcceptCoHostInvitationSuccess',
    ]);
    expect(
      await t.app.prisma.participant.count({ where: { spaceId: space.id, role: 'COHOST' } }),
    ).toBe(2);
  });
});

describe('Mutation.declineInvitation', () => {
  it('turns down a co-host invitation: still a listener, and it can no longer be accepted', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(space.id);
    await t.app.services.stage.addCoHost(host.id, space.id, listener.id);
    const result = await listener.gql(selfMutation('declineInvitation'), {
      spaceId: spaceGlobalId,
    });
    expect(resultOf(result, 'declineInvitation')).toMatchObject({
      participant: { role: 'LISTENER', invitedAs: null },
    });
    const accept = await listener.gql(selfMutation('acceptCoHostInvitation'), {
      spaceId: spaceGlobalId,
    });
    expect(resultOf(accept, 'acceptCoHostInvitation')).toMatchObject({ __typename: 'NotAllowed' });
  });

  it('turns down an invitation to speak', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(space.id);
    await t.app.services.stage.inviteToSpeak(host.id, space.id, listener.id);
    const result = await listener.gql(selfMutation('declineInvitation'), {
      spaceId: spaceGlobalId,
    });
    expect(resultOf(result, 'declineInvitation')).toMatchObject({
      participant: { role: 'LISTENER', invitedToSpeak: false, invitedAs: null },
    });
    const accept = await listener.gql(selfMutation('acceptSpeakerInvitation'), {
      spaceId: spaceGlobalId,
    });
    expect(resultOf(accept, 'acceptSpeakerInvitation')).toMatchObject({
      __typename: 'NotAllowed',
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
