// @vitest-environment jsdom
import type { Client } from 'graphql-ws';
import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import type { Api } from '../api/graphql-client.ts';
import type { JoinedMedia } from '../api/media-signalling.ts';
import { createRoomAudio } from './create-room-audio.ts';

const turn = { urls: ['turn:turn.example:3478'], username: 'u', credential: 'c' };

/** An API that answers the iceServers query, recording every request. */
function recordingApi() {
  const requests: string[] = [];
  const api: Api = {
    client: {} as Client,
    async request<Data>(query: string) {
      requests.push(query);
      if (!query.includes('iceServers')) throw new Error(`unexpected: ${query}`);
      return { iceServers: [turn] } as Data;
    },
    subscribe: () => () => {},
    close: () => {},
  };
  return { api, requests };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createRoomAudio', () => {
  it("opens a mesh room with the join's ICE servers, without asking the API for them", async () => {
    const { api, requests } = recordingApi();
    const joined: JoinedMedia = { iceServers: [turn], relay: null };
    await createRoot(async (dispose) => {
      const audio = createRoomAudio(api, 'space');
      audio.connect('me', 'MESH', joined);
      await settled();
      expect(audio.room()).not.toBeNull();
      expect(requests).toEqual([]);
      dispose();
    });
  });

  it('asks the API for ICE servers when no join brought them (a reconnection)', async () => {
    const { api, requests } = recordingApi();
    await createRoot(async (dispose) => {
      const audio = createRoomAudio(api, 'space');
      audio.connect('me', 'MESH');
      await settled();
      expect(audio.room()).not.toBeNull();
      expect(requests.filter((query) => query.includes('iceServers'))).toHaveLength(1);
      dispose();
    });
  });
});
