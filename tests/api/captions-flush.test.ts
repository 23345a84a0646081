import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../server/config.ts';
import {
  CAPTION_EVENTS,
  type CaptionEvent,
  captionsOf,
  finalsOf,
  SET_CAPTIONS,
  speakThroughRelay,
  watchersReach,
} from '../helpers/caption-operations.ts';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { waitFor } from '../helpers/relay-peers.ts';
import { liveSpaceWithCast } from '../helpers/space-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { synthesiseAll, TEST_SENTENCES } from '../helpers/test-speech.ts';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ hosting: { ...defaultConfig.hosting, minFollowers: 1 } });
});
afterAll(() => t?.stop());

/** A live space with captions on, a listener following its events and a speaker saying `speech`. */
async function captionedSpeech(speech: Int16Array) {
  const cast = await liveSpaceWithCast(t);
  const listener = wsClient(t.url, cast.listener.credentials);
  const events = collect<{ spaceEvents: CaptionEvent }>(listener, CAPTION_EVENTS, {
    spaceId: cast.spaceGlobalId,
  });
  await watchersReach(t, cast.spaceId, 1);
  await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
  await cast.host.gql(SET_CAPTIONS, { spaceId: cast.spaceGlobalId, on: true });
  const speaker = await speakThroughRelay(cast.speaker, cast.spaceGlobalId, speech);
  return { cast, listener, events, speaker };
}

const storedTranscript = (spaceId: string) =>
  t.app.prisma.transcriptSegment.findMany({ where: { spaceId }, orderBy: { startMs: 'asc' } });

describe('captions of continuous speech', () => {
  it('keeps the line under way when the space ends mid-sentence', async () => {
    // Four sentences without a pause: one utterance for the engine's voice activity detection.
    const speech = await synthesiseAll(TEST_SENTENCES, 48_000, 0);
    const { cast, listener, events, speaker } = await captionedSpeech(speech);
    let heard: CaptionEvent | undefined;
    try {
      // The space ends while the newest caption is a line of some length still under way. Which
      // line that is depends on the machine: a loaded one sheds audio and commits at other times.
      await events.until((results) => {
        const newest = captionsOf(results).at(-1);
        heard =
          newest && !newest.final && newest.endMs! - newest.startMs! >= 1500 ? newest : undefined;
        return heard !== undefined;
      }, 60_000);
      await t.app.services.spaces.end(cast.host.id, cast.spaceId);
    } finally {
      await speaker.close();
    }
    await waitFor(() => !t.app.services.captionRunner?.isRunning(cast.spaceId), 'captions stop');
    await listener.dispose();

    // That line is in the transcript: it starts where the partial heard live did and reaches at
    // least about as far (pocketsphinx's final may word it differently, so times are compared).
    // An earlier line cannot pass for it: it ended before the heard line, which was 1.5 s long.
    const transcript = await storedTranscript(cast.spaceId);
    const line = transcript.find((stored) => Math.abs(stored.startMs - heard!.startMs!) <= 500);
    expect(line, `a stored line starting near ${heard!.startMs} ms`).toBeDefined();
    expect(line?.text).not.toBe('');
    expect(line?.endMs).toBeGreaterThanOrEqual(heard!.endMs! - 1000);
  }, 120_000);

  it('commits a speaker who never pauses in lines of about ten seconds', async () => {
    const speech = await synthesiseAll([...TEST_SENTENCES, ...TEST_SENTENCES], 48_000, 0);
    expect(speech.length / 48_000).toBeGreaterThan(25);
    const { cast, listener, events, speaker } = await captionedSpeech(speech);
    let lines: CaptionEvent[] = [];
    try {
      // Several lines are final while the speaker is still talking.
      await events.until((results) => {
        lines = finalsOf(results);
        return lines.length >= 2;
      }, 60_000);
    } finally {
      await speaker.close();
    }
    await cast.host.gql(SET_CAPTIONS, { spaceId: cast.spaceGlobalId, on: false });
    await waitFor(() => !t.app.services.captionRunner?.isRunning(cast.spaceId), 'captions stop');
    await listener.dispose();

    const transcript = await storedTranscript(cast.spaceId);
    expect(transcript.length).toBeGreaterThanOrEqual(3);
    for (const line of transcript) {
      expect(line.text).not.toBe('');
      expect(line.endMs - line.startMs).toBeLessThan(12_000);
    }
    expect(lines.map((line) => line.text)).toEqual(
      transcript.slice(0, lines.length).map((line) => line.text),
    );
  }, 120_000);
});
