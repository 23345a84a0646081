import type { BrowserContext } from 'playwright-core';
import { type FirstSoundWindow, firstSoundTap } from './first-sound-tap.ts';

/** Milliseconds since the click that started the two connections. */
export type FloorMarks = {
  connected?: number;
  packet?: number;
  played?: number;
  /** As bench/join's probe: the first sound at the audio output, timed on the audio thread. */
  audible?: number;
  error?: string;
};

type FloorWindow = FirstSoundWindow & { webrtcFloor?: FloorMarks & { armed?: boolean } };

/**
 * An init script: a steady WebAudio tone (the sender's microphone, live before the click, as a
 * speaker's is) and WebRTC warmed up as the lab page's is, then on a click two RTCPeerConnections in one page, offer and answer handed
 * across directly (no signalling server); records when the receiver's getStats() first shows an
 * inbound packet and first audio played (`totalAudioEnergy`, as bench/join's probe), polled every
 * 5 ms.
 */
function floorScript() {
  const marks: FloorMarks & { armed?: boolean } = {};
  (window as FloorWindow).webrtcFloor = marks;
  const run = async (clickedAt: number, stream: MediaStream) => {
    const since = () => performance.now() - clickedAt;
    const sender = new RTCPeerConnection();
    const receiver = new RTCPeerConnection();
    sender.addEventListener('icecandidate', ({ candidate }) => {
      if (candidate) void receiver.addIceCandidate(candidate);
    });
    receiver.addEventListener('icecandidate', ({ candidate }) => {
      if (candidate) void sender.addIceCandidate(candidate);
    });
    receiver.addEventListener('connectionstatechange', () => {
      if (receiver.connectionState === 'connected') marks.connected ??= since();
    });
    // Played, as the lab page plays remote audio: Chromium pulls (and measures) rendered audio.
    receiver.addEventListener('track', ({ track }) => {
      const player = new Audio();
      player.srcObject = new MediaStream([track]);
      void player.play().catch(() => {});
      (window as FloorWindow).firstSound?.(track, (at) => {
        marks.audible ??= at - clickedAt;
      });
    });
    for (const track of stream.getAudioTracks()) sender.addTrack(track, stream);
    const offer = await sender.createOffer();
    await sender.setLocalDescription(offer);
    await receiver.setRemoteDescription(offer);
    const answer = await receiver.createAnswer();
    await receiver.setLocalDescription(answer);
    await sender.setRemoteDescription(answer);
    while ((marks.played === undefined || marks.audible === undefined) && since() < 30_000) {
      for (const stats of (await receiver.getStats()).values()) {
        const entry = stats as {
          type?: string;
          kind?: string;
          packetsReceived?: number;
          totalAudioEnergy?: number;
        };
        if (entry.type !== 'inbound-rtp' || entry.kind !== 'audio') continue;
        if ((entry.packetsReceived ?? 0) > 0) marks.packet ??= since();
        if ((entry.totalAudioEnergy ?? 0) > 0) marks.played ??= since();
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    sender.close();
    receiver.close();
  };
  // Warmed up as the lab page is before its Listen button shows (warmUpWebRtc, inlined: an init
  // script cannot import): one connection with a local offer, closed.
  const warmUp = async () => {
    const pc = new RTCPeerConnection();
    pc.addTransceiver('audio', { direction: 'recvonly' });
    await pc.setLocalDescription(await pc.createOffer());
    pc.close();
  };
  window.addEventListener('DOMContentLoaded', async () => {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const output = audio.createMediaStreamDestination();
    tone.connect(output);
    tone.start();
    await warmUp().catch(() => {});
    marks.armed = true;
    window.addEventListener(
      'click',
      (event) => {
        run(event.timeStamp, output.stream).catch((error: unknown) => {
          marks.error = String(error);
        });
      },
      { once: true, capture: true },
    );
  });
}

/**
 * The bare WebRTC floor, in a fresh page of `context` (a tiny page served by the same server,
 * `/health`): from a click to the first audio played between two local peer connections.
 */
export async function webrtcFloor(context: BrowserContext, baseUrl: string): Promise<FloorMarks> {
  const page = await context.newPage();
  try {
    await page.addInitScript(firstSoundTap);
    await page.addInitScript(floorScript);
    await page.goto(`${baseUrl}/health`);
    await page.waitForFunction(() => (window as FloorWindow).webrtcFloor?.armed === true);
    await page.mouse.click(5, 5);
    const handle = await page.waitForFunction(
      () => {
        const marks = (window as FloorWindow).webrtcFloor;
        if (marks?.error) throw new Error(marks.error);
        return marks?.played !== undefined && marks.audible !== undefined ? marks : null;
      },
      undefined,
      { timeout: 30_000, polling: 100 },
    );
    const { connected, packet, played, audible } = (await handle.jsonValue()) as FloorMarks;
    return { connected, packet, played, audible };
  } finally {
    await page.close();
  }
}
