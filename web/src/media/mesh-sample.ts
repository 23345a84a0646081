import { type InboundSample, readInboundAudio } from './inbound-stats.ts';

/** What sampling needs of one mesh peer. */
export type SampledPeer = {
  pc: RTCPeerConnection | null | undefined;
  stream: MediaStream | null;
  session: string | null;
};

/** Inbound audio of each mesh peer that plays a remote stream, from its `getStats()`. */
export async function sampleMeshPeers(
  peers: Iterable<[string, SampledPeer]>,
): Promise<Map<string, InboundSample>> {
  const result = new Map<string, InboundSample>();
  await Promise.all(
    [...peers].map(async ([id, { pc, stream, session }]) => {
      const track = stream?.getAudioTracks()[0];
      if (!pc || !track) return;
      // Nothing can have arrived yet, and getStats() costs the main thread a joiner needs now.
      if (pc.connectionState === 'new' || pc.connectionState === 'connecting') return;
      try {
        const inbound = readInboundAudio((await pc.getStats()).values());
        const stats = inbound.find((s) => s.trackIdentifier === track.id) ?? inbound[0];
        if (!stats) return;
        const { packetsReceived, audioLevel } = stats;
        result.set(id, { trackId: `${session}:${track.id}`, packetsReceived, audioLevel });
      } catch {
        // The peer closed while we asked; the next sample will not include it.
      }
    }),
  );
  return result;
}
