import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import {
  MINUTE,
  notificationKinds,
  notificationWatchers,
  scheduleSpace,
} from '../helpers/scheduling-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createTestClock } from '../helpers/test-clock.ts';

const SCHEDULE_SPACE = /* GraphQL */ `
  mutation ($input: ScheduleSpaceInput!) {
    scheduleSpace(input: $input) {
      __typename
      ... on MutationScheduleSpaceSuccess {
        space { id title state scheduledStart startedAt reminderCount host { handle } }
      }
      ... on InvalidInput { issues { path message } }
      ... on LimitReached { kind limit message }
      ... on NotEnoughFollowers { missing }
    }
  }
`;

const SPACE = /* GraphQL */ `
  query ($id: ID!) {
    space(id: $id) {
      title topics state scheduledStart reminderCount viewerHasReminder calendarUrl
      stage { role user { handle } }
    }
  }
`;

const spaceMutation = (field: string) => /* GraphQL */ `
  mutation ($spaceId: ID!) {
    ${field}(spaceId: $spaceId) {
      __typename
      ... on Error { message }
      ... on ${`Mutation${field.charAt(0).toUpperCase()}${field.slice(1)}Success`} {
        space { state reminderCount viewerHasReminder }
      }
    }
  }
`;

const UPDATE = /* GraphQL */ `
  mutation ($spaceId: ID!, $input: UpdateScheduledSpaceInput!) {
    updateScheduledSpace(spaceId: $spaceId, input: $input) {
      __typename
      ... on MutationUpdateScheduledSpaceSuccess { space { title scheduledStart } }
      ... on InvalidInput { issues { path message } }
    }
  }
`;

const NOTIFICATIONS = /* GraphQL */ `
  query ($unreadOnly: Boolean) {
    viewer {
      unreadNotificationCount
      notifications(first: 10, unreadOnly: $unreadOnly) {
        edges { node { id kind readAt space { title } } }
      }
    }
  }
`;

const clock = createTestClock();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(
    {
      hosting: { minFollowers: 1, minFollowersTicketed: 1 },
      // Tests run the jobs themselves; the sweeper stays out of the way.
      spaces: { ...defaultConfig.spaces, sweepIntervalMs: 3_600_000 },
    },
    { clock },
  );
});
afterAll(() => t?.stop());

const inFuture = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

describe('Mutation.scheduleSpace', () => {
  it('schedules a space for later with the caller as host', async () => {
    const host = await t.createUser('ada', { followers: 1 });
    const scheduledStart = inFuture(2 * 60 * MINUTE);
    const result = await host.gql(SCHEDULE_SPACE, {
      input: { title: 'Tomorrow, maybe', scheduledStart },
    });
    expect(result.data?.['scheduleSpace']).toMatchObject({
      __typename: 'MutationScheduleSpaceSuccess',
      space: {
        title: 'Tomorrow, maybe',
        state: 'SCHEDULED',
        scheduledStart,
        startedAt: null,
        reminderCount: 0,
        host: { handle: host.handle },
      },
    });
  });

  it.each([
    ['a time in the past', -MINUTE, 'must be in the future'],
    ['the present moment', 0, 'must be in the future'],
    ['a time beyond 30 days', 30 * 24 * 60 * MINUTE + 1000, 'must be at most 30 days ahead'],
  ])('refuses %s with InvalidInput and creates nothing', async (_name, offset, message) => {
    const host = await t.createUser('early', { followers: 1 });
    const result = await host.gql(SCHEDULE_SPACE, {
      input: { title: 'Wrong time', scheduledStart: inFuture(offset) },
    });
    expect(result.data?.['scheduleSpace']).toEqual({
      __typename: 'InvalidInput',
      issues: [{ path: 'scheduledStart', message }],
    });
    expect(await t.app.prisma.space.count({ where: { hostId: host.id } })).toBe(0);
  });

  it('accepts exactly 30 days ahead', async () => {
    const host = await t.createUser('far', { followers: 1 });
    const result = await host.gql(SCHEDULE_SPACE, {
      input: { title: 'Far', scheduledStart: inFuture(30 * 24 * 60 * MINUTE) },
    });
    expect(result.data?.['scheduleSpace']).toMatchObject({
      __typename: 'MutationScheduleSpaceSuccess',
    });
  });

  it('refuses an 11th upcoming space with LimitReached and creates nothing', async () => {
    const host = await t.createUser('busy', { followers: 1 });
    for (let i = 1; i <= 10; i++) {
      await t.app.services.scheduling.schedule(host.id, {
        title: `Space ${i}`,
        scheduledStart: new Date(inFuture(i * 60 * MINUTE)),
      });
    }
    const result = await host.gql(SCHEDULE_SPACE, {
      input: { title: 'One too many', scheduledStart: inFuture(24 * 60 * MINUTE) },
    });
    expect(result.data?.['scheduleSpace']).toEqual({
      __typename: 'LimitReached',
      kind: 'SCHEDULED_SPACES',
      limit: 10,
      message: 'You already have 10 upcoming scheduled spaces; start or cancel one first.',
    });
    expect(await t.app.prisma.space.count({ where: { hostId: host.id } })).toBe(10);
    expect(await t.app.prisma.scheduledJob.count({ where: { space: { hostId: host.id } } })).toBe(
      30,
    );
  });

  it('is follower-gated like starting a space', async () => {
    const nobody = await t.createUser('nobody');
    const result = await nobody.gql(SCHEDULE_SPACE, {
      input: { title: 'Nope', scheduledStart: inFuture(MINUTE) },
    });
    expect(result.data?.['scheduleSpace']).toEqual({
      __typename: 'NotEnoughFollowers',
      missing: 1,
    });
  });
});

