import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferSource, EncodedPacketSink, Input, OGG } from 'mediabunny';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { playbackKeyOf } from '../../server/recordings/playback-file.ts';
import { decodeOggOpus } from '../helpers/ogg-opus.ts';
import { recordedSpace } from '../helpers/recording-fixtures.ts';
import { startTestApp, type TestApp, type TestUser } from '../helpers/test-app.ts';

const RECORDING = /* GraphQL */ `
  query ($id: ID!) {
    space(id: $id) { recording { id state playbackUrl durationSeconds startMs } }
  }
`;

const CREATE_CLIP = /* GraphQL */ `
  mutation ($recordingId: ID!, $start: Float!, $end: Float!, $title: String) {
    createClip(recordingId: $recordingId, startSeconds: $start, endSeconds: $end, title: $title) {
      __typename
      ... on MutationCreateClipSuccess {
        clip { id title startSeconds endSeconds playbackUrl shareUrl transcript { text startMs } }
      }
      ... on InvalidClipRange { minSeconds maxSeconds durationSeconds }
      ... on Error { message }
    }
  }
`;

const CLIP = /* GraphQL */ `
  query ($id: ID!) { clip(id: $id) { id title startSeconds } }
`;

type ClipView = {
  id: string;
  title: string | null;
  startSeconds: number;
  endSeconds: number;
  playbackUrl: string;
  shareUrl: string;
  transcript: { text: string; startMs: number }[];
};
type CreateClip = { createClip: { __typename: string; clip?: ClipView } & Record<string, unknown> };
type RecordingView = {
  space: {
    recording: {
      id: string;
      state: string;
      playbackUrl: string | null;
      durationSeconds: number | null;
      startMs: number;
    };
  };
};

