import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createTestClock } from '../helpers/test-clock.ts';

const CREATE_SPACE = /* GraphQL */ `
  mutation ($input: CreateSpaceInput!) {
    createSpace(input: $input) {
      __typename
      ... on MutationCreateSpaceSuccess {
        space { id title topics state participantCount host { handle } stage { role user { handle } } }
      }
      ... on NotEnoughFollowers { required current missing message }
      ... on InvalidInput { issues { path message } }
      ... on AlreadyHosting { message }
    }
  }
`;

const SPACE_STATE = /* GraphQL */ `
  query ($id: ID!) {
    space(id: $id) { state endedAt participantCount host { handle } stage { role user { handle } } }
  }
`;

const byId = (spaceId: string) => ({ spaceId });

const clock = createTestClock();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { clock });
});
afterAll(() => t?.stop());

describe('Mutation.createSpace', () => {
  it('starts a live space hosted by a user with 600 followers', async () => {
    const host = await t.createUser('ada', { followers: 600 });
    const result = await host.gql(CREATE_SPACE, {
      input: { title: '  Open audio  ', topics: ['webrtc', 'solid'] },
    });
    expect(result.data?.['createSpace']).toMatchObject({
      __typename: 'MutationCreateSpaceSuccess',
      space: {
        title: 'Open audio',
        topics: ['webrtc', 'solid'],
        state: 'LIVE',
        participantCount: 1,
        host: { handle: host.handle },
        stage: [{ role: 'HOST', user: { handle: host.handle } }],
      },
    });
  });

  it('refuses a host with 599 followers and says how many are missing', async () => {
    const host = await t.createUser('almost', { followers: 599 });
    const result = await host.gql(CREATE_SPACE, { input: { title: 'Too soon' } });
    expect(result.data?.['createSpace']).toEqual({
      __typename: 'NotEnoughFollowers',
      required: 600,
      current: 599,
      missing: 1,
      message: 'Hosting needs 600 followers; you have 599, 1 to go.',
    });
    expect(await t.app.prisma.space.count({ where: { title: 'Too soon' } })).toBe(0);
  });

  it('refuses a second live space for the same host', async () => {
    const { host } = await startSpace(t);
    const result = await host.gql(CREATE_SPACE, { input: { title: 'Another' } });
    expect(result.data?.['createSpace']).toMatchObject({ __typename: 'AlreadyHosting' });
  });

  it('reports every invalid field at once and creates nothing', async () => {
    const host = await t.createUser('bad', { followers: 600 });
    const result = await host.gql(CREATE_SPACE, {
      input: { title: 'x'.repeat(101), topics: ['a', 'b', 'c', 'd'] },
    });
    expect(result.data?.['createSpace']).toEqual({
      __typename: 'InvalidInput',
      issues: [
        { path: 'title', message: 'must be at most 100 characters' },
        { path: 'topics', message: 'at most 3 topics' },
      ],
    });
    expect(await t.app.prisma.space.count({ where: { hostId: host.id } })).toBe(0);
  });
});

describe('Mutation.endSpace', () => {
  const END = /* GraphQL */ `
    mutation ($spaceId: ID!) {
      endSpace(spaceId: $spaceId) {
        __typename
        ... on MutationEndSpaceSuccess { space { state } }
        ... on NotAllowed { action }
        ... on SpaceNotLive { message }
      }
    }
  `;

  it('lets the host end the space; everyone is out of it', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const listener = await t.createUser();
    await t.app.services.spaces.join(listener.id, space.id);
    const result = await host.gql(END, byId(spaceGlobalId));
    expect(result.data?.['endSpace']).toEqual({
      __typename: 'MutationEndSpaceSuccess',
      space: { state: 'ENDED' },
    });
    const after = await t.anonymous(SPACE_STATE, { id: spaceGlobalId });
    expect(after.data?.['space']).toMatchObject({ state: 'ENDED', participantCount: 0 });
  });

  it('refuses a co-host or listener, and the space stays live', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const cohost = await t.createUser();
    await t.app.services.spaces.join(cohost.id, space.id);
    await t.app.services.stage.addCoHost(host.id, space.id, cohost.id);
    await t.app.services.stage.acceptCoHostInvitation(cohost.id, space.id);
    const result = await cohost.gql(END, byId(spaceGlobalId));
    expect(result.data?.['endSpace']).toMatchObject({ __typename: 'NotAllowed' });
    const after = await t.anonymous(SPACE_STATE, { id: spaceGlobalId });
    expect(after.data?.['space']).toMatchObject({ state: 'LIVE' });
  });

  it('says a space that already ended is not live', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    await t.app.services.spaces.end(host.id, space.id);
    const result = await host.gql(END, byId(spaceGlobalId));
    expect(result.data?.['endSpace']).toMatchObject({ __typename: 'SpaceNotLive' });
  });
});

