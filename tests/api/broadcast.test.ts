import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastKey, signBroadcast } from '../../server/broadcast/broadcast-signature.ts';
import { defaultConfig } from '../../server/config.ts';
import { speakThroughRelay } from '../helpers/caption-operations.ts';
import { decodeHlsSegment, parseMediaPlaylist } from '../helpers/hls-segments.ts';
import { waitFor } from '../helpers/relay-peers.ts';
import { liveSpaceWithCast } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { testAuthSecret } from '../helpers/test-database.ts';
import { synthesiseAll, TEST_SENTENCES } from '../helpers/test-speech.ts';
import {
  buyAndPay,
  startTicketingApp,
  type TicketingApp,
  ticketedSpace,
} from '../helpers/ticket-fixtures.ts';

const BROADCAST = /* GraphQL */ `
  query ($id: ID!) { space(id: $id) { broadcast { url state latencySeconds recommended } } }
`;

type BroadcastView = {
  space: {
    broadcast: {
      url: string | null;
      state: string;
      latencySeconds: number | null;
      recommended: string;
    };
  };
};

/** GETs a broadcast file; `path` is a path on the server, as Space.broadcast.url gives it. */
async function fetchFile(base: string, path: string) {
  const response = await fetch(new URL(path, base));
  return {
    status: response.status,
    cache: response.headers.get('cache-control'),
    type: response.headers.get('content-type'),
    body: new Uint8Array(await response.arrayBuffer()),
  };
}

/** The playlist once the server has one with at least `segments` segments (it answers 503 before). */
async function playlistWith(base: string, url: string, segments: number) {
  let text = '';
  await waitFor(
    async () => {
      const file = await fetchFile(base, url);
      if (file.status === 503) return false;
      expect(file.status).toBe(200);
      text = new TextDecoder().decode(file.body);
      return parseMediaPlaylist(text).segments.length >= segments;
    },
    `a playlist with ${segments} segments`,
    20_000,
  );
  return parseMediaPlaylist(text);
}

describe('Space.broadcast', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ hosting: { ...defaultConfig.hosting, minFollowers: 1 } });
  }, 120_000);
  afterAll(() => t?.stop());

  it('a live space’s playlist advances, and its segments are cached fMP4 Opus that decode', async () => {
    const cast = await liveSpaceWithCast(t);
    const before = await cast.listener.gql<BroadcastView>(BROADCAST, { id: cast.spaceGlobalId });
    const broadcast = before.data?.space.broadcast;
    expect(broadcast).toMatchObject({ state: 'IDLE', latencySeconds: null, recommended: 'RELAY' });
    expect(broadcast?.url).toMatch(/\/broadcast\/open\/live\.m3u8$/);
    const url = broadcast!.url!;

    await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
    const speech = await synthesiseAll(TEST_SENTENCES.slice(0, 3), 48_000, 300);
    // The first fetch starts the broadcast (and moves the speakers onto the relay).
    expect((await fetchFile(t.url, url)).status).toBe(503);
    const speaker = await speakThroughRelay(cast.speaker, cast.spaceGlobalId, speech);
    try {
      const first = await playlistWith(t.url, url, 2);
      const playlist = await fetchFile(t.url, url);
      expect(playlist.cache).toBe('public, max-age=1');
      expect(playlist.type).toBe('application/vnd.apple.mpegurl');
      const later = await playlistWith(t.url, url, first.segments.length + 1);
      // It slides: what was last is now followed by newer segments.
      expect(later.segments).toContain(first.segments.at(-1));
      expect(later.segments.at(-1)).not.toBe(first.segments.at(-1));

      const base = url.slice(0, url.lastIndexOf('/') + 1);
      const init = await fetchFile(t.url, base + later.map);
      expect(init).toMatchObject({ status: 200, cache: 'public, max-age=31536000, immutable' });
      let loud = 0;
      for (const name of later.segments) {
        const segment = await fetchFile(t.url, base + name);
        expect(segment).toMatchObject({ status: 200, type: 'audio/mp4' });
        expect(segment.cache).toBe('public, max-age=31536000, immutable');
        const decoded = await decodeHlsSegment(init.body, segment.body);
        expect(decoded.codec).toBe('opus');
        expect(decoded.durationMs).toBeGreaterThan(1500);
        loud += decoded.loudFrames;
      }
      // The speaker is heard in the mix.
      expect(loud).toBeGreaterThan(20);
      const seen = await cast.listener.gql<BroadcastView>(BROADCAST, { id: cast.spaceGlobalId });
      expect(seen.data?.space.broadcast).toMatchObject({ state: 'LIVE', url });
      expect(seen.data?.space.broadcast.latencySeconds).toBeGreaterThan(2);

      const missing = await fetchFile(t.url, `${base}nope-1.m4s`);
      expect(missing).toMatchObject({ status: 404, cache: 'no-store' });
      expect((await fetchFile(t.url, `${base}..%2F..%2Fsecret`)).status).toBe(404);
    } finally {
      await speaker.close();
    }
    await t.app.services.spaces.end(cast.host.id, cast.spaceId);
    const ended = await cast.listener.gql<BroadcastView>(BROADCAST, { id: cast.spaceGlobalId });
    expect(ended.data?.space.broadcast).toMatchObject({ state: 'ENDED', url: null });
  }, 90_000);
});

