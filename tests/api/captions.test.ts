import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wordErrorRate } from '../../server/captions/wer.ts';
import { defaultConfig } from '../../server/config.ts';
import {
  CAPTION_EVENTS,
  type CaptionEvent,
  finalsOf,
  SET_CAPTIONS,
  speakThroughRelay,
  watchersReach,
} from '../helpers/caption-operations.ts';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { type WrtcTestClient, waitFor } from '../helpers/relay-peers.ts';
import { liveSpaceWithCast } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { synthesiseAll, TEST_SENTENCES } from '../helpers/test-speech.ts';

/**
 * Word error rate the captions must stay under on flite's voice through WebRTC (Opus) and the
 * relay. pocketsphinx alone scores about 0.19 on these sentences (bench/captions measures it).
 */
const MAX_WORD_ERROR_RATE = 0.35;

const TRANSCRIPT = /* GraphQL */ `
  query ($id: ID!, $first: Int, $after: String) {
    space(id: $id) {
      captionsOn
      transcript(first: $first, after: $after) {
        edges { node { speaker { user { handle } } text startMs endMs } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`;

type TranscriptPage = {
  space: {
    captionsOn: boolean;
    transcript: {
      edges: { node: { speaker: { user: { handle: string } }; text: string; startMs: number } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string };
    };
  };
};

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ hosting: { ...defaultConfig.hosting, minFollowers: 1 } });
});
afterAll(() => t?.stop());

/** Waits until a speaker has played all of `speech` (48 kHz) into its microphone. */
async function played(speech: Int16Array) {
  const started = Date.now();
  await waitFor(() => Date.now() - started > speech.length / 48, 'the speech to play', 120_000);
}