describe('Mutation.joinSpace', () => {
  const JOIN = /* GraphQL */ `
    mutation ($spaceId: ID!) {
      joinSpace(spaceId: $spaceId) {
        __typename
        ... on MutationJoinSpaceSuccess { participant { role muted present user { handle } } }
      }
    }
  `;

  it('joins as a muted listener, and joining twice changes nothing', async () => {
    const { spaceGlobalId } = await startSpace(t);
    const listener = await t.createUser();
    const first = await listener.gql(JOIN, byId(spaceGlobalId));
    const second = await listener.gql(JOIN, byId(spaceGlobalId));
    const joined = {
      __typename: 'MutationJoinSpaceSuccess',
      participant: {
        role: 'LISTENER',
        muted: true,
        present: true,
        user: { handle: listener.handle },
      },
    };
    expect(first.data?.['joinSpace']).toEqual(joined);
    expect(second.data?.['joinSpace']).toEqual(joined);
    const after = await t.anonymous(SPACE_STATE, { id: spaceGlobalId });
    expect(after.data?.['space']).toMatchObject({ participantCount: 2 });
  });

  it('refuses a removed user who tries to rejoin', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const troll = await t.createUser('troll');
    await t.app.services.spaces.join(troll.id, space.id);
    await t.app.services.moderation.removeParticipant(host.id, space.id, troll.id);
    const result = await troll.gql(JOIN, byId(spaceGlobalId));
    expect(result.data?.['joinSpace']).toEqual({ __typename: 'RemovedFromSpace' });
  });

  it("refuses a user the host blocked, in any of the host's spaces", async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const blocked = await t.createUser('blocked');
    await t.app.services.moderation.blockUser(host.id, blocked.id);
    expect((await blocked.gql(JOIN, byId(spaceGlobalId))).data?.['joinSpace']).toEqual({
      __typename: 'BlockedByHost',
    });
    await t.app.services.spaces.end(host.id, space.id);
    const next = await t.app.services.spaces.start(host.id, { title: 'Next one', topics: [] });
    const again = await blocked.gql(JOIN, byId(toGlobalId('Space', next.id)));
    expect(again.data?.['joinSpace']).toEqual({ __typename: 'BlockedByHost' });
  });

  it('says an ended space is not live', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    await t.app.services.spaces.end(host.id, space.id);
    const listener = await t.createUser();
    expect((await listener.gql(JOIN, byId(spaceGlobalId))).data?.['joinSpace']).toEqual({
      __typename: 'SpaceNotLive',
    });
  });
});