describe('Space.broadcast (ticketed)', () => {
  let a: TicketingApp;
  beforeAll(async () => {
    a = await startTicketingApp();
  }, 120_000);
  afterAll(() => a?.stop());

  it('holders get a signed URL; a non-holder, the open URL, a forged or expired one are refused', async () => {
    const { host, space, spaceGlobalId } = await ticketedSpace(a.t);
    const holder = await a.t.createUser('holder');
    await buyAndPay(a, holder, spaceGlobalId);
    await a.t.app.services.scheduling.start(host.id, space.id);
    const stranger = await a.t.createUser('stranger');

    const held = await holder.gql<BroadcastView>(BROADCAST, { id: spaceGlobalId });
    const url = held.data?.space.broadcast.url ?? '';
    expect(url).toMatch(/\/broadcast\/\d+-[A-Za-z0-9_-]+\/live\.m3u8$/);
    const strangers = await stranger.gql<BroadcastView>(BROADCAST, { id: spaceGlobalId });
    expect(strangers.data?.space.broadcast.url).toBeNull();
    const guests = await a.t.anonymous<BroadcastView>(BROADCAST, { id: spaceGlobalId });
    expect(guests.data?.space.broadcast.url).toBeNull();

    // The holder's URL starts the broadcast (503 until its first segment).
    expect((await fetchFile(a.t.url, url)).status).toBe(503);
    const prefix = url.slice(0, url.indexOf('/broadcast/') + '/broadcast/'.length);
    const open = await fetchFile(a.t.url, `${prefix}open/live.m3u8`);
    expect(open).toMatchObject({ status: 403, cache: 'no-store' });
    const token = url.slice(prefix.length, url.lastIndexOf('/'));
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect((await fetchFile(a.t.url, `${prefix}${forged}/live.m3u8`)).status).toBe(403);
    const key = broadcastKey(undefined, testAuthSecret);
    const expired = signBroadcast(key, space.id, Date.now() - 3 * 3600_000, 60);
    expect((await fetchFile(a.t.url, `${prefix}${expired}/live.m3u8`)).status).toBe(403);
    // The same key, still valid, is accepted: the refusal above was for its expiry alone.
    const valid = signBroadcast(key, space.id, Date.now(), 60);
    expect((await fetchFile(a.t.url, `${prefix}${valid}/live.m3u8`)).status).not.toBe(403);
    // Segments are gated the same way.
    expect((await fetchFile(a.t.url, `${prefix}open/x-init.mp4`)).status).toBe(403);
  }, 60_000);
});
