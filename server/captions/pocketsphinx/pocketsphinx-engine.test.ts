import { execFileSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import { synthesise, synthesiseAll, TEST_SENTENCES } from '../../../tests/helpers/test-speech.ts';
import type { RecognisedSegment } from '../speech-engine.ts';
import { wordErrorRate } from '../wer.ts';
import { createPocketsphinxEngine } from './pocketsphinx-engine.ts';

describe('createPocketsphinxEngine', () => {
  it('recognises a sentence from a stream, with partials first and times in the stream', async () => {
    const sentence = 'we will meet at the station at nine in the morning';
    const speech = await synthesiseAll([sentence], 16_000, 1000);
    const segments: RecognisedSegment[] = [];
    const stream = await createPocketsphinxEngine().open((segment) => segments.push(segment));
    for (let i = 0; i < speech.length; i += 320) stream.write(speech.slice(i, i + 320));
    // Written at once, the audio waits for the engine, which then reports catching up.
    expect(stream.backlogMs()).toBeGreaterThan(1000);
    await vi.waitFor(() => expect(stream.backlogMs()).toBeLessThan(300), { timeout: 60_000 });
    await stream.end();

    const finals = segments.filter((segment) => segment.final);
    expect(finals).toHaveLength(1);
    // A stream's first utterance is the hardest (live cepstral mean normalisation is still
    // settling); the API test holds a whole stream to the stricter bar.
    expect(wordErrorRate(sentence, finals[0]!.text)).toBeLessThan(0.5);
    expect(segments.indexOf(finals[0]!)).toBeGreaterThan(0);
    // The speech starts after one second of silence and lasts under three.
    expect(finals[0]!.startMs).toBeGreaterThanOrEqual(900);
    expect(finals[0]!.endMs).toBeLessThan(speech.length / 16);
  }, 120_000);

  it('reports a killed engine process as closed', async () => {
    const stream = await createPocketsphinxEngine().open(() => {});
    // This worker's own pocketsphinx children, started by this test.
    const pids = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'driver.py'])
      .toString()
      .trim()
      .split('\n')
      .map(Number);
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, 'SIGKILL');
    await stream.closed;
    stream.write(new Int16Array(320));
  });

  it('fails to open with the reason when the model is missing', async () => {
    const engine = createPocketsphinxEngine({ acousticModel: '/nonexistent/model' });
    await expect(engine.open(() => {})).rejects.toThrow('pocketsphinx did not start');
  });
});

describe('SpeechStream.flush', () => {
  it('closes the utterance under way where it is written, without a pause in the speech', async () => {
    const [first, second] = await Promise.all(
      [TEST_SENTENCES[2], TEST_SENTENCES[3]].map((sentence) => synthesise(sentence, 16_000)),
    );
    const segments: RecognisedSegment[] = [];
    const stream = await createPocketsphinxEngine().open((segment) => segments.push(segment));
    stream.write(new Int16Array(8000));
    stream.write(first!);
    stream.flush();
    stream.write(second!);
    await stream.end();

    const finals = segments.filter((segment) => segment.final && segment.text);
    expect(finals.map((segment) => segment.text.split(' ').at(-1))).toEqual([
      'morning',
      'afternoon',
    ]);
    expect(finals[1]!.startMs).toBeGreaterThanOrEqual(finals[0]!.endMs);
  }, 120_000);
});