describe('Mutation.setSpaceCaptions', () => {
  it('captions a speaker through the relay, live and as a transcript to download', async () => {
    const cast = await liveSpaceWithCast(t);
    const speech = await synthesiseAll(TEST_SENTENCES, 48_000);
    const listener = wsClient(t.url, cast.listener.credentials);
    const events = collect<{ spaceEvents: CaptionEvent }>(listener, CAPTION_EVENTS, {
      spaceId: cast.spaceGlobalId,
    });
    await watchersReach(t, cast.spaceId, 1);
    await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);

    const turnedOn = await cast.cohost.gql(SET_CAPTIONS, { spaceId: cast.spaceGlobalId, on: true });
    // Captions need the audio on the server: the mesh space moves to the relay.
    expect(turnedOn.data?.['setSpaceCaptions']).toEqual({
      __typename: 'MutationSetSpaceCaptionsSuccess',
      space: { captionsOn: true, mediaMode: 'RELAY' },
    });
    await events.until((results) =>
      results.some((result) => result.data?.spaceEvents.__typename === 'CaptionsChanged'),
    );

    let speaker: WrtcTestClient | undefined;
    try {
      speaker = await speakThroughRelay(cast.speaker, cast.spaceGlobalId, speech);
      await events.until((results) => finalsOf(results).length > 0, 60_000);
      await played(speech);
    } finally {
      await speaker?.close();
    }
    // Turning captions off delivers the finals of whatever was still being recognised.
    await cast.host.gql(SET_CAPTIONS, { spaceId: cast.spaceGlobalId, on: false });
    await waitFor(() => !t.app.services.captionRunner?.isRunning(cast.spaceId), 'captions stop');
    const stored = await t.app.prisma.transcriptSegment.count({ where: { spaceId: cast.spaceId } });
    await events.until((results) => finalsOf(results).length === stored);

    const heard = finalsOf(events.results);
    expect(new Set(heard.map((event) => event.participant?.user.handle))).toEqual(
      new Set([cast.speaker.handle]),
    );
    const said = heard.map((event) => event.text).join(' ');
    expect(wordErrorRate(TEST_SENTENCES.join(' '), said)).toBeLessThan(MAX_WORD_ERROR_RATE);
    const partials = events.results.filter(
      (result) =>
        result.data?.spaceEvents.__typename === 'CaptionSegment' && !result.data.spaceEvents.final,
    );
    expect(partials.length).toBeGreaterThan(0);
    // Caption times are in space time and in speaking order.
    const starts = heard.map((event) => event.startMs ?? -1);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const event of heard) expect(event.endMs).toBeGreaterThan(event.startMs ?? 0);

    const firstPage = await cast.outsider.gql<TranscriptPage>(TRANSCRIPT, {
      id: cast.spaceGlobalId,
      first: 2,
    });
    const page = firstPage.data?.space.transcript;
    expect(page?.edges.map((edge) => edge.node.text)).toEqual(
      heard.slice(0, 2).map((event) => event.text),
    );
    const rest = await t.anonymous<TranscriptPage>(TRANSCRIPT, {
      id: cast.spaceGlobalId,
      first: 10,
      after: page?.pageInfo.endCursor,
    });
    expect(rest.data?.space.transcript.edges.map((edge) => edge.node.text)).toEqual(
      heard.slice(2).map((event) => event.text),
    );

    const vttUrl = `${t.url}/spaces/${cast.spaceGlobalId}/transcript.vtt`;
    expect((await fetch(vttUrl)).status).toBe(409);
    await t.app.services.spaces.end(cast.host.id, cast.spaceId);
    await events.until(() => events.completed, 10_000).catch(() => {});
    await listener.dispose();

    const vtt = await fetch(vttUrl);
    expect(vtt.status).toBe(200);
    expect(vtt.headers.get('content-type')).toMatch(/^text\/vtt/);
    const cues = (await vtt.text()).split('\n\n');
    expect(cues[0]).toBe('WEBVTT');
    expect(cues.slice(1).map((cue) => cue.split('\n')[1])).toEqual(
      heard.map((event) => `<v speaker>${event.text}`),
    );
    const text = await (await fetch(`${t.url}/spaces/${cast.spaceGlobalId}/transcript.txt`)).text();
    expect(text.trim().split('\n')).toHaveLength(heard.length);
    expect(text).toContain(`speaker: ${heard[0]?.text}`);
  }, 120_000);

  it('turns captions off, telling everyone, and refuses an ended space', async () => {
    const cast = await liveSpaceWithCast(t);
    await cast.host.gql(SET_CAPTIONS, { spaceId: cast.spaceGlobalId, on: true });
    const listener = wsClient(t.url, cast.listener.credentials);
    const events = collect<{ spaceEvents: CaptionEvent }>(listener, CAPTION_EVENTS, {
      spaceId: cast.spaceGlobalId,
    });
    // The captions runner follows the space too.
    await watchersReach(t, cast.spaceId, 2);
    const off = await cast.host.gql(SET_CAPTIONS, { spaceId: cast.spaceGlobalId, on: false });
    expect(off.data?.['setSpaceCaptions']).toMatchObject({ space: { captionsOn: false } });
    await events.until((results) =>
      results.some((result) => result.data?.spaceEvents.on === false),
    );
    await listener.dispose();

    await t.app.services.spaces.end(cast.host.id, cast.spaceId);
    const ended = await cast.host.gql(SET_CAPTIONS, { spaceId: cast.spaceGlobalId, on: true });
    expect(ended.data?.['setSpaceCaptions']).toMatchObject({ __typename: 'SpaceNotLive' });
  });

  it('yields CaptionsUnavailable where the server has no speech engine', async () => {
    const plain = await startTestApp({
      hosting: { ...defaultConfig.hosting, minFollowers: 1 },
      captions: { ...defaultConfig.captions, engine: 'off' },
    });
    try {
      const cast = await liveSpaceWithCast(plain);
      const result = await cast.host.gql(SET_CAPTIONS, { spaceId: cast.spaceGlobalId, on: true });
      expect(result.data?.['setSpaceCaptions']).toMatchObject({
        __typename: 'CaptionsUnavailable',
      });
      const space = await plain.app.prisma.space.findUniqueOrThrow({ where: { id: cast.spaceId } });
      expect(space).toMatchObject({ captionsOn: false, mediaMode: 'MESH' });
    } finally {
      await plain.stop();
    }
  });
});
