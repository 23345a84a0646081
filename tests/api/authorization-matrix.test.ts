import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphQLResponse } from '../helpers/graphql-client.ts';
import { liveSpaceWithCast, type SpaceCast } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

/**
 * Every mutation, tried by every kind of caller against a fresh live space: the allowed ones get
 * the success type, the others a typed refusal and a database left exactly as it was.
 */

const roles = ['host', 'cohost', 'speaker', 'listener', 'outsider', 'anonymous'] as const;
type Role = (typeof roles)[number];
type SignedInRole = Exclude<Role, 'anonymous'>;

const signedIn: readonly SignedInRole[] = ['host', 'cohost', 'speaker', 'listener', 'outsider'];
const inSpace: readonly SignedInRole[] = ['host', 'cohost', 'speaker', 'listener'];
const onStage: readonly SignedInRole[] = ['host', 'cohost', 'speaker'];
const hostTeam: readonly SignedInRole[] = ['host', 'cohost'];

/** The usual cast plus a listener with a raised hand, the target of the host team's actions. */
type MatrixCast = SpaceCast & { requester: TestUser };

type Row = {
  title: string;
  field: string;
  document: string;
  variables: (cast: MatrixCast) => Record<string, unknown>;
  allowed: readonly SignedInRole[];
  /** Puts the space in a state where the mutation's effect would show. */
  arrange?: (cast: MatrixCast) => Promise<unknown>;
};

/** One mutation selecting what the matrix checks: the outcome's type and any error message. */
function mutation(field: string, args: Record<string, string>) {
  const params = Object.entries(args).map(([name, type]) => `$${name}: ${type}`);
  const call = Object.keys(args).map((name) => `${name}: $${name}`);
  return /* GraphQL */ `
    mutation (${params.join(', ')}) {
      ${field}(${call.join(', ')}) { __typename ... on Error { message } }
    }
  `;
}

const spaceArgs = { spaceId: 'ID!' };
const targetArgs = { spaceId: 'ID!', userId: 'ID!' };
const userArgs = { userId: 'ID!' };

const inTheSpace = (cast: MatrixCast) => ({ spaceId: cast.spaceGlobalId });
const onUser = (user: (cast: MatrixCast) => TestUser) => (cast: MatrixCast) => ({
  spaceId: cast.spaceGlobalId,
  userId: user(cast).globalId,
});
const onRequester = onUser((cast) => cast.requester);
const onCohost = onUser((cast) => cast.cohost);
const onSpeaker = onUser((cast) => cast.speaker);
const theRequester = (cast: MatrixCast) => ({ userId: cast.requester.globalId });

function row(
  field: string,
  args: Record<string, string>,
  variables: Row['variables'],
  allowed: readonly SignedInRole[],
  extra: { note?: string; arrange?: Row['arrange'] } = {},
): Row {
  const title = `Mutation.${field}${extra.note ? ` (${extra.note})` : ''}`;
  return { title, field, document: mutation(field, args), variables, allowed, ...extra };
}

