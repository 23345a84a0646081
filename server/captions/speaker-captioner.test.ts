import { describe, expect, it, vi } from 'vitest';
import { MAX_BACKLOG_MS } from './backlog-shedder.ts';
import { createSpeakerCaptioner, type TimedCaption } from './speaker-captioner.ts';
import { ENGINE_SAMPLE_RATE, type RecognisedSegment, type SpeechEngine } from './speech-engine.ts';

/** A 20 ms Opus frame of silence (CELT, 48 kHz): real input for the real decoder. */
const OPUS_SILENCE = Uint8Array.of(0xf8, 0xff, 0xfe);
const FRAME_MS = 20;

/**
 * An engine that recognises only when the test says so (a machine too busy to keep up), and
 * whose process the test can kill.
 */
function slowEngine() {
  let emit: (segment: RecognisedSegment) => void = () => {};
  let kill = () => {};
  const state = { writtenMs: 0, recognisedMs: 0, opens: 0, flushedAtMs: [] as number[] };
  const engine: SpeechEngine = {
    name: 'slow',
    async open(onSegment) {
      emit = onSegment;
      state.opens++;
      state.writtenMs = 0;
      state.recognisedMs = 0;
      const closed = new Promise<void>((resolve) => {
        kill = resolve;
      });
      return {
        write: (samples) => {
          state.writtenMs += (samples.length * 1000) / ENGINE_SAMPLE_RATE;
        },
        flush: () => state.flushedAtMs.push(state.writtenMs),
        backlogMs: () => state.writtenMs - state.recognisedMs,
        closed,
        end: async () => kill(),
      };
    },
  };
  /** Recognises everything written so far, then reports one segment ending there. */
  const catchUp = (text: string, final: boolean) => {
    state.recognisedMs = state.writtenMs;
    emit({ text, startMs: 0, endMs: state.writtenMs, final });
  };
  /** Reports a segment while still behind. */
  const report = (text: string, final: boolean) =>
    emit({ text, startMs: 0, endMs: state.recognisedMs, final });
  return { engine, state, catchUp, report, kill: () => kill() };
}

/** A captioner on `engine` with a clock the test moves, pushing 20 ms frames of speech. */
function captionerOn(slow: ReturnType<typeof slowEngine>) {
  const captions: TimedCaption[] = [];
  const errors: unknown[] = [];
  const clock = { now: 0 };
  const captioner = createSpeakerCaptioner({
    engine: slow.engine,
    now: () => clock.now,
    onCaption: (caption) => captions.push(caption),
    onError: (error) => errors.push(error),
  });
  let rtp = 0;
  const speak = async (seconds: number) => {
    for (let i = 0; i < (seconds * 1000) / FRAME_MS; i++) {
      captioner.push(OPUS_SILENCE, rtp);
      rtp += 960;
      clock.now += FRAME_MS;
      // The engine starts before the queue of early packets can overflow.
      if (i === 0) await vi.waitFor(() => expect(slow.state.writtenMs).toBeGreaterThan(0));
    }
  };
  return { captioner, captions, errors, clock, speak };
}

describe('createSpeakerCaptioner under overload', () => {
  it('keeps the engine at most a few seconds behind and marks late or gappy captions', async () => {
    const slow = slowEngine();
    const { captioner, captions, speak } = captionerOn(slow);

    // Ten seconds of speech while the engine recognises nothing.
    await speak(10);
    expect(slow.state.writtenMs).toBeGreaterThanOrEqual(MAX_BACKLOG_MS);
    expect(slow.state.writtenMs).toBeLessThanOrEqual(MAX_BACKLOG_MS + FRAME_MS);
    slow.report('late words', false);
    expect(captions.at(-1)).toMatchObject({ text: 'late words', degraded: true });

    // Once the engine catches up, audio flows again; the utterance that lost audio stays marked.
    slow.catchUp('caught up', false);
    await speak(1);
    expect(slow.state.writtenMs).toBeGreaterThan(MAX_BACKLOG_MS + 900);
    slow.catchUp('caught up at last', true);
    expect(captions.at(-1)).toMatchObject({ final: true, degraded: true });

    // The next utterance is whole and on time.
    await speak(1);
    slow.catchUp('on time', false);
    expect(captions.at(-1)).toMatchObject({ text: 'on time', degraded: false });
    await captioner.end();
  });
});

describe('createSpeakerCaptioner when its engine dies', () => {
  it('restarts the engine and captions what is said next, timed from the restart', async () => {
    const slow = slowEngine();
    const { captioner, captions, errors, clock, speak } = captionerOn(slow);
    await speak(2);
    slow.catchUp('before', true);

    slow.kill();
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    await vi.waitFor(() => expect(slow.state.opens).toBe(2), { timeout: 5000 });
    const restartedAt = clock.now;
    await speak(1);
    slow.catchUp('after the restart', true);
    expect(captions.map((caption) => caption.text)).toEqual(['before', 'after the restart']);
    expect(captions[1]!.endMs).toBeGreaterThan(restartedAt);
    await captioner.end();
  });
});

describe('createSpeakerCaptioner for a speaker who never pauses', () => {
  it('closes the utterance at a gap between words after eight seconds, once until its final', async () => {
    const slow = slowEngine();
    const { captioner, speak } = captionerOn(slow);
    for (let second = 0; second < 7; second++) {
      await speak(1);
      slow.catchUp('on and on', false);
    }
    expect(slow.state.flushedAtMs).toEqual([]);
    for (let second = 0; second < 3; second++) {
      await speak(1);
      slow.catchUp('on and on', false);
    }
    // The frames are silent, so the first one past eight seconds closes the utterance.
    expect(slow.state.flushedAtMs).toHaveLength(1);
    expect(slow.state.flushedAtMs[0]).toBeGreaterThanOrEqual(8000);
    expect(slow.state.flushedAtMs[0]).toBeLessThan(8000 + 2 * FRAME_MS);

    slow.catchUp('on and on', true);
    await speak(1);
    slow.catchUp('again', false);
    expect(slow.state.flushedAtMs).toHaveLength(1);
    await captioner.end();
  });
});
