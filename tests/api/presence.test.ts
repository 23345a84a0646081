import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import {
  type Connection,
  connectToSpace,
  eventsOf,
  leftEvent,
} from '../helpers/presence-connections.ts';
import { liveSpaceWithCast, startSpace } from '../helpers/space-fixtures.ts';
import { listenerIn, selfMutation, stageOf } from '../helpers/stage-operations.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

const TIMEOUT_MS = 2_000;

let t: TestApp;
const open: Connection[] = [];

beforeAll(async () => {
  t = await startTestApp({
    hosting: { minFollowers: 0, minFollowersTicketed: 0 },
    presence: { timeoutMs: TIMEOUT_MS },
    spaces: { ...defaultConfig.spaces, hostGraceMs: 500, sweepIntervalMs: 200 },
  });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((connection) => connection.client.dispose()));
});
afterAll(() => t?.stop());

async function connect(user: TestUser, spaceId: string) {
  const connection = await connectToSpace(t.app, t.url, user.credentials, {
    id: spaceId,
    globalId: toGlobalId('Space', spaceId),
  });
  open.push(connection);
  return connection;
}

const placeOf = (spaceId: string, user: TestUser) =>
  t.app.prisma.participant.findUniqueOrThrow({
    where: { spaceId_userId: { spaceId, userId: user.id } },
  });

/** Two full presence rounds: whatever was due when this is called has been done. */
async function presenceRounds() {
  await t.app.services.presence.tick();
  await t.app.services.presence.tick();
}

