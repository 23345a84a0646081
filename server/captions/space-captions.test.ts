import { afterEach, describe, expect, it } from 'vitest';
import {
  connectWrtcClient,
  type RelayTestClient,
  waitFor,
} from '../../tests/helpers/relay-peers.ts';
import { createRelay, type Relay } from '../media/relay/relay.ts';
import { startSpaceCaptions } from './space-captions.ts';
import type { RecognisedSegment, SpeechEngine } from './speech-engine.ts';

/** An engine that recognises what the test says, per stream, and counts flushes. */
function scriptedEngine() {
  const streams: { emit(segment: RecognisedSegment): void; written: number; flushes: number }[] =
    [];
  const engine: SpeechEngine = {
    name: 'scripted',
    async open(onSegment) {
      const stream = { emit: onSegment, written: 0, flushes: 0 };
      streams.push(stream);
      return {
        write: (samples) => {
          stream.written += samples.length;
        },
        flush: () => {
          stream.flushes++;
        },
        backlogMs: () => 0,
        closed: new Promise<void>(() => {}),
        end: async () => {},
      };
    },
  };
  return { engine, streams };
}

describe('startSpaceCaptions', () => {
  let relay: Relay | undefined;
  const clients: RelayTestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
    await relay?.stop();
  });

  async function speak(speaker: string) {
    const { sessionId, offer } = await relay!.open('space', speaker);
    const client = await connectWrtcClient(offer, { speak: true });
    clients.push(client);
    await relay!.answer(sessionId, client.answer);
  }

  it('closes the line of a speaker under way when another starts talking', async () => {
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['alice', 'bob']));
    const { engine, streams } = scriptedEngine();
    const started = Date.now();
    const captions = startSpaceCaptions({
      relay,
      spaceId: 'space',
      engine,
      now: () => Date.now() - started,
      onCaption: () => {},
    });
    await speak('alice');
    await waitFor(() => (streams[0]?.written ?? 0) > 0, 'alice captioned');
    const [alice] = streams;
    alice!.emit({ text: 'so as i was saying', startMs: 0, endMs: 500, final: false });
    await speak('bob');
    await waitFor(() => (streams[1]?.written ?? 0) > 0, 'bob captioned');
    const bob = streams[1]!;
    expect(alice!.flushes).toBe(0);

    bob.emit({ text: 'sorry to cut in', startMs: 0, endMs: 500, final: false });
    expect(alice!.flushes).toBe(1);
    alice!.emit({ text: 'so as i was saying', startMs: 0, endMs: 600, final: true });
    // Bob talking on is no new turn; Alice starting again closes Bob's line.
    bob.emit({ text: 'sorry to cut in but', startMs: 0, endMs: 700, final: false });
    expect(alice!.flushes).toBe(1);
    alice!.emit({ text: 'anyway', startMs: 900, endMs: 1200, final: false });
    expect(bob.flushes).toBe(1);
    await captions.stop();
  }, 60_000);
});
