import { RtpPacket } from 'werift';

/**
 * A publisher's RTP packet piped between relay workers as one loopback UDP datagram: the space and
 * the publisher (each a length byte and UTF-8), then the packet as the publisher sent it, already
 * decrypted by the receiving worker; each worker encrypts it again for its own listeners.
 */
export type PipedPacket = { spaceId: string; participantId: string; packet: RtpPacket };

function field(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > 255) throw new RangeError('A piped id is longer than 255 bytes.');
  return Buffer.concat([Buffer.of(bytes.length), bytes]);
}

export function encodePipedPacket({ spaceId, participantId, packet }: PipedPacket): Buffer {
  return Buffer.concat([field(spaceId), field(participantId), packet.serialize()]);
}

/** Parses a datagram; undefined for anything that is not a well-formed piped packet. */
export function decodePipedPacket(datagram: Buffer): PipedPacket | undefined {
  const spaceLength = datagram[0];
  if (spaceLength === undefined) return undefined;
  const participantAt = 1 + spaceLength;
  const participantLength = datagram[participantAt];
  if (participantLength === undefined) return undefined;
  const packetAt = participantAt + 1 + participantLength;
  // 12 bytes: the fixed RTP header.
  if (datagram.length < packetAt + 12) return undefined;
  try {
    return {
      spaceId: datagram.toString('utf8', 1, participantAt),
      participantId: datagram.toString('utf8', participantAt + 1, packetAt),
      packet: RtpPacket.deSerialize(datagram.subarray(packetAt)),
    };
  } catch {
    return undefined;
  }
}
