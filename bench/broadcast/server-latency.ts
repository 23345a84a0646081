import { OpusDecoder } from 'opus-decoder';
import { decodeHlsSegment, parseMediaPlaylist } from '../../tests/helpers/hls-segments.ts';
import type { TestApp } from '../../tests/helpers/test-app.ts';

/** RMS (full scale 1) above which a decoded packet is the tone, not the silence before it. */
const LOUD_RMS = 0.05;

export type ServerSide = {
  /** Wall clock (ms) when the tone's first loud packet reached the relay. */
  relayAt: number | null;
  /** Wall clock (ms) of the first playlist that listed a segment holding the tone. */
  listedAt: number | null;
};

/**
 * The server's part of broadcast latency, watched the way a player fetching as often as it can
 * would see it: the speaker's first loud packet at the relay, then the first playlist that lists
 * a segment whose decoded audio holds it. Times are `Date.now()`, the clock a browser on this
 * machine reads as `performance.timeOrigin + performance.now()`.
 */
export async function watchServerSide(t: TestApp, spaceId: string, playlistUrl: string) {
  const seen: ServerSide = { relayAt: null, listedAt: null };
  const decoder = new OpusDecoder({ channels: 1, sampleRate: 48_000 });
  await decoder.ready;
  const untap = t.app.relay!.tapSpace(spaceId, (_speaker, payload) => {
    if (seen.relayAt !== null) return;
    const pcm = decoder.decodeFrame(payload).channelData[0] ?? new Float32Array();
    let energy = 0;
    for (const sample of pcm) energy += sample * sample;
    if (Math.sqrt(energy / Math.max(1, pcm.length)) > LOUD_RMS) seen.relayAt = Date.now();
  });
  let stopped = false;
  const base = playlistUrl.slice(0, playlistUrl.lastIndexOf('/') + 1);
  const listedSegments = new Set<string>();
  // Segments listed before the tone was sent are silence: only those listed later are decoded.
  const poll = async () => {
    while (!stopped && seen.listedAt === null) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const response = await fetch(playlistUrl);
      const listedAt = Date.now();
      if (response.status !== 200) continue;
      const playlist = parseMediaPlaylist(await response.text());
      const fresh = playlist.segments.filter((segment) => !listedSegments.has(segment));
      if (seen.relayAt === null) {
        for (const name of fresh) listedSegments.add(name);
        continue;
      }
      const init = new Uint8Array(await (await fetch(base + playlist.map)).arrayBuffer());
      for (const name of fresh) {
        listedSegments.add(name);
        const body = new Uint8Array(await (await fetch(base + name)).arrayBuffer());
        if ((await decodeHlsSegment(init, body)).loudFrames > 0) seen.listedAt ??= listedAt;
      }
    }
  };
  const polling = poll();
  let stopping: Promise<ServerSide> | null = null;
  return {
    seen,
    stop(): Promise<ServerSide> {
      stopping ??= (async () => {
        stopped = true;
        await polling;
        untap();
        decoder.free();
        return seen;
      })();
      return stopping;
    },
  };
}