describe('presence over graphql-ws', () => {
  it('a listener whose socket is cut leaves; one who stays connected does not', async () => {
    const { host, space } = await startSpace(t, 'Cut');
    const [gone, staying] = [await listenerIn(t, space.id), await listenerIn(t, space.id)];
    const hostView = await connect(host, space.id);
    const goneSocket = await connect(gone, space.id);
    await connect(staying, space.id);

    await goneSocket.cut();
    const goneId = await t.participantId(space.id, gone.id);
    await hostView.events.until((results) =>
      results.some((result) => result.data && leftEvent(goneId)(result.data.spaceEvents)),
    );
    await presenceRounds();

    expect((await placeOf(space.id, gone)).leftAt).not.toBeNull();
    expect((await placeOf(space.id, staying)).leftAt).toBeNull();
    expect((await placeOf(space.id, host)).leftAt).toBeNull();
  });

  it('a speaker whose socket is cut leaves the stage and frees the seat', async () => {
    const cast = await liveSpaceWithCast(t);
    const hostView = await connect(cast.host, cast.spaceId);
    await connect(cast.cohost, cast.spaceId);
    await connect(cast.listener, cast.spaceId);
    const speakerSocket = await connect(cast.speaker, cast.spaceId);

    await speakerSocket.cut();
    const speakerId = await t.participantId(cast.spaceId, cast.speaker.id);
    await hostView.events.until((results) =>
      results.some((result) => result.data && leftEvent(speakerId)(result.data.spaceEvents)),
    );

    const stage = await stageOf(t, cast.spaceGlobalId);
    expect(stage?.stage.map((seat) => seat.user.handle)).not.toContain(cast.speaker.handle);
    expect((await placeOf(cast.spaceId, cast.speaker)).role).toBe('LISTENER');
  });

  it('a host whose connections die starts host grace, and the space ends after it', async () => {
    const { host, space } = await startSpace(t, 'Abandoned');
    const listener = await listenerIn(t, space.id);
    const listenerView = await connect(listener, space.id);
    const hostSocket = await connect(host, space.id);

    await hostSocket.cut();
    const hostId = await t.participantId(space.id, host.id);
    await listenerView.events.until((results) =>
      results.some((result) => result.data?.spaceEvents.state === 'ENDED'),
    );

    const kinds = eventsOf(listenerView);
    expect(kinds.findIndex(leftEvent(hostId))).toBeGreaterThanOrEqual(0);
    expect(kinds.findIndex(leftEvent(hostId))).toBeLessThan(
      kinds.findIndex((event) => event.state === 'ENDED'),
    );
    const ended = await t.app.prisma.space.findUniqueOrThrow({ where: { id: space.id } });
    expect(ended.state).toBe('ENDED');
  });

  it('a host whose connections die hands the space to the co-host', async () => {
    const cast = await liveSpaceWithCast(t);
    const listenerView = await connect(cast.listener, cast.spaceId);
    await connect(cast.cohost, cast.spaceId);
    await connect(cast.speaker, cast.spaceId);
    const hostSocket = await connect(cast.host, cast.spaceId);

    await hostSocket.cut();
    const cohostId = await t.participantId(cast.spaceId, cast.cohost.id);
    await listenerView.events.until((results) =>
      results.some(
        (result) =>
          result.data?.spaceEvents.__typename === 'RoleChanged' &&
          result.data.spaceEvents.participant?.id === cohostId &&
          result.data.spaceEvents.role === 'HOST',
      ),
    );

    const space = await t.app.prisma.space.findUniqueOrThrow({ where: { id: cast.spaceId } });
    expect(space.state).toBe('LIVE');
    expect(space.hostId).toBe(cast.cohost.id);
  });

  it('reconnecting inside the window keeps the seat, with no leave or join events', async () => {
    const cast = await liveSpaceWithCast(t);
    const hostView = await connect(cast.host, cast.spaceId);
    await connect(cast.cohost, cast.spaceId);
    const speakerSocket = await connect(cast.speaker, cast.spaceId);
    // Cut at the same moment and never back: when they have left, the speaker's window is over.
    const witnessSocket = await connect(cast.listener, cast.spaceId);

    await speakerSocket.cut();
    await witnessSocket.cut();
    await connect(cast.speaker, cast.spaceId);
    const witnessId = await t.participantId(cast.spaceId, cast.listener.id);
    await hostView.events.until((results) =>
      results.some((result) => result.data && leftEvent(witnessId)(result.data.spaceEvents)),
    );
    await presenceRounds();

    const speaker = await placeOf(cast.spaceId, cast.speaker);
    expect(speaker.leftAt).toBeNull();
    expect(speaker.role).toBe('SPEAKER');
    const speakerId = await t.participantId(cast.spaceId, cast.speaker.id);
    expect(eventsOf(hostView).filter((event) => event.participant?.id === speakerId)).toEqual([]);
  });

  it('two connections hold one place: closing one of them keeps it', async () => {
    const { host, space } = await startSpace(t, 'Two tabs');
    const [twoTabs, witness] = [await listenerIn(t, space.id), await listenerIn(t, space.id)];
    const hostView = await connect(host, space.id);
    const firstTab = await connect(twoTabs, space.id);
    await connect(twoTabs, space.id);
    const witnessSocket = await connect(witness, space.id);

    await firstTab.cut();
    await witnessSocket.cut();
    const witnessId = await t.participantId(space.id, witness.id);
    await hostView.events.until((results) =>
      results.some((result) => result.data && leftEvent(witnessId)(result.data.spaceEvents)),
    );
    await presenceRounds();

    expect((await placeOf(space.id, twoTabs)).leftAt).toBeNull();
  });
});

describe('Mutation.keepPresence', () => {
  const KEEP = selfMutation('keepPresence');

  it('keeps a client without a socket in the space; one that stops calling it leaves', async () => {
    const { host, space } = await startSpace(t, 'Over HTTP');
    const [keeper, silent] = [await listenerIn(t, space.id), await listenerIn(t, space.id)];
    const hostView = await connect(host, space.id);
    const silentId = await t.participantId(space.id, silent.id);

    let keeping = true;
    const beats = (async () => {
      while (keeping) {
        const result = await keeper.gql(KEEP, { spaceId: toGlobalId('Space', space.id) });
        expect(result.data?.['keepPresence']).toMatchObject({
          __typename: 'MutationKeepPresenceSuccess',
        });
        await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS / 4));
      }
    })();
    await hostView.events.until((results) =>
      results.some((result) => result.data && leftEvent(silentId)(result.data.spaceEvents)),
    );
    await presenceRounds();
    keeping = false;
    await beats;

    expect((await placeOf(space.id, keeper)).leftAt).toBeNull();
  });

  it('tells someone who is not in the space that they are not', async () => {
    const { space } = await startSpace(t, 'Not in it');
    const outsider = await t.createUser('outsider');
    const result = await outsider.gql(KEEP, { spaceId: toGlobalId('Space', space.id) });
    expect(result.data?.['keepPresence']).toMatchObject({ __typename: 'NotAllowed' });
  });
});
