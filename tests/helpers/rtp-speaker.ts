import { RTCPeerConnection, type RTCRtpTransceiver, RtpHeader, RtpPacket, useOPUS } from 'werift';

export type RtpSpeaker = {
  readonly answer: string;
  /** Resolves once the relay connection carries media. */
  connected(): Promise<void>;
  /** Sends one RTP packet with exactly this sequence number (repeats, jumps and all). */
  send(sequenceNumber: number, payload: Buffer): void;
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
  });
  await pc.setRemoteDescription({ type: 'offer', sdp: offer });
  const microphone: RTCRtpTransceiver | undefined = pc.getTransceivers()[0];
  if (!microphone) throw new Error('the relay offered no microphone transceiver');
  microphone.setDirection('sendonly');
  await pc.setLocalDescription(await pc.createAnswer());
  let timestamp = 0;
  return {
    answer: pc.localDescription?.sdp ?? '',
    async connected() {
      if (pc.connectionState === 'connected') return;
      await new Promise<void>((resolve) => {
        pc.connectionStateChange.subscribe((state) => {
          if (state === 'connected') resolve();
        });
      });
    },
    send(sequenceNumber, payload) {
      timestamp = (timestamp + 960) >>> 0;
      const header = new RtpHeader({ payloadType: 111, sequenceNumber, timestamp });
      microphone.sender.sendRtp(new RtpPacket(header, payload)).catch(() => {});
    },
    close: () => pc.close(),
  };
}