const matrix: Row[] = [
  row('endSpace', spaceArgs, inTheSpace, ['host']),
  row('joinSpace', spaceArgs, inTheSpace, signedIn),
  row('leaveSpace', spaceArgs, inTheSpace, inSpace),
  row('keepPresence', spaceArgs, inTheSpace, inSpace),
  row('raiseHand', spaceArgs, inTheSpace, inSpace),
  row('lowerHand', spaceArgs, inTheSpace, inSpace, { note: 'own hand' }),
  row('lowerHand', { spaceId: 'ID!', userId: 'ID' }, onRequester, hostTeam, {
    note: 'userId: the requester',
  }),
  row('inviteToSpeak', targetArgs, onRequester, hostTeam),
  row('acceptSpeakerInvitation', spaceArgs, inTheSpace, onStage),
  row('addCoHost', targetArgs, onRequester, ['host']),
  // Only the host team holds the seat already; everyone else has no invitation to accept.
  row('acceptCoHostInvitation', spaceArgs, inTheSpace, hostTeam),
  row('declineInvitation', spaceArgs, inTheSpace, inSpace),
  row('removeCoHost', targetArgs, onCohost, ['host', 'cohost']),
  row('moveToListener', targetArgs, onSpeaker, [...hostTeam, 'speaker']),
  // Speakers arrive muted; unmuted, a mute that slipped through would show in the snapshot.
  row('muteSpeaker', targetArgs, onSpeaker, hostTeam, {
    arrange: (cast) => t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false),
  }),
  row(
    'setMuted',
    { spaceId: 'ID!', muted: 'Boolean!' },
    (cast) => ({ spaceId: cast.spaceGlobalId, muted: false }),
    onStage,
  ),
  row('removeParticipant', targetArgs, onRequester, hostTeam),
  row(
    'setSpaceCaptions',
    { spaceId: 'ID!', on: 'Boolean!' },
    (cast) => ({ spaceId: cast.spaceGlobalId, on: true }),
    hostTeam,
  ),
  row(
    'react',
    { spaceId: 'ID!', emoji: 'String!' },
    (cast) => ({ spaceId: cast.spaceGlobalId, emoji: '👏' }),
    inSpace,
  ),
  row('blockUser', userArgs, theRequester, signedIn),
  row('follow', userArgs, theRequester, signedIn),
  row('unfollow', userArgs, theRequester, signedIn),
  row('unblockUser', userArgs, theRequester, signedIn),
  row('createApiToken', { name: 'String!' }, () => ({ name: 'x' }), signedIn),
  row(
    'updateProfile',
    { input: 'UpdateProfileInput!' },
    () => ({ input: { displayName: 'Renamed' } }),
    signedIn,
  ),
];

const successType = (field: string) =>
  `Mutation${field.charAt(0).toUpperCase()}${field.slice(1)}Success`;

const refusal = (role: Role) => (role === 'anonymous' ? 'NotAuthenticated' : 'NotAllowed');

type Verdict = 'allowed' | 'denied';

// Tuples rather than objects, so that `%s` names the tests without quotes.
const cells = (allowed: readonly SignedInRole[]) =>
  roles.map((role): [Role, Verdict] => [
    role,
    role !== 'anonymous' && allowed.includes(role) ? 'allowed' : 'denied',
  ]);

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ hosting: { minFollowers: 1, minFollowersTicketed: 1 } });
});
afterAll(() => t?.stop());

async function matrixCast(): Promise<MatrixCast> {
  const cast = await liveSpaceWithCast(t);
  const requester = await t.createUser('requester');
  await t.app.services.spaces.join(requester.id, cast.spaceId);
  await t.app.services.stage.raiseHand(requester.id, cast.spaceId);
  return { ...cast, requester };
}

const castUsers = (cast: MatrixCast) =>
  [cast.host, cast.cohost, cast.speaker, cast.listener, cast.outsider, cast.requester].map(
    (user) => user.id,
  );

/** Everything a refused mutation must leave alone. */
async function snapshot(cast: MatrixCast) {
  const { prisma } = t.app;
  const ids = { in: castUsers(cast) };
  return {
    space: await prisma.space.findUniqueOrThrow({
      where: { id: cast.spaceId },
      select: { state: true, hostId: true, endedAt: true, hostLeftAt: true },
    }),
    participants: await prisma.participant.findMany({
      where: { spaceId: cast.spaceId },
      select: {
        userId: true,
        role: true,
        muted: true,
        handRaisedAt: true,
        invitedAt: true,
        invitedAs: true,
        leftAt: true,
        removedAt: true,
      },
      orderBy: { userId: 'asc' },
    }),
    blocks: await prisma.block.findMany({
      where: { OR: [{ blockerId: ids }, { blockedId: ids }] },
      select: { blockerId: true, blockedId: true },
      orderBy: [{ blockerId: 'asc' }, { blockedId: 'asc' }],
    }),
    follows: await prisma.follow.findMany({
      where: { OR: [{ followerId: ids }, { followeeId: ids }] },
      select: { followerId: true, followeeId: true },
      orderBy: [{ followerId: 'asc' }, { followeeId: 'asc' }],
    }),
    // Not lastUsedAt: every signed-in request touches it.
    apiTokens: await prisma.apiToken.findMany({
      where: { userId: ids },
      select: { id: true, userId: true, name: true, revokedAt: true },
      orderBy: { id: 'asc' },
    }),
  };
}

