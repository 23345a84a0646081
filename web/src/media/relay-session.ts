import type { Clock } from './clock.ts';

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

const hasCandidate = (pc: RTCPeerConnection) =>
  /^a=candidate:/m.test(pc.localDescription?.sdp ?? '');

/**
 * Resolves once the local description holds a candidate or gathering completes, or after
 * `timeoutMs` with whatever was gathered. Call before setLocalDescription, so no candidate
 * event is missed.
 */
export function waitForFirstCandidate(
  pc: RTCPeerConnection,
  timeoutMs: number,
  clock: Clock,
): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clock.clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onChange);
      pc.removeEventListener('icecandidate', onChange);
      resolve();
    };
    const onChange = () => {
      if (pc.iceGatheringState === 'complete' || hasCandidate(pc)) done();
    };
    const timer = clock.setTimeout(done, timeoutMs);
    pc.addEventListener('icegatheringstatechange', onChange);
    pc.addEventListener('icecandidate', onChange);
  });
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
 * No trickle, and no wait for gathering to complete: the answer goes with the first candidate.
 * The relay needs none of ours (it learns our address from our connectivity checks, as a
 * peer-reflexive candidate), and complete gathering can take long (every interface, every
 * STUN and TURN server): one is sent only so the relay may check towards us as well.
 */
export async function answerRelayOffer(
  pc: RTCPeerConnection,
  offer: string,
  mic: MediaStreamTrack | null,
  gatherTimeoutMs: number,
  clock: Clock,
): Promise<RelayAnswer> {
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  const audio = pc.getTransceivers().filter((t) => t.receiver.track.kind === 'audio');
  const uplinkMid = firstAudioMid(offer);
  const uplink = audio.find((t) => t.mid === uplinkMid) ?? audio[0];
  if (!uplink) throw new Error('the relay offer has no audio transceiver');
  uplink.direction = 'sendonly';
  if (mic) await uplink.sender.replaceTrack(mic);
  const slotTracks = new Map<string, MediaStreamTrack>();
  for (const transceiver of audio) {
    if (transceiver !== uplink && transceiver.mid) {
      slotTracks.set(transceiver.mid, transceiver.receiver.track);
    }
  }
  const answer = await pc.createAnswer();
  const gathered = waitForFirstCandidate(pc, gatherTimeoutMs, clock);
  await pc.setLocalDescription(answer);
  if (!hasCandidate(pc) && pc.iceGatheringState !== 'complete') await gathered;
  const sdp = pc.localDescription?.sdp;
  if (!sdp) throw new Error('no local description after answering');
  return { answer: sdp, uplink, slotTracks };
}
