import type { Client } from 'graphql-ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Api } from './graphql-client.ts';
import { graphqlSignalling, type RelayOffer } from './media-signalling.ts';

const fromJoin: RelayOffer = {
  sessionId: 'joined',
  sdp: 'v=0 (the offer joinSpace returned)',
  iceServers: [{ urls: ['turn:turn.example:3478'], username: 'u', credential: 'c' }],
};

/** An API that answers openRelaySession with a new session each time, counting the requests. */
function relayApi() {
  const opened: string[] = [];
  const api: Api = {
    client: {} as Client,
    async request<Data>(query: string) {
      if (!query.includes('openRelaySession')) throw new Error(`unexpected: ${query}`);
      const sessionId = `opened-${opened.length + 1}`;
      opened.push(sessionId);
      const relay = { sessionId, sdp: `v=0 (${sessionId})`, iceServers: [] };
      return {
        openRelaySession: { __typename: 'MutationOpenRelaySessionSuccess', relay },
      } as Data;
    },
    subscribe: () => () => {},
    close: () => {},
  };
  return { api, opened };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('graphqlSignalling', () => {
  it("starts the first relay connection from the join's offer, and asks the API for every later one", async () => {
    const { api, opened } = relayApi();
    const signalling = graphqlSignalling(api, 'space', 'me', fromJoin);

    expect(await signalling.openRelay()).toEqual({
      sessionId: 'joined',
      offer: fromJoin.sdp,
      iceServers: [{ urls: ['turn:turn.example:3478'], username: 'u', credential: 'c' }],
    });
    expect(opened).toEqual([]);
    expect((await signalling.openRelay()).sessionId).toBe('opened-1');
    expect(opened).toEqual(['opened-1']);
  });

  it("opens a session of its own when the join's offer has waited too long to be answered in time", async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const { api, opened } = relayApi();
    const signalling = graphqlSignalling(api, 'space', 'me', fromJoin);
    vi.advanceTimersByTime(15_000);

    expect((await signalling.openRelay()).sessionId).toBe('opened-1');
    expect(opened).toEqual(['opened-1']);
  });

  it('opens a session through the API when the join brought none (a mesh space)', async () => {
    const { api, opened } = relayApi();
    const signalling = graphqlSignalling(api, 'space', 'me', null);

    expect((await signalling.openRelay()).sessionId).toBe('opened-1');
    expect(opened).toEqual(['opened-1']);
  });
});