let t: TestApp;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'amphi-replay-'));
  t = await startTestApp({ recordings: { dir } });
}, 120_000);
afterAll(async () => {
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Fetches an API URL (made with PUBLIC_URL) from the test server, as `user` or a guest. */
function fetchAudio(url: string, user?: TestUser, headers: Record<string, string> = {}) {
  const path = new URL(url).pathname;
  const auth: Record<string, string> = user?.credentials.token
    ? { authorization: `Bearer ${user.credentials.token}` }
    : {};
  return fetch(`${t.url}${path}`, { headers: { ...auth, ...headers } });
}

/** The Opus packets of an Ogg file: their bytes and times (s). */
async function packetsOf(bytes: Uint8Array) {
  const input = new Input({ formats: [OGG], source: new BufferSource(bytes) });
  const track = await input.getPrimaryAudioTrack();
  const packets: { data: Uint8Array; timestamp: number }[] = [];
  for await (const packet of new EncodedPacketSink(track!).packets()) {
    packets.push({ data: Uint8Array.from(packet.data), timestamp: packet.timestamp });
  }
  input.dispose();
  return packets;
}

describe('Recording.playbackUrl', () => {
  it('serves a public recording to guests as Ogg Opus, whole and in byte ranges', async () => {
    const fixture = await recordedSpace(t);
    const view = await t.anonymous<RecordingView>(RECORDING, { id: fixture.spaceGlobalId });
    const recording = view.data!.space.recording;
    expect(recording).toMatchObject({ state: 'READY', id: fixture.recordingGlobalId });
    expect(recording.durationSeconds).toBeCloseTo(fixture.durationMs / 1000, 1);

    const whole = await fetchAudio(recording.playbackUrl!);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/ogg');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const bytes = new Uint8Array(await whole.arrayBuffer());
    const decoded = await decodeOggOpus(bytes);
    expect(Math.abs(decoded.durationMs - fixture.durationMs)).toBeLessThan(40);
    expect(decoded.loudFrames).toBeGreaterThan(100);

    const middle = await fetchAudio(recording.playbackUrl!, undefined, { range: 'bytes=100-1099' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 100-1099/${bytes.length}`);
    expect(new Uint8Array(await middle.arrayBuffer())).toEqual(bytes.subarray(100, 1100));

    const tail = await fetchAudio(recording.playbackUrl!, undefined, { range: 'bytes=-500' });
    expect(tail.status).toBe(206);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(bytes.subarray(bytes.length - 500));

    const past = await fetchAudio(recording.playbackUrl!, undefined, {
      range: `bytes=${bytes.length + 10}-`,
    });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
  }, 60_000);

  it('plays a ticketed recording only for ticket holders and the host', async () => {
    const fixture = await recordedSpace(t, { ticketed: true });
    const view = await fixture.host.gql<RecordingView>(RECORDING, { id: fixture.spaceGlobalId });
    const url = view.data!.space.recording.playbackUrl!;
    const [holder, outsider] = await Promise.all([t.createUser('holder'), t.createUser('nobody')]);
    await t.app.prisma.ticket.create({
      data: {
        spaceId: fixture.space.id,
        buyerId: holder.id,
        state: 'ISSUED',
        priceMinor: 500,
        currency: 'usd',
        holdExpiresAt: new Date(),
        createdAt: new Date(),
        issuedAt: new Date(),
      },
    });
    expect((await fetchAudio(url)).status).toBe(403);
    expect((await fetchAudio(url, outsider)).status).toBe(403);
    for (const allowed of [holder, fixture.host]) {
      const response = await fetchAudio(url, allowed, { range: 'bytes=0-3' });
      expect(response.status).toBe(206);
      expect(response.headers.get('cache-control')).toBe('private, no-cache');
      expect(new TextDecoder().decode(await response.arrayBuffer())).toBe('OggS');
    }
  }, 60_000);

  it('answers 404 for a deleted recording and for ids that name nothing', async () => {
    const fixture = await recordedSpace(t);
    const view = await t.anonymous<RecordingView>(RECORDING, { id: fixture.spaceGlobalId });
    const url = view.data!.space.recording.playbackUrl!;
    expect((await fetchAudio(url, undefined, { range: 'bytes=0-3' })).status).toBe(206);
    const deleted = await fixture.host.gql(
      /* GraphQL */ `mutation ($id: ID!) { deleteRecording(spaceId: $id) { __typename } }`,
      { id: fixture.spaceGlobalId },
    );
    expect(deleted.data?.['deleteRecording']).toEqual({
      __typename: 'MutationDeleteRecordingSuccess',
    });
    expect((await fetchAudio(url)).status).toBe(404);
    for (const path of [
      `/recordings/${randomUUID()}/audio.ogg`,
      '/recordings/%E0%A4%A/audio.ogg',
    ]) {
      expect((await fetch(`${t.url}${path}`)).status).toBe(404);
    }
  }, 60_000);
});

describe('Mutation.createClip', () => {
  it('cuts a clip that plays only its range, with the transcript of that range', async () => {
    const fixture = await recordedSpace(t, { minSeconds: 70 });
    const viewer = await t.createUser('viewer');
    const created = await viewer.gql<CreateClip>(CREATE_CLIP, {
      recordingId: fixture.recordingGlobalId,
      start: 20.5,
      end: 55.5,
      title: 'The best part',
    });
    expect(created.data?.createClip.__typename).toBe('MutationCreateClipSuccess');
    const clip = created.data!.createClip.clip!;
    expect(clip).toMatchObject({ title: 'The best part', startSeconds: 20.5, endSeconds: 55.5 });
    expect(new URL(clip.shareUrl).pathname).toBe(`/clips/${clip.id}`);
    const inRange = fixture.lines.filter((line) => line.endMs > 20_500 && line.startMs < 55_500);
    expect(clip.transcript.map((line) => line.text)).toEqual(inRange.map((line) => line.text));

    const response = await fetchAudio(clip.playbackUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('audio/ogg');
    const clipPackets = await packetsOf(new Uint8Array(await response.arrayBuffer()));
    const whole = await fetchAudio(
      (await t.anonymous<RecordingView>(RECORDING, { id: fixture.spaceGlobalId })).data!.space
        .recording.playbackUrl!,
    );
    const source = await packetsOf(new Uint8Array(await whole.arrayBuffer()));
    // Exactly the source's packets from 20.5 s to 55.5 s, unchanged, retimed from 0.
    const expected = source.filter((packet) => packet.timestamp >= 20.5 && packet.timestamp < 55.5);
    expect(expected.length).toBeGreaterThan(1700);
    expect(clipPackets.map((packet) => packet.data)).toEqual(expected.map((packet) => packet.data));
    expect(clipPackets[0]?.timestamp).toBe(0);
    const decoded = await decodeOggOpus(
      new Uint8Array(await (await fetchAudio(clip.playbackUrl)).arrayBuffer()),
    );
    expect(Math.abs(decoded.durationMs - 35_000)).toBeLessThan(40);

    const seen = await t.anonymous<{ clip: { id: string } | null }>(CLIP, { id: clip.id });
    expect(seen.data?.clip?.id).toBe(clip.id);
  }, 120_000);

  it('yields InvalidClipRange for clips too short, too long or past the end, InvalidInput for nonsense', async () => {
    const fixture = await recordedSpace(t, { minSeconds: 40 });
    const viewer = await t.createUser('viewer');
    const duration = fixture.durationMs / 1000;
    for (const [start, end] of [
      [0, 29.9],
      [0, 60.1],
      [duration - 30, duration + 1],
      [10, 5],
    ] as const) {
      const result = await viewer.gql<CreateClip>(CREATE_CLIP, {
        recordingId: fixture.recordingGlobalId,
        start,
        end,
      });
      expect(result.data?.createClip).toMatchObject({
        __typename: 'InvalidClipRange',
        minSeconds: 30,
        maxSeconds: 60,
        durationSeconds: duration,
      });
    }
    const negative = await viewer.gql<CreateClip>(CREATE_CLIP, {
      recordingId: fixture.recordingGlobalId,
      start: -5,
      end: 30,
    });
    expect(negative.data?.createClip.__typename).toBe('InvalidInput');
    const notARecording = await viewer.gql<CreateClip>(CREATE_CLIP, {
      recordingId: fixture.spaceGlobalId,
      start: 0,
      end: 30,
    });
    expect(notARecording.data?.createClip.__typename).toBe('InvalidInput');
    // A recording with no playback file (made before the live mix wrote one) has nothing to cut.
    await t.app.services.replay.storage?.remove(playbackKeyOf(fixture.recording.id));
    const noAudio = await viewer.gql<CreateClip>(CREATE_CLIP, {
      recordingId: fixture.recordingGlobalId,
      start: 0,
      end: 30,
    });
    expect(noAudio.data?.createClip.__typename).toBe('NotFound');
    expect(await t.app.prisma.clip.count({ where: { recordingId: fixture.recording.id } })).toBe(0);
  }, 60_000);

  it('follows the ticket rule: only those who may replay a ticketed space cut or play its clips', async () => {
    const fixture = await recordedSpace(t, { minSeconds: 35, ticketed: true });
    const outsider = await t.createUser('outsider');
    const refused = await outsider.gql<CreateClip>(CREATE_CLIP, {
      recordingId: fixture.recordingGlobalId,
      start: 0,
      end: 30,
    });
    expect(refused.data?.createClip.__typename).toBe('TicketRequired');
    const made = await fixture.host.gql<CreateClip>(CREATE_CLIP, {
      recordingId: fixture.recordingGlobalId,
      start: 1,
      end: 31,
    });
    const clip = made.data!.createClip.clip!;
    expect((await fetchAudio(clip.playbackUrl)).status).toBe(403);
    expect((await fetchAudio(clip.playbackUrl, outsider)).status).toBe(403);
    expect((await fetchAudio(clip.playbackUrl, fixture.host)).status).toBe(200);
    const seen = await outsider.gql(CLIP, { id: clip.id });
    expect(seen.errors?.[0]?.extensions?.['code']).toBe('TicketRequired');
  }, 60_000);
});
