import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import nodeDataChannel, { type PeerConnection } from 'node-datachannel';
import { afterEach, describe, it } from 'vitest';
import { waitFor } from '../../../tests/helpers/relay-peers.ts';
import { connectRtpSpeaker, type RtpSpeaker } from '../../../tests/helpers/rtp-speaker.ts';
import { createRelay, type PipedRelay } from './relay.ts';

const TURNSERVER = '/usr/bin/turnserver';
const PACKETS = 40;

async function freeUdpPort(): Promise<number> {
  const probe = createSocket('udp4');
  await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise<void>((resolve) => probe.close(resolve));
  return port;
}

/** coturn on loopback with one long-term user, as a deployment's TURN_URLS would point to. */
async function startCoturn(): Promise<{ port: number; stop(): void }> {
  const port = await freeUdpPort();
  const folder = mkdtempSync(join(tmpdir(), 'amphi-coturn-'));
  const coturn: ChildProcess = spawn(
    TURNSERVER,
    [
      ...['-n', '--no-cli', '--no-tls', '--no-dtls', '--lt-cred-mech', '--allow-loopback-peers'],
      ...['--listening-ip', '127.0.0.1', '--relay-ip', '127.0.0.1', '--listening-port', `${port}`],
      ...['--user', 'amphi:secret', '--realm', 'amphi.test', '--userdb', join(folder, 'db')],
      ...['--pidfile', join(folder, 'pid'), '--log-file', 'stdout'],
    ],
    { stdio: 'ignore' },
  );
  // coturn answers once its listeners are up; a client retransmits until then anyway.
  await sleep(300);
  return {
    port,
    stop() {
      coturn.kill();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** A listener that may only use TURN, as one behind a firewall that lets no UDP through. */
async function connectTurnOnlyListener(offer: string, turnPort: number) {
  const pc: PeerConnection = new nodeDataChannel.PeerConnection('turn-only-listener', {
    iceServers: [`turn:amphi:secret@127.0.0.1:${turnPort}`],
    iceTransportPolicy: 'relay',
  });
  let packets = 0;
  // node-datachannel stops delivering to a Track or channel nobody references.
  const kept: unknown[] = [];
  pc.onTrack((track) => {
    kept.push(track);
    track.onMessage(() => {
      packets++;
    });
  });
  pc.onDataChannel((channel) => kept.push(channel));
  const answer = await new Promise<string>((resolve) => {
    pc.onGatheringStateChange((state) => {
      if (state === 'complete') resolve(pc.localDescription()?.sdp ?? '');
    });
    pc.setRemoteDescription(offer, 'offer');
  });
  return {
    answer,
    packets: () => packets,
    isConnected: () => pc.state() === 'connected',
    close() {
      pc.close();
      kept.length = 0;
    },
  };
}

describe.skipIf(!existsSync(TURNSERVER))('the relay with TURN (coturn)', () => {
  let relay: PipedRelay | undefined;
  const cleanups: (() => unknown)[] = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await relay?.stop();
    relay = undefined;
  });

  it('reaches a listener that may only use its own TURN server', async () => {
    const turn = await startCoturn();
    cleanups.push(() => turn.stop());
    // The relay is ICE-lite: it never gathers, and answers the checks the listener's TURN
    // allocation relays to its shared port, as it answers anyone's.
    relay = createRelay({ port: 0 });
    relay.setPublishers('space', new Set(['speaker']));
    const opened = await relay.open('space', 'listener');
    const listener = await connectTurnOnlyListener(opened.offer, turn.port);
    cleanups.push(() => listener.close());
    await relay.answer(opened.sessionId, listener.answer);
    await waitFor(listener.isConnected, 'the listener connected through TURN');

    const seat = await relay.open('space', 'speaker');
    const speaker: RtpSpeaker = await connectRtpSpeaker(seat.offer);
    cleanups.push(() => speaker.close());
    await relay.answer(seat.sessionId, speaker.answer);
    await speaker.connected();
    for (let sequenceNumber = 1; sequenceNumber <= PACKETS; sequenceNumber++) {
      speaker.send(sequenceNumber, Buffer.alloc(40, sequenceNumber));
      // Pacing only, as a microphone would.
      await sleep(5);
    }
    await waitFor(() => listener.packets() >= PACKETS - 5, 'the speaker through TURN');
  });
});
