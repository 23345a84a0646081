/** The mid of the first audio m-line: the transceiver that carries our microphone to the relay. */
export function firstAudioMid(sdp: string): string | null {
  const sections = sdp.split(/\r?\n(?=m=)/);
  for (const section of sections) {
    if (!section.startsWith('m=audio')) continue;
    const mid = /^a=mid:(\S+)/m.exec(section);
    return mid?.[1] ?? null;
  }
  return null;
}

export type RelayAnswer = {
  answer: string;
  uplink: RTCRtpTransceiver;
  /** mid → the track that slot's audio arrives on. */
  slotTracks: Map<string, MediaStreamTrack>;
};

/**
 * Applies the relay's offer and builds the answer: the first audio transceiver sends our
 * microphone (sendonly even without one, so being invited on stage is a replaceTrack, not a
 * renegotiation the relay would have to start), every other audio transceiver receives a slot.
 * The answer goes as soon as it is set, with no candidate: the relay is ICE-lite (it never checks
 * towards us) and learns our address from our own connectivity checks, as a peer-reflexive
 * candidate, so waiting for even one of ours would only delay it.
 */
export async function answerRelayOffer(
  pc: RTCPeerConnection,
  offer: string,
  mic: MediaStreamTrack | null,
): Promise<RelayAnswer> {
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  const audio = pc.getTransceivers().filter((t) => t.receiver.track.kind === 'audio');
  const uplinkMid = firstAudioMid(offer);
  const uplink = audio.find((t) => t.mid === uplinkMid) ?? audio[0];
  if (!uplink) throw new Error('the relay offer has no audio transceiver');
  uplink.direction = 'sendonly';
  if (mic) await uplink.sender.replaceTrack(mic);
  const answer = await answerAndDescribe(pc);
  return { answer, uplink, slotTracks: slotTracksOf(pc, uplink) };
}

/**
 * Applies a re-offer of the relay (the same sections, then more slots after them) and builds
 * its answer; the uplink stays as it was.
 */
export async function answerRelayReoffer(
  pc: RTCPeerConnection,
  offer: string,
  uplink: RTCRtpTransceiver,
): Promise<Omit<RelayAnswer, 'uplink'>> {
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  const answer = await answerAndDescribe(pc);
  return { answer, slotTracks: slotTracksOf(pc, uplink) };
}

function slotTracksOf(
  pc: RTCPeerConnection,
  uplink: RTCRtpTransceiver,
): Map<string, MediaStreamTrack> {
  const slotTracks = new Map<string, MediaStreamTrack>();
  for (const transceiver of pc.getTransceivers()) {
    if (transceiver === uplink || !transceiver.mid) continue;
    if (transceiver.receiver.track.kind === 'audio') {
      slotTracks.set(transceiver.mid, transceiver.receiver.track);
    }
  }
  return slotTracks;
}

async function answerAndDescribe(pc: RTCPeerConnection): Promise<string> {
  await pc.setLocalDescription(await pc.createAnswer());
  const sdp = pc.localDescription?.sdp;
  if (!sdp) throw new Error('no local description after answering');
  return sdp;
}