describe('Mutation.updateScheduledSpace', () => {
  it('changes the title and time and moves the reminders with the time', async () => {
    const { host, space, spaceGlobalId } = await scheduleSpace(t, clock.now(), 60 * MINUTE);
    const scheduledStart = inFuture(3 * 60 * MINUTE);
    const result = await host.gql(UPDATE, {
      spaceId: spaceGlobalId,
      input: { title: 'Later still', scheduledStart },
    });
    expect(result.data?.['updateScheduledSpace']).toEqual({
      __typename: 'MutationUpdateScheduledSpaceSuccess',
      space: { title: 'Later still', scheduledStart },
    });
    // The old 30-minute reminder time passes without a word.
    clock.advance(31 * MINUTE);
    await t.app.services.jobs.runDue();
    expect(await notificationKinds(t.app, host, space.id)).toEqual([]);
    clock.advance(2 * 60 * MINUTE);
    await t.app.services.jobs.runDue();
    expect(await notificationKinds(t.app, host, space.id)).toEqual(['HOST_STARTS_SOON']);
  });

  it('refuses a past time with InvalidInput and leaves the space alone', async () => {
    const { host, space, spaceGlobalId } = await scheduleSpace(t, clock.now(), 60 * MINUTE);
    const result = await host.gql(UPDATE, {
      spaceId: spaceGlobalId,
      input: { title: 'Changed', scheduledStart: inFuture(-MINUTE) },
    });
    expect(result.data?.['updateScheduledSpace']).toMatchObject({ __typename: 'InvalidInput' });
    const after = await t.app.prisma.space.findUniqueOrThrow({ where: { id: space.id } });
    expect(after).toMatchObject({ title: 'Later', scheduledStart: space.scheduledStart });
  });

  it("refuses someone else's space with NotAllowed", async () => {
    const { spaceGlobalId } = await scheduleSpace(t, clock.now(), 60 * MINUTE);
    const other = await t.createUser('other');
    const result = await other.gql(UPDATE, { spaceId: spaceGlobalId, input: { title: 'Mine' } });
    expect(result.data?.['updateScheduledSpace']).toMatchObject({ __typename: 'NotAllowed' });
  });
});

