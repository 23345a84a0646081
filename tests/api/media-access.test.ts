import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { gqlFrom } from '../helpers/from-address.ts';
import { startSpace } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';

const TURN_SECRET = 'turn-secret-for-tests-only';
const TURN_URL = 'turn:turn.amphi.test:3478?transport=udp';
const STUN_URL = 'stun:stun.amphi.test:3478';

const ICE_SERVERS = /* GraphQL */ `
  query ($spaceId: ID, $relaySessionId: ID) {
    iceServers(spaceId: $spaceId, relaySessionId: $relaySessionId) { urls username credential }
  }
`;

const OPEN = /* GraphQL */ `
  mutation ($spaceId: ID!) {
    openRelaySession(spaceId: $spaceId) {
      __typename
      ... on GuestRelayLimitReached { scope limit message }
      ... on MutationOpenRelaySessionSuccess {
        relay { sessionId iceServers { urls username credential } }
      }
    }
  }
`;

type IceServer = { urls: string[]; username: string | null; credential: string | null };
type OpenResult = {
  openRelaySession: {
    __typename: string;
    scope?: string;
    limit?: number;
    relay?: { sessionId: string; iceServers: IceServer[] };
  };
};

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    hosting: { minFollowers: 1, minFollowersTicketed: 1 },
    media: {
      ...defaultConfig.media,
      // Speakers here may send two streams: a host, a listener and a guest's relay publication.
      policy: { maxMeshParticipants: 6, maxUplinkStreams: 2 },
      iceServers: [
        { urls: STUN_URL },
        // A TURN server with a static password: worth stealing, so never public either.
        { urls: 'turn:static.amphi.test:3478', username: 'static', credential: 'static-password' },
      ],
    },
    mediaAccess: {
      guestRelay: { perAddress: 2, perInstance: 3 },
      turn: { urls: [TURN_URL], secret: TURN_SECRET, ttlSeconds: 600 },
    },
  });
});
afterAll(() => t?.stop());

const turnEntry = (servers: IceServer[] | undefined) =>
  servers?.find((server) => server.urls.includes(TURN_URL));

/** What coturn (`use-auth-secret`) checks: the password is the username's HMAC, and not expired. */
function validAt(server: IceServer | undefined, unixSeconds: number) {
  if (!server?.username || !server.credential) return false;
  const expected = createHmac('sha1', TURN_SECRET).update(server.username).digest('base64');
  const expiry = Number(server.username.split(':')[0]);
  return server.credential === expected && expiry > unixSeconds;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

describe('Query.iceServers', () => {
  it('gives an anonymous client the STUN servers and no TURN credential', async () => {
    const result = await t.anonymous<{ iceServers: IceServer[] }>(ICE_SERVERS);
    expect(result.errors).toBeUndefined();
    expect(result.data?.iceServers).toEqual([
      { urls: [STUN_URL], username: null, credential: null },
    ]);
  });

  it('gives a participant of a live space a TURN credential that validates and expires in 10 minutes', async () => {
    const { host, spaceGlobalId } = await startSpace(t);
    const before = nowSeconds();
    const result = await host.gql<{ iceServers: IceServer[] }>(ICE_SERVERS, {
      spaceId: spaceGlobalId,
    });
    const turn = turnEntry(result.data?.iceServers);
    expect(validAt(turn, before)).toBe(true);
    const expiry = Number(turn?.username?.split(':')[0]);
    expect(expiry).toBeGreaterThanOrEqual(before + 600);
    expect(expiry).toBeLessThanOrEqual(nowSeconds() + 600);
    expect(validAt(turn, expiry)).toBe(false);
    expect(turn?.credential).not.toBe(
      createHmac('sha1', 'another secret')
        .update(turn?.username ?? '')
        .digest('base64'),
    );
  });

  it('gives a signed-in user who is not in the space no TURN server', async () => {
    const { spaceGlobalId } = await startSpace(t);
    const outsider = await t.createUser('outsider');
    const result = await outsider.gql<{ iceServers: IceServer[] }>(ICE_SERVERS, {
      spaceId: spaceGlobalId,
    });
    expect(result.data?.iceServers).toEqual([
      { urls: [STUN_URL], username: null, credential: null },
    ]);
  });

  it('gives a participant who left, or a space that ended, no TURN server', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    await t.app.services.spaces.end(host.id, space.id);
    const result = await host.gql<{ iceServers: IceServer[] }>(ICE_SERVERS, {
      spaceId: spaceGlobalId,
    });
    expect(result.data?.iceServers).toEqual([
      { urls: [STUN_URL], username: null, credential: null },
    ]);
  });
});

const JOIN = /* GraphQL */ `
  mutation ($spaceId: ID!) {
    joinSpace(spaceId: $spaceId) {
      __typename
      ... on MutationJoinSpaceSuccess { iceServers { urls username credential } }
    }
  }
`;

describe('MutationJoinSpaceSuccess.iceServers', () => {
  it('hands the joiner every ICE server, TURN with a valid credential, without asking again', async () => {
    const { spaceGlobalId } = await startSpace(t);
    const joiner = await t.createUser('joiner');
    const result = await joiner.gql<{
      joinSpace: { __typename: string; iceServers?: IceServer[] };
    }>(JOIN, { spaceId: spaceGlobalId });
    expect(result.data?.joinSpace.__typename).toBe('MutationJoinSpaceSuccess');
    const servers = result.data?.joinSpace.iceServers;
    expect(validAt(turnEntry(servers), nowSeconds())).toBe(true);
    expect(servers).toContainEqual({
      urls: ['turn:static.amphi.test:3478'],
      username: 'static',
      credential: 'static-password',
    });
  });

  it('gives nothing to someone whose join fails', async () => {
    const { host, space, spaceGlobalId } = await startSpace(t);
    await t.app.services.spaces.end(host.id, space.id);
    const joiner = await t.createUser('late-joiner');
    const result = await joiner.gql<{ joinSpace: { __typename: string } }>(JOIN, {
      spaceId: spaceGlobalId,
    });
    expect(result.data?.joinSpace).toEqual({ __typename: 'SpaceNotLive' });
  });
});