function runAs(
  cast: MatrixCast,
  role: Role,
  document: string,
  variables: Record<string, unknown>,
): Promise<GraphQLResponse> {
  return role === 'anonymous'
    ? t.anonymous(document, variables)
    : cast[role].gql(document, variables);
}

describe.each(matrix.map((row): [string, Row] => [row.title, row]))('%s', (_title, row) => {
  const { field, document, variables, allowed, arrange } = row;
  it.each(cells(allowed))('%s is %s', async (role, verdict) => {
    const cast = await matrixCast();
    await arrange?.(cast);
    const before = await snapshot(cast);
    const result = await runAs(cast, role, document, variables(cast));
    expect(result.errors).toBeUndefined();
    if (verdict === 'allowed') {
      expect(result.data?.[field]).toMatchObject({ __typename: successType(field) });
      return;
    }
    expect(result.data?.[field]).toMatchObject({ __typename: refusal(role) });
    expect(await snapshot(cast)).toEqual(before);
  });
});

describe('role escalations', () => {
  type Target = 'host' | 'second co-host';

  /** The matrix cast with the requester made a second co-host, and both targets unmuted. */
  async function escalationCast() {
    const cast = await matrixCast();
    const { stage } = t.app.services;
    await stage.addCoHost(cast.host.id, cast.spaceId, cast.requester.id);
    await stage.acceptCoHostInvitation(cast.requester.id, cast.spaceId);
    await stage.setMuted(cast.host.id, cast.spaceId, false);
    await stage.setMuted(cast.requester.id, cast.spaceId, false);
    return cast;
  }

  async function expectRefused(actor: SignedInRole, field: string, target: Target) {
    const cast = await escalationCast();
    const before = await snapshot(cast);
    const targetUser = target === 'host' ? cast.host : cast.requester;
    const result = await cast[actor].gql(mutation(field, targetArgs), {
      spaceId: cast.spaceGlobalId,
      userId: targetUser.globalId,
    });
    expect(result.errors).toBeUndefined();
    expect(result.data?.[field]).toMatchObject({ __typename: 'NotAllowed' });
    expect(await snapshot(cast)).toEqual(before);
  }

  const fields = ['removeParticipant', 'muteSpeaker', 'moveToListener'];
  const targets: Target[] = ['host', 'second co-host'];
  it.each(fields.flatMap((field) => targets.map((target): [string, Target] => [field, target])))(
    'a co-host cannot %s the %s',
    (field, target) => expectRefused('cohost', field, target),
  );

  it.each(inSpace)('%s cannot moveToListener the host', (actor) =>
    expectRefused(actor, 'moveToListener', 'host'),
  );
});

describe('mutations outside any space', () => {
  it.each([
    ['createSpace', 'mutation { createSpace(input: { title: "x" }) { __typename } }'],
    ['revokeApiToken', 'mutation { revokeApiToken(id: "any") { __typename } }'],
    [
      'scheduleSpace',
      'mutation { scheduleSpace(input: { title: "x", scheduledStart: "2030-01-01T00:00:00Z" }) { __typename } }',
    ],
    ['markNotificationsRead', 'mutation { markNotificationsRead { __typename } }'],
    [
      'scheduleTicketedSpace',
      'mutation { scheduleTicketedSpace(input: { title: "x", scheduledStart: "2030-01-01T00:00:00Z", priceMinor: 500, currency: "usd", seats: 5, salesEndAt: "2030-01-01T00:00:00Z" }) { __typename } }',
    ],
    ['buyTicket', 'mutation { buyTicket(spaceId: "U3BhY2U6YW55") { __typename } }'],
  ])('anonymous callers cannot %s', async (field, document) => {
    const result = await t.anonymous(document);
    expect(result.data?.[field]).toEqual({ __typename: 'NotAuthenticated' });
  });
});