describe('scheduled jobs', () => {
  it('remind the host 30 minutes before and at the start, once each', async () => {
    const { host, space } = await scheduleSpace(t, clock.now(), 2 * 60 * MINUTE);
    clock.advance(89 * MINUTE);
    await t.app.services.jobs.runDue();
    expect(await notificationKinds(t.app, host, space.id)).toEqual([]);
    clock.advance(2 * MINUTE);
    await t.app.services.jobs.runDue();
    await t.app.services.jobs.runDue();
    expect(await notificationKinds(t.app, host, space.id)).toEqual(['HOST_STARTS_SOON']);
    clock.advance(30 * MINUTE);
    await t.app.services.jobs.runDue();
    await t.app.services.jobs.runDue();
    expect(await notificationKinds(t.app, host, space.id)).toEqual([
      'HOST_STARTS_SOON',
      'HOST_START_NOW',
    ]);
  });

  it('mark a space the host did not start within the window as missed, and tell everyone', async () => {
    const { host, space } = await scheduleSpace(t, clock.now(), 10 * MINUTE);
    const fan = await t.createUser('fan');
    await t.app.services.reminders.set(fan.id, space.id);
    clock.advance(10 * MINUTE + 59 * MINUTE);
    await t.app.services.jobs.runDue();
    expect(await t.app.prisma.space.findUniqueOrThrow({ where: { id: space.id } })).toMatchObject({
      state: 'SCHEDULED',
    });
    clock.advance(2 * MINUTE);
    await t.app.services.jobs.runDue();
    await t.app.services.jobs.runDue();
    expect(await t.app.prisma.space.findUniqueOrThrow({ where: { id: space.id } })).toMatchObject({
      state: 'CANCELED',
    });
    expect(await notificationKinds(t.app, fan, space.id)).toEqual(['SPACE_MISSED']);
    // Scheduled 10 minutes ahead: the 30-minute reminder's time had already passed.
    expect(await notificationKinds(t.app, host, space.id)).toEqual([
      'HOST_START_NOW',
      'SPACE_MISSED',
    ]);
  });
});

describe('Mutation.setReminder', () => {
  it('counts reminders and shows the caller theirs; setting twice counts once', async () => {
    const { spaceGlobalId } = await scheduleSpace(t, clock.now(), 60 * MINUTE);
    const fan = await t.createUser('fan');
    const setReminder = spaceMutation('setReminder');
    await fan.gql(setReminder, { spaceId: spaceGlobalId });
    const again = await fan.gql(setReminder, { spaceId: spaceGlobalId });
    expect(again.data?.['setReminder']).toEqual({
      __typename: 'MutationSetReminderSuccess',
      space: { state: 'SCHEDULED', reminderCount: 1, viewerHasReminder: true },
    });
    const removed = await fan.gql(spaceMutation('removeReminder'), { spaceId: spaceGlobalId });
    expect(removed.data?.['removeReminder']).toEqual({
      __typename: 'MutationRemoveReminderSuccess',
      space: { state: 'SCHEDULED', reminderCount: 0, viewerHasReminder: false },
    });
  });

  it('refuses a live space with SpaceNotScheduled', async () => {
    const { host, space, spaceGlobalId } = await scheduleSpace(t, clock.now(), 60 * MINUTE);
    await t.app.services.scheduling.start(host.id, space.id);
    const fan = await t.createUser('late');
    const result = await fan.gql(spaceMutation('setReminder'), { spaceId: spaceGlobalId });
    expect(result.data?.['setReminder']).toMatchObject({ __typename: 'SpaceNotScheduled' });
    expect(await t.app.prisma.reminder.count({ where: { spaceId: space.id } })).toBe(0);
  });
});

describe('Mutation.cancelScheduledSpace', () => {
  it('cancels the space, tells everyone with a reminder and drops its timed work', async () => {
    const { host, space, spaceGlobalId } = await scheduleSpace(t, clock.now(), 60 * MINUTE);
    const [fan, bystander] = [await t.createUser('fan'), await t.createUser('bystander')];
    await t.app.services.reminders.set(fan.id, space.id);
    const result = await host.gql(spaceMutation('cancelScheduledSpace'), {
      spaceId: spaceGlobalId,
    });
    expect(result.data?.['cancelScheduledSpace']).toMatchObject({
      __typename: 'MutationCancelScheduledSpaceSuccess',
      space: { state: 'CANCELED' },
    });
    expect(await notificationKinds(t.app, fan, space.id)).toEqual(['SPACE_CANCELED']);
    expect(await notificationKinds(t.app, bystander, space.id)).toEqual([]);
    clock.advance(3 * 60 * MINUTE);
    await t.app.services.jobs.runDue();
    expect(await notificationKinds(t.app, host, space.id)).toEqual([]);
  });

  it('refuses anyone but the host with NotAllowed and changes nothing', async () => {
    const { space, spaceGlobalId } = await scheduleSpace(t, clock.now(), 60 * MINUTE);
    const other = await t.createUser('other');
    const result = await other.gql(spaceMutation('cancelScheduledSpace'), {
      spaceId: spaceGlobalId,
    });
    expect(result.data?.['cancelScheduledSpace']).toMatchObject({ __typename: 'NotAllowed' });
    expect(await t.app.prisma.space.findUniqueOrThrow({ where: { id: space.id } })).toMatchObject({
      state: 'SCHEDULED',
    });
  });
});

