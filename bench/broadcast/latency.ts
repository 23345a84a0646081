import { OpusDecoder } from 'opus-decoder';
import { defaultConfig } from '../../server/config.ts';
import { speakThroughRelay } from '../../tests/helpers/caption-operations.ts';
import { decodeHlsSegment, parseMediaPlaylist } from '../../tests/helpers/hls-segments.ts';
import { liveSpaceWithCast } from '../../tests/helpers/space-fixtures.ts';
import { startTestApp } from '../../tests/helpers/test-app.ts';

/** RMS (full scale 1) above which a decoded packet is the tone, not the silence before it. */
const LOUD_RMS = 0.05;
/** hls.js starts this many target durations (2 s) behind the live edge (liveSyncDurationCount). */
const HLS_JS_SYNC_SEGMENTS = 3;

export type LatencyRow = {
  round: number;
  /** The first loud packet at the relay → the first segment holding it listed in the playlist. */
  serverMs: number;
  /** That plus where hls.js plays by default: computed, not heard. */
  playerEstimateMs: number;
};

/**
 * Broadcast latency, server side: a speaker (a WebRTC peer through the relay) is silent, then
 * sounds a tone; the time from its first loud packet reaching the relay to the first playlist
 * that lists a segment whose decoded audio holds it. A player adds its own distance from the
 * live edge, given beside it as an estimate (a Chromium player is not part of this run).
 */
export async function benchLatency(rounds: number): Promise<LatencyRow[]> {
  const t = await startTestApp({ hosting: { ...defaultConfig.hosting, minFollowers: 1 } });
  const rows: LatencyRow[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const cast = await liveSpaceWithCast(t);
      await t.app.services.stage.setMuted(cast.speaker.id, cast.spaceId, false);
      const info = await t.app.services.broadcast.info(
        { id: cast.spaceId, hostId: cast.host.id, state: 'LIVE' },
        null,
      );
      const playlistUrl = new URL(info.url ?? '', t.url).href;
      await fetch(playlistUrl);
      // 4 s of silence, then a tone for 3 s.
      const speech = new Int16Array(7 * 48_000);
      for (let i = 4 * 48_000; i < speech.length; i++) {
        speech[i] = Math.round(Math.sin((2 * Math.PI * 440 * i) / 48_000) * 12_000);
      }
      let loudAt: number | null = null;
      const decoder = new OpusDecoder({ channels: 1, sampleRate: 48_000 });
      await decoder.ready;
      const untap = t.app.relay!.tapSpace(cast.spaceId, (_speaker, payload) => {
        if (loudAt !== null) return;
        const pcm = decoder.decodeFrame(payload).channelData[0] ?? new Float32Array();
        let energy = 0;
        for (const sample of pcm) energy += sample * sample;
        if (Math.sqrt(energy / Math.max(1, pcm.length)) > LOUD_RMS) loudAt = performance.now();
      });
      const speaker = await speakThroughRelay(cast.speaker, cast.spaceGlobalId, speech);
      const seen = new Set<string>();
      let heardAt: number | null = null;
      const deadline = performance.now() + 20_000;
      while (heardAt === null && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const response = await fetch(playlistUrl);
        if (response.status !== 200 || loudAt === null) continue;
        const listedAt = performance.now();
        const playlist = parseMediaPlaylist(await response.text());
        const base = playlistUrl.slice(0, playlistUrl.lastIndexOf('/') + 1);
        const init = new Uint8Array(await (await fetch(base + playlist.map)).arrayBuffer());
        for (const name of playlist.segments.filter((segment) => !seen.has(segment))) {
          seen.add(name);
          const body = new Uint8Array(await (await fetch(base + name)).arrayBuffer());
          if ((await decodeHlsSegment(init, body)).loudFrames > 0) heardAt = listedAt;
        }
      }
      untap();
      decoder.free();
      await speaker.close();
      await t.app.services.spaces.end(cast.host.id, cast.spaceId);
      if (loudAt === null || heardAt === null)
        throw new Error('the tone never reached the broadcast');
      const serverMs = Math.round(heardAt - loudAt);
      rows.push({ round, serverMs, playerEstimateMs: serverMs + HLS_JS_SYNC_SEGMENTS * 2000 });
    }
  } finally {
    await t.stop();
  }
  return rows;
}