describe('Mutation.leaveSpace', () => {
  const LEAVE = /* GraphQL */ `
    mutation ($spaceId: ID!) {
      leaveSpace(spaceId: $spaceId) {
        __typename
        ... on MutationLeaveSpaceSuccess { participant { present } }
        ... on NotAllowed { action }
      }
    }
  `;

  it('takes a listener out of the space', async () => {
    const { space, spaceGlobalId } = await startSpace(t);
    const listener = await t.createUser();
    await t.app.services.spaces.join(listener.id, space.id);
    const result = await listener.gql(LEAVE, byId(spaceGlobalId));
    expect(result.data?.['leaveSpace']).toEqual({
      __typename: 'MutationLeaveSpaceSuccess',
      participant: { present: false },
    });
  });

  it('refuses someone who is not in the space', async () => {
    const { spaceGlobalId } = await startSpace(t);
    const outsider = await t.createUser();
    const result = await outsider.gql(LEAVE, byId(spaceGlobalId));
    expect(result.data?.['leaveSpace']).toMatchObject({ __typename: 'NotAllowed' });
  });

  it('hands the space to the longest-serving co-host when the host leaves', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    const first = await t.createUser('first');
    const second = await t.createUser('second');
    for (const user of [first, second]) {
      await t.app.services.spaces.join(user.id, space.id);
      await t.app.services.stage.addCoHost(host.id, space.id, user.id);
      await t.app.services.stage.acceptCoHostInvitation(user.id, space.id);
      clock.advance(1000);
    }
    await host.gql(LEAVE, byId(spaceGlobalId));
    const after = await t.anonymous(SPACE_STATE, { id: spaceGlobalId });
    expect(after.data?.['space']).toMatchObject({
      state: 'LIVE',
      host: { handle: first.handle },
      stage: [
        { role: 'HOST', user: { handle: first.handle } },
        { role: 'COHOST', user: { handle: second.handle } },
      ],
    });
  });

  it('ends the space after the grace period when the host leaves with no co-host', async () => {
    const { host, spaceGlobalId } = await startSpace(t);
    await host.gql(LEAVE, byId(spaceGlobalId));
    clock.advance(t.app.config.spaces.hostGraceMs - 1);
    await t.app.services.spaces.endAbandoned();
    expect((await t.anonymous(SPACE_STATE, { id: spaceGlobalId })).data?.['space']).toMatchObject({
      state: 'LIVE',
    });
    clock.advance(1);
    await t.app.services.spaces.endAbandoned();
    expect((await t.anonymous(SPACE_STATE, { id: spaceGlobalId })).data?.['space']).toMatchObject({
      state: 'ENDED',
    });
  });

  it('keeps the space if the host comes back within the grace period', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    await host.gql(LEAVE, byId(spaceGlobalId));
    clock.advance(1000);
    await t.app.services.spaces.join(host.id, space.id);
    clock.advance(t.app.config.spaces.hostGraceMs * 2);
    await t.app.services.spaces.endAbandoned();
    expect((await t.anonymous(SPACE_STATE, { id: spaceGlobalId })).data?.['space']).toMatchObject({
      state: 'LIVE',
      stage: [{ role: 'HOST', user: { handle: host.handle } }],
    });
  });
});

describe('Space.participants', () => {
  const LISTENERS = /* GraphQL */ `
    query ($id: ID!, $first: Int!, $after: String) {
      space(id: $id) {
        participants(role: LISTENER, first: $first, after: $after) {
          edges { node { user { handle } } }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  `;
  type Page = {
    space: {
      participants: {
        edges: { node: { user: { handle: string } } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
      };
    };
  };

  it('pages through a crowd of listeners in the order they came, each once', async () => {
    const { space, spaceGlobalId } = await startSpace(t);
    const handles: string[] = [];
    for (let i = 0; i < 45; i++) {
      const listener = await t.createUser(`p${i}`);
      await t.app.services.spaces.join(listener.id, space.id);
      handles.push(listener.handle);
      clock.advance(1);
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: { data?: Page } = await t.anonymous<Page>(LISTENERS, {
        id: spaceGlobalId,
        first: 20,
        after,
      });
      const connection = result.data?.space.participants;
      seen.push(...(connection?.edges.map((edge) => edge.node.user.handle) ?? []));
      if (!connection?.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(handles);
  });

  it('refuses a page of more than 100', async () => {
    const { spaceGlobalId } = await startSpace(t);
    const result = await t.anonymous(LISTENERS, { id: spaceGlobalId, first: 101 });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'TOO_MANY_ITEMS', max: 100 });
  });
});