describe('Mutation.startScheduledSpace', () => {
  it('puts the space live with the host on stage and settles its reminders', async () => {
    const { host, space, spaceGlobalId } = await scheduleSpace(t, clock.now(), 60 * MINUTE);
    const result = await host.gql(spaceMutation('startScheduledSpace'), {
      spaceId: spaceGlobalId,
    });
    expect(result.data?.['startScheduledSpace']).toMatchObject({
      __typename: 'MutationStartScheduledSpaceSuccess',
      space: { state: 'LIVE' },
    });
    const read = await host.gql(SPACE, { id: spaceGlobalId });
    expect(read.data?.['space']).toMatchObject({
      stage: [{ role: 'HOST', user: { handle: host.handle } }],
    });
    clock.advance(3 * 60 * MINUTE);
    await t.app.services.jobs.runDue();
    expect(await notificationKinds(t.app, host, space.id)).toEqual([]);
  });

  it('refuses a host already live elsewhere with AlreadyHosting', async () => {
    const { host, spaceGlobalId } = await scheduleSpace(t, clock.now(), 60 * MINUTE);
    await t.app.services.spaces.start(host.id, { title: 'Now' });
    const result = await host.gql(spaceMutation('startScheduledSpace'), {
      spaceId: spaceGlobalId,
    });
    expect(result.data?.['startScheduledSpace']).toMatchObject({ __typename: 'AlreadyHosting' });
  });
});

describe('Subscription.notifications', () => {
  it('tells a reminder holder over a WebSocket when the host starts the space', async () => {
    const { host, space, spaceGlobalId } = await scheduleSpace(t, clock.now(), 60 * MINUTE, 'Go');
    const fan = await t.createUser('fan');
    await fan.gql(spaceMutation('setReminder'), { spaceId: spaceGlobalId });
    const client = wsClient(t.url, fan.credentials);
    const told = collect<{ notifications: { kind: string; space: { id: string } } }>(
      client,
      'subscription { notifications { kind space { id title } } }',
    );
    await notificationWatchers(t.app, fan.id, 1);
    await t.app.services.scheduling.start(host.id, space.id);
    const [first] = await told.until((results) => results.length === 1);
    expect(first?.data?.notifications).toEqual({
      kind: 'SPACE_STARTED',
      space: { id: spaceGlobalId, title: 'Go' },
    });
    told.unsubscribe();
    await client.dispose();
  });

  it('refuses a signed-out caller with NotAuthenticated', async () => {
    const client = wsClient(t.url);
    const told = collect(client, 'subscription { notifications { kind } }');
    await expect(told.until(() => false)).rejects.toBeDefined();
    expect(JSON.stringify(told.failure ?? told.results)).toContain('NotAuthenticated');
    await client.dispose();
  });
});

describe('Query.viewer.notifications', () => {
  it('lists notifications newest first and marks them read', async () => {
    const { host, space } = await scheduleSpace(t, clock.now(), 60 * MINUTE, 'Listed');
    const fan = await t.createUser('fan');
    await t.app.services.reminders.set(fan.id, space.id);
    await t.app.services.scheduling.start(host.id, space.id);
    const unread = await fan.gql(NOTIFICATIONS, { unreadOnly: true });
    expect(unread.data?.['viewer']).toMatchObject({
      unreadNotificationCount: 1,
      notifications: {
        edges: [{ node: { kind: 'SPACE_STARTED', readAt: null, space: { title: 'Listed' } } }],
      },
    });
    const marked = await fan.gql(
      'mutation { markNotificationsRead { __typename ... on MutationMarkNotificationsReadSuccess { markedCount } } }',
    );
    expect(marked.data?.['markNotificationsRead']).toEqual({
      __typename: 'MutationMarkNotificationsReadSuccess',
      markedCount: 1,
    });
    const after = await fan.gql(NOTIFICATIONS, { unreadOnly: true });
    expect(after.data?.['viewer']).toEqual({
      unreadNotificationCount: 0,
      notifications: { edges: [] },
    });
    const all = await fan.gql(NOTIFICATIONS, { unreadOnly: false });
    expect(all.data?.['viewer']).toMatchObject({
      notifications: { edges: [{ node: { kind: 'SPACE_STARTED' } }] },
    });
  });
});
