import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import { connectLibsrtpListener, type LibsrtpListener } from '../helpers/libsrtp-listener.ts';
import { connectWrtcClient, type WrtcTestClient, waitFor } from '../helpers/relay-peers.ts';
import { liveSpaceWithCast } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

const OPEN_RELAY = /* GraphQL */ `
  mutation ($spaceId: ID!) {
    openRelaySession(spaceId: $spaceId) {
      __typename
      ... on MutationOpenRelaySessionSuccess { relay { sessionId sdp } }
    }
  }
`;

const ANSWER_RELAY = /* GraphQL */ `
  mutation ($id: ID!, $sdp: String!) {
    answerRelaySession(sessionId: $id, sdp: $sdp) { __typename }
  }
`;

/** This process's children running a relay worker (Linux /proc). */
function relayWorkerChildren(): number {
  return readdirSync('/proc').filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return parent === process.pid && command.includes('relay-worker-main');
    } catch {
      return false;
    }
  }).length;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({
    hosting: { ...defaultConfig.hosting, minFollowers: 1 },
    media: {
      ...defaultConfig.media,
      relay: { ...defaultConfig.media.relay, workers: 2 },
    },
  });
});
afterAll(() => t?.stop());

async function connect<Client extends { answer: string }>(
  user: TestUser,
  spaceGlobalId: string,
  client: (offer: string) => Promise<Client>,
): Promise<Client> {
  const opened = await user.gql<{
    openRelaySession: { relay: { sessionId: string; sdp: string } };
  }>(OPEN_RELAY, { spaceId: spaceGlobalId });
  const relay = opened.data?.openRelaySession.relay;
  if (!relay) throw new Error(`no relay session: ${JSON.stringify(opened)}`);
  const connected = await client(relay.sdp);
  const answered = await user.gql(ANSWER_RELAY, { id: relay.sessionId, sdp: connected.answer });
  expect(answered.data?.['answerRelaySession']).toEqual({
    __typename: 'MutationAnswerRelaySessionSuccess',
  });
  return connected;
}

describe('Mutation.openRelaySession with relay workers', () => {
  it('serves every participant from worker processes, and listeners hear the speaker', async () => {
    const cast = await liveSpaceWithCast(t);
    await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
    const listeners: LibsrtpListener[] = [];
    let speaker: WrtcTestClient | undefined;
    try {
      for (const user of [cast.host, cast.cohost, cast.listener]) {
        listeners.push(await connect(user, cast.spaceGlobalId, connectLibsrtpListener));
      }
      speaker = await connect(cast.speaker, cast.spaceGlobalId, (offer) =>
        connectWrtcClient(offer, { speak: true }),
      );
      for (const listener of listeners) {
        await waitFor(() => listener.received.length >= 50, 'the speaker’s audio', 30_000);
        expect(new Set(listener.received.map((packet) => packet.mid)).size).toBe(1);
      }
      expect(relayWorkerChildren()).toBe(2);
    } finally {
      await speaker?.close();
      await Promise.all(listeners.map((listener) => listener.close()));
    }
  }, 90_000);
});
