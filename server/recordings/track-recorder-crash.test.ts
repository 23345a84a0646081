import { fork } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeOggOpus } from '../../tests/helpers/ogg-opus.ts';
import {
  connectWrtcClient,
  type RelayTestClient,
  waitFor,
} from '../../tests/helpers/relay-peers.ts';
import { createRelay, type Relay } from '../media/relay/relay.ts';

const WRITER = fileURLToPath(
  new URL('../../tests/helpers/track-writer-process.ts', import.meta.url),
);

describe('createTrackRecorder killed mid-recording', () => {
  let relay: Relay | undefined;
  let client: RelayTestClient | undefined;
  let dir: string | undefined;

  afterEach(async () => {
    await client?.close();
    await relay?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('leaves a file that decodes up to the last second or so before the kill', async () => {
    dir = await mkdtemp(join(tmpdir(), 'amphi-crash-'));
    const writer = fork(WRITER, [dir], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
    let writtenMs = 0;
    const errors: string[] = [];
    let ready = false;
    writer.on('message', (message: { durationMs?: number; error?: string; ready?: boolean }) => {
      if (message.ready) ready = true;
      if (message.durationMs !== undefined) writtenMs = message.durationMs;
      if (message.error) errors.push(message.error);
    });
    const exited = new Promise((resolve) => writer.once('exit', resolve));
    await waitFor(() => ready, 'the writer to start', 30_000);

    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['speaker']));
    let killed = false;
    relay.tapSpace('space', (_speaker, payload, rtpTimestamp) => {
      if (killed || !writer.connected) return;
      const packet = { payload: payload.toString('base64'), rtpTimestamp, atMs: Date.now() };
      // A packet sent as the kill lands fails with EPIPE: the crash under test, not an error.
      writer.send(packet, () => {});
    });
    const { sessionId, offer } = await relay.open('space', 'speaker');
    client = await connectWrtcClient(offer, { speak: true });
    await relay.answer(sessionId, client.answer);

    await waitFor(() => writtenMs >= 5000, 'five seconds recorded', 30_000);
    killed = true;
    writer.kill('SIGKILL');
    await exited;

    expect(errors).toEqual([]);
    const decoded = await decodeOggOpus(await readFile(join(dir, 'crash/track.ogg')));
    expect(decoded.durationMs).toBeGreaterThan(writtenMs - 2500);
    expect(decoded.loudFrames).toBeGreaterThan(100);
  }, 90_000);
});
