import {
  RTCPeerConnection,
  type RTCRtpTransceiver,
  RtpHeader,
  RtpPacket,
  useAudioLevelIndication,
  useOPUS,
} from 'werift';

export type RtpSpeaker = {
  readonly answer: string;
  /** Resolves once the relay connection carries media. */
  connected(): Promise<void>;
  /**
   * Sends one RTP packet with exactly this sequence number (repeats, jumps and all), and the
   * RFC 6464 audio level byte (voice bit and -dBov) if given.
   */
  send(sequenceNumber: number, payload: Buffer, level?: number): void;
  close(): Promise<void>;
};

/**
 * A speaker that sends the relay whatever sequence numbers a test asks for, as a hostile or
 * broken client could: a werift peer whose microphone sends hand-made RTP packets.
 */
export async function connectRtpSpeaker(offer: string): Promise<RtpSpeaker> {
  const pc = new RTCPeerConnection({
    iceServers: [],
    iceUseIpv6: false,
    bundlePolicy: 'max-bundle',
    codecs: { audio: [useOPUS()] },
    headerExtensions: { audio: [useAudioLevelIndication()] },
  });
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  const microphone: RTCRtpTransceiver | undefined = pc.getTransceivers()[0];
  if (!microphone) throw new Error('the relay offered no microphone transceiver');
  microphone.setDirection('sendonly');
  await pc.setLocalDescription(await pc.createAnswer());
  const answer = pc.localDescription?.sdp ?? '';
  const levelId = Number(
    /^a=extmap:(\d+) urn:ietf:params:rtp-hdrext:ssrc-audio-level/m.exec(answer)?.[1],
  );
  let timestamp = 0;
  return {
    answer,
    async connected() {
      if (pc.connectionState === 'connected') return;
      await new Promise<void>((resolve) => {
        pc.connectionStateChange.subscribe((state) => {
          if (state === 'connected') resolve();
        });
      });
    },
    send(sequenceNumber, payload, level) {
      timestamp = (timestamp + 960) >>> 0;
      const header = new RtpHeader({ payloadType: 111, sequenceNumber, timestamp });
      if (level !== undefined && levelId > 0) {
        header.extension = true;
        header.extensions = [{ id: levelId, payload: Buffer.of(level) }];
      }
      microphone.sender.sendRtp(new RtpPacket(header, payload)).catch(() => {});
    },
    close: () => pc.close(),
  };
}
