import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import type { GraphQLResponse } from '../helpers/graphql-client.ts';
import { notificationKinds, scheduleSpace } from '../helpers/scheduling-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';
import { createTestClock } from '../helpers/test-clock.ts';

/**
 * Every scheduling mutation, tried by every kind of caller against a fresh scheduled space: the
 * allowed ones get the success type, the others a typed refusal and nothing changed.
 */

const callers = ['host', 'outsider', 'blocked', 'anonymous'] as const;
type Caller = (typeof callers)[number];

const HOUR = 3_600_000;
const clock = createTestClock();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(
    {
      hosting: { minFollowers: 1, minFollowersTicketed: 1 },
      spaces: { ...defaultConfig.spaces, sweepIntervalMs: 3_600_000 },
    },
    { clock },
  );
});
afterAll(() => t?.stop());

type Cast = { spaceId: string; spaceGlobalId: string } & Record<
  Exclude<Caller, 'anonymous'>,
  TestUser
>;

async function scheduledCast(): Promise<Cast> {
  const { host, space, spaceGlobalId } = await scheduleSpace(t, clock.now(), 2 * HOUR);
  const outsider = await t.createUser('outsider');
  const blocked = await t.createUser('blocked');
  await t.app.services.moderation.blockUser(host.id, blocked.id);
  return { spaceId: space.id, spaceGlobalId, host, outsider, blocked };
}

const withSpace = (args = '', call = '') => ({
  params: `$spaceId: ID!${args}`,
  call: `spaceId: $spaceId${call}`,
});

const rows: Array<{
  field: string;
  shape: { params: string; call: string };
  extra?: Record<string, unknown>;
  allowed: readonly Caller[];
  /** The refusal for signed-in callers who are not allowed. */
  refusal: string;
}> = [
  {
    field: 'updateScheduledSpace',
    shape: withSpace(', $input: UpdateScheduledSpaceInput!', ', input: $input'),
    extra: { input: { title: 'Renamed' } },
    allowed: ['host'],
    refusal: 'NotAllowed',
  },
  { field: 'cancelScheduledSpace', shape: withSpace(), allowed: ['host'], refusal: 'NotAllowed' },
  { field: 'startScheduledSpace', shape: withSpace(), allowed: ['host'], refusal: 'NotAllowed' },
  {
    field: 'setReminder',
    shape: withSpace(),
    allowed: ['host', 'outsider'],
    refusal: 'BlockedByHost',
  },
  {
    field: 'removeReminder',
    shape: withSpace(),
    allowed: ['host', 'outsider', 'blocked'],
    refusal: 'NotAllowed',
  },
];

async function snapshot(cast: Cast) {
  const { prisma } = t.app;
  return {
    space: await prisma.space.findUniqueOrThrow({
      where: { id: cast.spaceId },
      select: { title: true, state: true, scheduledStart: true, startedAt: true, endedAt: true },
    }),
    reminders: await prisma.reminder.findMany({
      where: { spaceId: cast.spaceId },
      select: { userId: true },
      orderBy: { userId: 'asc' },
    }),
    participants: await prisma.participant.count({ where: { spaceId: cast.spaceId } }),
    notifications: await prisma.notification.count({ where: { spaceId: cast.spaceId } }),
  };
}

const successType = (field: string) =>
  `Mutation${field.charAt(0).toUpperCase()}${field.slice(1)}Success`;

describe.each(rows.map((row): [string, (typeof rows)[number]] => [`Mutation.${row.field}`, row]))(
  '%s',
  (_title, row) => {
    const document = /* GraphQL */ `
      mutation (${row.shape.params}) {
        ${row.field}(${row.shape.call}) { __typename ... on Error { message } }
      }
    `;
    it.each(
      callers.map((caller): [Caller, string] => [
        caller,
        row.allowed.includes(caller) ? 'allowed' : 'refused',
      ]),
    )('%s is %s', async (caller, verdict) => {
      const cast = await scheduledCast();
      const before = await snapshot(cast);
      const variables = { spaceId: cast.spaceGlobalId, ...row.extra };
      const result: GraphQLResponse =
        caller === 'anonymous'
          ? await t.anonymous(document, variables)
          : await cast[caller].gql(document, variables);
      expect(result.errors).toBeUndefined();
      if (verdict === 'allowed') {
        expect(result.data?.[row.field]).toMatchObject({ __typename: successType(row.field) });
        return;
      }
      const refusal = caller === 'anonymous' ? 'NotAuthenticated' : row.refusal;
      expect(result.data?.[row.field]).toMatchObject({ __typename: refusal });
      expect(await snapshot(cast)).toEqual(before);
    });
  },
);

describe('blocking and reminders', () => {
  it('blocking a reminder holder takes their reminder away, so they are not told of the start', async () => {
    const { host, space } = await scheduleSpace(t, clock.now(), 2 * HOUR);
    const fan = await t.createUser('fan');
    const critic = await t.createUser('critic');
    const { reminders, moderation, scheduling } = t.app.services;
    await reminders.set(fan.id, space.id);
    await reminders.set(critic.id, space.id);

    await moderation.blockUser(host.id, critic.id);
    await scheduling.start(host.id, space.id);

    expect(await notificationKinds(t.app, fan, space.id)).toEqual(['SPACE_STARTED']);
    expect(await notificationKinds(t.app, critic, space.id)).toEqual([]);
  });
});

describe('Query.node (Notification)', () => {
  const NODE = /* GraphQL */ `
    query ($id: ID!) { node(id: $id) { __typename ... on Notification { kind space { title } } } }
  `;

  it('finds a notification for its owner only', async () => {
    const { host, space } = await scheduleSpace(t, clock.now(), 2 * HOUR);
    const fan = await t.createUser('fan');
    const snoop = await t.createUser('snoop');
    await t.app.services.reminders.set(fan.id, space.id);
    await t.app.services.scheduling.start(host.id, space.id);
    const notification = await t.app.prisma.notification.findFirstOrThrow({
      where: { userId: fan.id },
    });
    const id = toGlobalId('Notification', notification.id);

    expect((await fan.gql(NODE, { id })).data?.['node']).toMatchObject({ kind: 'SPACE_STARTED' });
    const snooped = await snoop.gql(NODE, { id });
    expect(snooped.errors).toBeUndefined();
    expect(snooped.data?.['node']).toBeNull();
    expect((await t.anonymous(NODE, { id })).data?.['node']).toBeNull();
  });
});