describe('Mutation.openRelaySession without an account', () => {
  /** Closes every relay session, so each test starts with no guests. */
  async function closeAllGuests(spaceIds: string[]) {
    for (const spaceId of spaceIds) await t.app.relay!.closeSpace(spaceId);
  }

  it('hands a guest TURN credentials with the session, and iceServers knows the session', async () => {
    const { space, spaceGlobalId } = await startSpace(t, 'Open air');
    const opened = await t.anonymous<OpenResult>(OPEN, { spaceId: spaceGlobalId });
    const relay = opened.data?.openRelaySession.relay;
    expect(validAt(turnEntry(relay?.iceServers), nowSeconds())).toBe(true);
    const asked = await t.anonymous<{ iceServers: IceServer[] }>(ICE_SERVERS, {
      relaySessionId: relay?.sessionId,
    });
    expect(validAt(turnEntry(asked.data?.iceServers), nowSeconds())).toBe(true);
    const guessed = await t.anonymous<{ iceServers: IceServer[] }>(ICE_SERVERS, {
      relaySessionId: 'not-a-session',
    });
    expect(turnEntry(guessed.data?.iceServers)).toBeUndefined();
    await closeAllGuests([space.id]);
  });

  it('refuses a third session from one address with GuestRelayLimitReached, while another address is served', async () => {
    const { space, spaceGlobalId } = await startSpace(t, 'Crowded');
    const fromHere = () => t.anonymous<OpenResult>(OPEN, { spaceId: spaceGlobalId });
    expect((await fromHere()).data?.openRelaySession.__typename).toBe(
      'MutationOpenRelaySessionSuccess',
    );
    expect((await fromHere()).data?.openRelaySession.__typename).toBe(
      'MutationOpenRelaySessionSuccess',
    );
    expect((await fromHere()).data?.openRelaySession).toMatchObject({
      __typename: 'GuestRelayLimitReached',
      scope: 'ADDRESS',
      limit: 2,
    });
    const elsewhere = await gqlFrom<OpenResult>('127.0.0.2', t.url, OPEN, {
      spaceId: spaceGlobalId,
    });
    expect(elsewhere.data?.openRelaySession.__typename).toBe('MutationOpenRelaySessionSuccess');
    await closeAllGuests([space.id]);
  });

  it('refuses guests beyond the instance-wide cap from any address, and frees places when sessions end', async () => {
    const { space, spaceGlobalId } = await startSpace(t, 'Full house');
    const from = (address: string) =>
      gqlFrom<OpenResult>(address, t.url, OPEN, { spaceId: spaceGlobalId });
    for (const address of ['127.0.0.3', '127.0.0.4', '127.0.0.5']) {
      expect((await from(address)).data?.openRelaySession.__typename).toBe(
        'MutationOpenRelaySessionSuccess',
      );
    }
    expect((await from('127.0.0.6')).data?.openRelaySession).toMatchObject({
      __typename: 'GuestRelayLimitReached',
      scope: 'SERVER',
      limit: 3,
    });
    // Guests never leave: their places come back when the relay closes their sessions.
    await closeAllGuests([space.id]);
    expect((await from('127.0.0.6')).data?.openRelaySession.__typename).toBe(
      'MutationOpenRelaySessionSuccess',
    );
    await closeAllGuests([space.id]);
  });

  it("moves a mesh space onto the relay when the guests' publication would overload the stage's uplink", async () => {
    const { space, spaceGlobalId } = await startSpace(t, 'Thin uplink');
    const mode = async () =>
      t.app.prisma.space.findUniqueOrThrow({
        where: { id: space.id },
        select: { mediaMode: true, relayAudience: true },
      });
    const listeners = [await t.createUser('thin1'), await t.createUser('thin2')];
    for (const listener of listeners) await t.app.services.spaces.join(listener.id, space.id);
    await t.app.services.mediaMode.evaluate(space.id);
    // Two streams from the host, one per listener: the mesh holds.
    expect(await mode()).toEqual({ mediaMode: 'MESH', relayAudience: false });
    const opened = await gqlFrom<OpenResult>('127.0.0.7', t.url, OPEN, { spaceId: spaceGlobalId });
    expect(opened.data?.openRelaySession.__typename).toBe('MutationOpenRelaySessionSuccess');
    expect(await mode()).toEqual({ mediaMode: 'RELAY', relayAudience: true });
    await closeAllGuests([space.id]);
  });

  it('twenty guests from one address at once: only two sessions are opened', async () => {
    const { space, spaceGlobalId } = await startSpace(t, 'Stampede');
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.anonymous<OpenResult>(OPEN, { spaceId: spaceGlobalId })),
    );
    const kinds = results.map((result) => result.data?.openRelaySession.__typename);
    expect(kinds.filter((kind) => kind === 'MutationOpenRelaySessionSuccess')).toHaveLength(2);
    expect(kinds.filter((kind) => kind === 'GuestRelayLimitReached')).toHaveLength(18);
    expect(t.app.services.relaySessions!.guestSessionCount()).toBe(2);
    await closeAllGuests([space.id]);
  });
});
