import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { toGlobalId } from '../../server/ids.ts';
import {
  type Connection,
  cameOrWent,
  connectToSpace,
  eventsOf,
  leftEvent,
  type PresenceEvent,
  watchersOn,
} from '../helpers/presence-connections.ts';
import { startSpace } from '../helpers/space-fixtures.ts';
import { selfMutation, stageOf } from '../helpers/stage-operations.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

// Long enough for a loaded machine to connect someone before their window closes.
const TIMEOUT_MS = 3_000;

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
  const space = { id: spaceId, globalId: toGlobalId('Space', spaceId) };
  const connection = await connectToSpace(
    t.url,
    user.credentials,
    space,
    watchersOn(t.app, spaceId),
  );
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

/** A live space whose host watches it over graphql-ws, as the web client does. */
async function hostedSpace(title: string) {
  const { host, space, spaceGlobalId } = await startSpace(t, title);
  const hostView = await connect(host, space.id);
  return { host, spaceId: space.id, spaceGlobalId, hostView };
}

/** Someone who opens the room (subscribes), then joins: their place is held from the start. */
async function arrive(spaceId: string, name: string) {
  const user = await t.createUser(name);
  const socket = await connect(user, spaceId);
  await t.app.services.spaces.join(user.id, spaceId);
  return { user, socket, participantId: await t.participantId(spaceId, user.id) };
}

/** A hosted space with a co-host and a speaker, everyone connected. */
async function castSpace(title: string) {
  const hosted = await hostedSpace(title);
  const { host, spaceId } = hosted;
  const cohost = await arrive(spaceId, 'cohost');
  const speaker = await arrive(spaceId, 'speaker');
  const { stage } = t.app.services;
  await stage.addCoHost(host.id, spaceId, cohost.user.id);
  await stage.acceptCoHostInvitation(cohost.user.id, spaceId);
  await stage.inviteToSpeak(host.id, spaceId, speaker.user.id);
  await stage.acceptSpeakerInvitation(speaker.user.id, spaceId);
  return { ...hosted, cohost, speaker };
}

const hasLeft = (participantId: string) => (results: { data?: PresenceEvent }[]) =>
  results.some((result) => result.data && leftEvent(participantId)(result.data.spaceEvents));

describe('presence over graphql-ws', () => {
  it('a listener whose socket is cut leaves; one who stays connected does not', async () => {
    const { host, spaceId, hostView } = await hostedSpace('Cut');
    const gone = await arrive(spaceId, 'gone');
    const staying = await arrive(spaceId, 'staying');

    await gone.socket.cut();
    await hostView.events.until(hasLeft(gone.participantId));
    await presenceRounds();

    expect((await placeOf(spaceId, gone.user)).leftAt).not.toBeNull();
    expect((await placeOf(spaceId, staying.user)).leftAt).toBeNull();
    expect((await placeOf(spaceId, host)).leftAt).toBeNull();
  });

  it('a speaker whose socket is cut leaves the stage and frees the seat', async () => {
    const { spaceId, spaceGlobalId, hostView, speaker } = await castSpace('Seat');

    await speaker.socket.cut();
    await hostView.events.until(hasLeft(speaker.participantId));

    const stage = await stageOf(t, spaceGlobalId);
    expect(stage?.stage.map((seat) => seat.user.handle)).not.toContain(speaker.user.handle);
    expect((await placeOf(spaceId, speaker.user)).role).toBe('LISTENER');
  });

  it('a host whose connections die starts host grace, and the space ends after it', async () => {
    const { host, spaceId, hostView } = await hostedSpace('Abandoned');
    const listener = await arrive(spaceId, 'listener');
    const hostId = await t.participantId(spaceId, host.id);

    await hostView.cut();
    await listener.socket.events.until((results) =>
      results.some((result) => result.data?.spaceEvents.state === 'ENDED'),
    );

    const seen = eventsOf(listener.socket);
    const left = seen.findIndex(leftEvent(hostId));
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left).toBeLessThan(seen.findIndex((event) => event.state === 'ENDED'));
    const space = await t.app.prisma.space.findUniqueOrThrow({ where: { id: spaceId } });
    expect(space.state).toBe('ENDED');
  });

  it('a host whose connections die hands the space to the co-host', async () => {
    const { spaceId, hostView, cohost, speaker } = await castSpace('Handed over');

    await hostView.cut();
    await speaker.socket.events.until((results) =>
      results.some(
        ({ data }) =>
          data?.spaceEvents.__typename === 'RoleChanged' &&
          data.spaceEvents.participant?.id === cohost.participantId &&
          data.spaceEvents.role === 'HOST',
      ),
    );

    const space = await t.app.prisma.space.findUniqueOrThrow({ where: { id: spaceId } });
    expect(space.state).toBe('LIVE');
    expect(space.hostId).toBe(cohost.user.id);
  });

  it('reconnecting inside the window keeps the seat, with no leave or join events', async () => {
    const { spaceId, hostView, speaker } = await castSpace('Back in time');
    // Cut just after the speaker and never back: once they have left, the speaker's window is over.
    const witness = await arrive(spaceId, 'witness');

    const before = eventsOf(hostView).length;
    await speaker.socket.cut();
    await witness.socket.cut();
    await connect(speaker.user, spaceId);
    await hostView.events.until(hasLeft(witness.participantId));
    await presenceRounds();

    const seat = await placeOf(spaceId, speaker.user);
    expect(seat.leftAt).toBeNull();
    expect(seat.role).toBe('SPEAKER');
    const aboutSpeaker = eventsOf(hostView).slice(before).filter(cameOrWent(speaker.participantId));
    expect(aboutSpeaker).toEqual([]);
  });

  it('two connections hold one place: closing one of them keeps it', async () => {
    const { spaceId, hostView } = await hostedSpace('Two tabs');
    const twoTabs = await arrive(spaceId, 'two-tabs');
    await connect(twoTabs.user, spaceId);
    const witness = await arrive(spaceId, 'witness');

    await twoTabs.socket.cut();
    await witness.socket.cut();
    await hostView.events.until(hasLeft(witness.participantId));
    await presenceRounds();

    expect((await placeOf(spaceId, twoTabs.user)).leftAt).toBeNull();
  });
});

describe('Mutation.keepPresence', () => {
  const KEEP = selfMutation('keepPresence');

  it('keeps a client without a socket in the space; one that stops calling it leaves', async () => {
    const { spaceId, spaceGlobalId, hostView } = await hostedSpace('Over HTTP');
    const [keeper, silent] = [await t.createUser('keeper'), await t.createUser('silent')];
    await t.app.services.spaces.join(keeper.id, spaceId);
    await t.app.services.spaces.join(silent.id, spaceId);
    let keeping = true;
    const beats = (async () => {
      while (keeping) {
        const result = await keeper.gql(KEEP, { spaceId: spaceGlobalId });
        expect(result.data?.['keepPresence']).toMatchObject({
          __typename: 'MutationKeepPresenceSuccess',
        });
        await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS / 6));
      }
    })();
    await hostView.events.until(hasLeft(await t.participantId(spaceId, silent.id)));
    await presenceRounds();
    keeping = false;
    await beats;

    expect((await placeOf(spaceId, keeper)).leftAt).toBeNull();
  });

  it('tells someone who is not in the space that they are not', async () => {
    const { spaceGlobalId } = await startSpace(t, 'Not in it');
    const outsider = await t.createUser('outsider');
    const result = await outsider.gql(KEEP, { spaceId: spaceGlobalId });
    expect(result.data?.['keepPresence']).toMatchObject({ __typename: 'NotAllowed' });
  });
});
