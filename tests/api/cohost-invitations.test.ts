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

describe('Mutation.addCoHost', () => {
  it('invites a listener to co-host: they stay a listener until they accept', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await listenerIn(t, space.id);
    const result = await host.gql(targetMutation('addCoHost'), {
      spaceId: spaceGlobalId,
      userId: listener.globalId,
    });
    expect(resultOf(result, 'addCoHost')).toMatchObject({
      participant: { role: 'LISTENER', invitedAs: 'COHOST', invitedToSpeak: false },
    });
    expect(await stageOf(t, spaceGlobalId)).toMatchObject({ stage: [{ role: 'HOST' }] });
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
      const user = await listenerIn(t, space.id, name);
      await t.app.services.stage.addCoHost(host.id, space.id, user.id);
      await t.app.services.stage.acceptCoHostInvitation(user.id, space.id);
    }
    const third = await listenerIn(t, space.id, 'three');
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
    const listener = await listenerIn(t, space.id);
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
    const listener = await listenerIn(t, space.id);
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
      ['one', 'two', 'three'].map((name) => listenerIn(t, space.id, name)),
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
      ['first', 'second', 'third'].map((name) => listenerIn(t, space.id, name)),
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
    const listener = await listenerIn(t, space.id);
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
    const listener = await listenerIn(t, space.id);
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
