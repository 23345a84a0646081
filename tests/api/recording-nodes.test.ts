import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

const NODES = /* GraphQL */ `
  query ($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      id
      ... on Recording { state space { title } }
      ... on Clip { title recording { id } }
    }
  }
`;

type NodesResult = { nodes: (Record<string, unknown> | null)[] };

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

/**
 * An ended space with a READY recording and one clip, as rows: finding them by id reads no
 * audio, so no files are written. `ticketed` puts a ticket offer on the space.
 */
async function recordedRows(title: string, ticketed: boolean) {
  const { prisma } = t.app;
  const host = await t.createUser('host');
  const ended = new Date();
  const space = await prisma.space.create({
    data: { title, hostId: host.id, state: 'ENDED', startedAt: ended, endedAt: ended },
  });
  if (ticketed) {
    await prisma.ticketOffer.create({
      data: { spaceId: space.id, priceMinor: 500, currency: 'usd', seats: 10, salesEndAt: ended },
    });
  }
  const recording = await prisma.recording.create({
    data: { spaceId: space.id, startMs: 0, state: 'READY', endedAt: ended, durationMs: 90_000 },
  });
  const clip = await prisma.clip.create({
    data: {
      recordingId: recording.id,
      creatorId: host.id,
      title: `${title} clip`,
      startMs: 0,
      endMs: 30_000,
      key: `${recording.id}/clip.ogg`,
    },
  });
  return {
    host,
    recordingId: toGlobalId('Recording', recording.id),
    clipId: toGlobalId('Clip', clip.id),
  };
}

const ask = (who: TestUser | null, ids: string[]) =>
  who ? who.gql<NodesResult>(NODES, { ids }) : t.anonymous<NodesResult>(NODES, { ids });

describe('Query.nodes', () => {
  it("finds a public space's recording and clip by id, for guests too", async () => {
    const rows = await recordedRows('Open talk', false);

    const result = await ask(null, [rows.recordingId, rows.clipId]);

    expect(result.errors).toBeUndefined();
    expect(result.data?.nodes).toEqual([
      {
        __typename: 'Recording',
        id: rows.recordingId,
        state: 'READY',
        space: { title: 'Open talk' },
      },
      {
        __typename: 'Clip',
        id: rows.clipId,
        title: 'Open talk clip',
        recording: { id: rows.recordingId },
      },
    ]);
  });

  it("gives a ticketed space's recording and clip to its host, null to a guest or non-holder", async () => {
    const rows = await recordedRows('Paid talk', true);
    const outsider = await t.createUser('outsider');
    const ids = [rows.recordingId, rows.clipId];

    const kinds = async (who: TestUser | null) => {
      const result = await ask(who, ids);
      expect(result.errors).toBeUndefined();
      return result.data?.nodes.map((node) => node?.['__typename'] ?? null);
    };

    expect(await kinds(rows.host)).toEqual(['Recording', 'Clip']);
    expect(await kinds(outsider)).toEqual([null, null]);
    expect(await kinds(null)).toEqual([null, null]);
  });
});
