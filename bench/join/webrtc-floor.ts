import type { BrowserContext } from 'playwright-core';

/** Milliseconds since the page's navigation start. */
export type FloorMarks = { connected?: number; packet?: number; error?: string };

type FloorWindow = { webrtcFloor?: FloorMarks };

/**
 * An init script: two RTCPeerConnections in one page, offer and answer handed across directly
 * (no signalling server), one sending a steady WebAudio tone; records when the receiver's
 * getStats() first shows an inbound audio packet with a level, polled every 5 ms.
 */
function floorScript() {
  const marks: FloorMarks = {};
  (window as FloorWindow).webrtcFloor = marks;
  const run = async () => {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const output = audio.createMediaStreamDestination();
    tone.connect(output);
    tone.start();
    const sender = new RTCPeerConnection();
    const receiver = new RTCPeerConnection();
    sender.addEventListener('icecandidate', ({ candidate }) => {
      if (candidate) void receiver.addIceCandidate(candidate);
    });
    receiver.addEventListener('icecandidate', ({ candidate }) => {
      if (candidate) void sender.addIceCandidate(candidate);
    });
    receiver.addEventListener('connectionstatechange', () => {
      if (receiver.connectionState === 'connected') marks.connected ??= performance.now();
    });
    // Played, as the lab page plays remote audio: Chromium reports levels of rendered audio.
    receiver.addEventListener('track', ({ track }) => {
      const player = new Audio();
      player.srcObject = new MediaStream([track]);
      void player.play().catch(() => {});
    });
    for (const track of output.stream.getAudioTracks()) sender.addTrack(track, output.stream);
    const offer = await sender.createOffer();
    await sender.setLocalDescription(offer);
    await receiver.setRemoteDescription(offer);
    const answer = await receiver.createAnswer();
    await receiver.setLocalDescription(answer);
    await sender.setRemoteDescription(answer);
    while (marks.packet === undefined) {
      for (const stats of (await receiver.getStats()).values()) {
        const entry = stats as { type?: string; kind?: string; packetsReceived?: number };
        const level = (stats as { audioLevel?: number }).audioLevel ?? 0;
        if (entry.type !== 'inbound-rtp' || entry.kind !== 'audio') continue;
        if ((entry.packetsReceived ?? 0) > 0 && level > 0) marks.packet = performance.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  run().catch((error: unknown) => {
    marks.error = String(error);
  });
}

/**
 * The bare WebRTC floor, in a fresh page of `context`: navigation start of a tiny page served by
 * the same server (`/health`) to the first audio packet between two local peer connections.
 */
export async function webrtcFloor(context: BrowserContext, baseUrl: string): Promise<FloorMarks> {
  const page = await context.newPage();
  try {
    await page.addInitScript(floorScript);
    await page.goto(`${baseUrl}/health`);
    const handle = await page.waitForFunction(
      () => {
        const marks = (window as FloorWindow).webrtcFloor;
        if (marks?.error) throw new Error(marks.error);
        return marks?.packet !== undefined ? marks : null;
      },
      undefined,
      { timeout: 30_000, polling: 100 },
    );
    return (await handle.jsonValue()) as FloorMarks;
  } finally {
    await page.close();
  }
}
