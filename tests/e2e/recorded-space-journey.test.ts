import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idOfType } from '../../server/ids.ts';
import { decodeOggOpus } from '../helpers/ogg-opus.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { synthesiseAll, TEST_SENTENCES } from '../helpers/test-speech.ts';
import { hasChromium, writeWav } from './helpers/chromium.ts';
import { eventually } from './helpers/lab.ts';
import { playback } from './helpers/replay-page.ts';
import { hears, openWebApp, person, screenshot, selfParticipantId } from './helpers/web-app.ts';

const RATE = 48_000;
/** How long both people speak together before the host ends the space. */
const BOTH_SPEAK_MS = 18_000;

let t: TestApp;
let dir: string;
let hostSpeech: string;
let guestSpeech: string;
beforeAll(async () => {
  if (!hasChromium) return;
  dir = await mkdtemp(join(tmpdir(), 'amphi-recorded-e2e-'));
  t = await startTestApp({
    hosting: { minFollowers: 0, minFollowersTicketed: 0 },
    recordings: { dir },
  });
  // Each fake microphone loops its own flite sentences, so the two voices differ and pause.
  const [first, second, third, fourth] = TEST_SENTENCES;
  hostSpeech = writeWav(
    join(dir, 'host-speech.wav'),
    await synthesiseAll([first, second], RATE),
    RATE,
  );
  guestSpeech = writeWav(
    join(dir, 'guest-speech.wav'),
    await synthesiseAll([third, fourth], RATE),
    RATE,
  );
}, 120_000);
afterAll(async () => {
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const CREATE_RECORDED = /* GraphQL */ `
  mutation ($title: String!) {
    createSpace(input: { title: $title, topics: [], record: true }) {
      __typename
      ... on Error { message }
      ... on MutationCreateSpaceSuccess { space { id recording { state } } }
    }
  }
`;

const ENDED = /* GraphQL */ `
  query ($id: ID!) {
    space(id: $id) {
      state
      startedAt
      endedAt
      recording {
        id
        state
        playbackUrl
        durationSeconds
        startMs
        tracks { startMs speaker { id } }
      }
      transcript(first: 50) { edges { node { text startMs endMs speaker { id } } } }
    }
  }
`;

type Ended = {
  space: {
    state: string;
    startedAt: string;
    endedAt: string | null;
    recording: {
      id: string;
      state: string;
      playbackUrl: string | null;
      durationSeconds: number | null;
      startMs: number;
      tracks: { startMs: number; speaker: { id: string } }[];
    } | null;
    transcript: {
      edges: { node: { text: string; startMs: number; endMs: number; speaker: { id: string } } }[];
    };
  };
};

/** Runs an operation in the page, as the signed-in person (their session cookie). */
const asPage = (page: Page, query: string, variables: Record<string, unknown>) =>
  page.evaluate(
    async ([query, variables]) => {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return response.json() as Promise<{ data?: Record<string, Record<string, unknown>> }>;
    },
    [query, variables] as const,
  );

describe.skipIf(!hasChromium)('a recorded space, from live speech to replay', () => {
  it('two speakers in Chromium are recorded; the files decode, last as long as the space, and replay with the transcript following', async () => {
    const opened: Array<{ close(): Promise<void> }> = [];
    try {
      // The web client does not offer "record" yet: the host asks through the API, signed in.
      const host = await openWebApp(t.url, person('Maya Chen', 'maya'), hostSpeech);
      opened.push(host);
      await host.page.goto(t.url);
      const created = await asPage(host.page, CREATE_RECORDED, { title: 'Recorded talk' });
      const createdSpace = created.data?.['createSpace'] as
        | { __typename: string; space?: { id: string; recording: { state: string } } }
        | undefined;
      expect(createdSpace?.__typename).toBe('MutationCreateSpaceSuccess');
      expect(createdSpace?.space?.recording.state).toBe('RECORDING');
      const spaceGlobalId = createdSpace?.space?.id ?? '';
      const spaceUrl = `${t.url}/spaces/${spaceGlobalId}`;
      await host.page.goto(spaceUrl);
      await host.page.getByRole('button', { name: 'Unmute' }).click();
      await host.page.getByRole('button', { name: 'Mute', exact: true }).waitFor();
      await host.page.getByRole('button', { name: 'Turn captions on' }).click();

      // A second person raises a hand, is accepted and speaks with their own microphone.
      const guest = await openWebApp(t.url, person('Sam Rivera', 'sam'), guestSpeech);
      opened.push(guest);
      await guest.page.goto(spaceUrl);
      await guest.page.getByRole('button', { name: 'Raise hand' }).click();
      const request = host.page.getByTestId('speaker-request').filter({ hasText: 'Sam Rivera' });
      await request.getByRole('button', { name: 'Accept Sam Rivera' }).click();
      await guest.page.getByRole('button', { name: 'Unmute' }).click();
      await guest.page.getByRole('button', { name: 'Mute', exact: true }).waitFor();

      const hostId = await selfParticipantId(host.page);
      const guestId = await selfParticipantId(guest.page);
      await eventually(
        () => hears(guest.page, hostId),
        (heard) => heard,
        60_000,
      );
      await eventually(
        () => hears(host.page, guestId),
        (heard) => heard,
        60_000,
      );
      // Both talk on for a while, and each has said something the transcript kept.
      const bothHeardAt = Date.now();
      const spaceId = idOfType(spaceGlobalId, 'Space') ?? '';
      const participants = new Map(
        [hostId, guestId].map((id) => [idOfType(id, 'Participant') ?? '', id]),
      );
      await eventually(
        async () => ({
          spokeMs: Date.now() - bothHeardAt,
          speakers: (await t.app.prisma.transcriptSegment.findMany({ where: { spaceId } })).map(
            (segment) => participants.get(segment.participantId),
          ),
        }),
        ({ spokeMs, speakers }) =>
          spokeMs >= BOTH_SPEAK_MS && speakers.length >= 3 && new Set(speakers).size === 2,
        150_000,
      );

      await host.page.getByRole('button', { name: 'End space' }).click();
      await host.page.getByRole('button', { name: 'Tap again to end' }).click();

      // The recording settles READY once its files are closed.
      const ended = await eventually(
        async () => (await t.anonymous<Ended>(ENDED, { id: spaceGlobalId })).data?.space,
        (space) => space?.recording?.state === 'READY',
        60_000,
      );
      if (!ended?.recording?.playbackUrl || !ended.endedAt) throw new Error('no recording');
      const { recording } = ended;
      const spaceSeconds = (Date.parse(ended.endedAt) - Date.parse(ended.startedAt)) / 1000;

      // The mixed track: a real Ogg Opus file, as long as the space was live (within 1 s).
      // PUBLIC_URL names the deployment's host; the file is fetched from this test's server.
      const response = await fetch(new URL(new URL(ended.recording.playbackUrl).pathname, t.url));
      expect(response.status).toBe(200);
      const mixed = await decodeOggOpus(new Uint8Array(await response.arrayBuffer()));
      expect(mixed.codec).toBe('opus');
      expect(Math.abs(mixed.durationMs / 1000 - spaceSeconds)).toBeLessThanOrEqual(1);
      expect(Math.abs((recording.durationSeconds ?? 0) - spaceSeconds)).toBeLessThanOrEqual(1);
      // Speech (with flite's pauses) fills a good part of it.
      expect(mixed.loudFrames * 20).toBeGreaterThan(BOTH_SPEAK_MS / 3);

      // One track per speaker, each holding that speaker's own audio from where they joined.
      expect(new Set(recording.tracks.map((track) => track.speaker.id))).toEqual(
        new Set([hostId, guestId]),
      );
      const storage = t.app.services.replay.storage;
      if (!storage) throw new Error('no recording storage');
      const stored = await t.app.prisma.recordingTrack.findMany({
        where: { recordingId: idOfType(recording.id, 'Recording') ?? '' },
      });
      for (const track of stored) {
        const decoded = await decodeOggOpus(await storage.read(track.key));
        expect(decoded.codec).toBe('opus');
        expect(track.startMs).toBeGreaterThanOrEqual(0);
        // A track ends no later than the space did (packets stop when the relay closes).
        expect((track.startMs + decoded.durationMs) / 1000).toBeLessThanOrEqual(spaceSeconds + 1);
        expect(decoded.loudFrames * 20).toBeGreaterThan(BOTH_SPEAK_MS / 3);
      }

      // A guest replays the public recording: the highlight follows playback, a click seeks.
      const lines = ended.transcript.edges.map((edge) => edge.node);
      const viewer = await openWebApp(t.url);
      opened.push(viewer);
      const { page } = viewer;
      await page.goto(spaceUrl);
      const replayLines = page.getByTestId('replay-line');
      await replayLines.first().waitFor();
      expect(await replayLines.count()).toBe(lines.length);
      expect((await playback(page)).current).toBe(-1);
      // Lines are placed on the file's timeline: time 0 is the recording's start in the space.
      const onFile = lines.map((line) => ({
        startSeconds: (line.startMs - recording.startMs) / 1000,
        endSeconds: (line.endMs - recording.startMs) / 1000,
      }));

      await page.getByRole('button', { name: 'Play' }).click();
      // Watches the highlight while the first lines play: it never goes back, and each line it
      // lands on has begun at the audio's current time.
      const seen: Awaited<ReturnType<typeof playback>>[] = [];
      await eventually(
        async () => {
          const state = await playback(page);
          seen.push(state);
          return state;
        },
        () => new Set(seen.map((state) => state.current).filter((index) => index >= 0)).size >= 2,
        90_000,
      );
      const highlighted = seen.filter((state) => state.current >= 0);
      expect(highlighted[0]?.current).toBe(0);
      for (const [at, state] of highlighted.entries()) {
        expect(state.paused).toBe(false);
        expect(state.current).toBeGreaterThanOrEqual(highlighted[at - 1]?.current ?? 0);
        expect(state.time).toBeGreaterThanOrEqual(onFile[state.current]!.startSeconds - 0.05);
        const next = onFile[state.current + 1];
        // The line highlighted is the last one begun (it stays lit through a pause).
        if (next) expect(state.time).toBeLessThan(next.startSeconds + 1.5);
      }
      await screenshot(page, 'recorded-space-replay');

      const last = lines.length - 1;
      await replayLines.nth(last).getByRole('button').click();
      const jumped = await eventually(
        () => playback(page),
        (state) => state.current === last,
      );
      expect(jumped.time).toBeGreaterThanOrEqual(onFile[last]!.startSeconds - 0.05);
      expect(jumped.time).toBeLessThan(onFile[last]!.endSeconds + 1);
      expect(await replayLines.nth(last).textContent()).toContain(lines[last]!.text);
    } finally {
      for (const browser of opened.reverse()) await browser.close();
    }
  }, 480_000);
});
