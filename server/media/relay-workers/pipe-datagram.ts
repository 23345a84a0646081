import { RtpPacket } from 'werift';

/**
 * A publisher's RTP packet piped between relay workers as one loopback UDP datagram: the space,
 * the publisher and its audio level extension's payload (each a length byte and its bytes), then
 * the packet as the publisher sent it, already decrypted by the receiving worker; each worker
 * encrypts it again for its own listeners. The level travels apart because the extension's id
 * belongs to the publisher's negotiation with the first worker.
 */
export type PipedPacket = {
  spaceId: string;
  participantId: string;
  /** The RFC 6464 extension's payload, if the publisher sent one. */
  levelPayload: Buffer | undefined;
  packet: RtpPacket;
};

function field(bytes: Buffer): Buffer {
  if (bytes.length > 255) throw new RangeError('A piped field is longer than 255 bytes.');
  return Buffer.concat([Buffer.of(bytes.length), bytes]);
}

export function encodePipedPacket(piped: PipedPacket): Buffer {
  return Buffer.concat([
    field(Buffer.from(piped.spaceId, 'utf8')),
    field(Buffer.from(piped.participantId, 'utf8')),
    field(piped.levelPayload ?? Buffer.alloc(0)),
    piped.packet.serialize(),
  ]);
}

/** Parses a datagram; undefined for anything that is not a well-formed piped packet. */
export function decodePipedPacket(datagram: Buffer): PipedPacket | undefined {
  const spaceLength = datagram[0];
  if (spaceLength === undefined) return undefined;
  const participantAt = 1 + spaceLength;
  const participantLength = datagram[participantAt];
  if (participantLength === undefined) return undefined;
  const levelAt = participantAt + 1 + participantLength;
  const levelLength = datagram[levelAt];
  if (levelLength === undefined) return undefined;
  const packetAt = levelAt + 1 + levelLength;
  // 12 bytes: the fixed RTP header.
  if (datagram.length < packetAt + 12) return undefined;
  try {
    return {
      spaceId: datagram.toString('utf8', 1, participantAt),
      participantId: datagram.toString('utf8', participantAt + 1, levelAt),
      levelPayload:
        levelLength === 0 ? undefined : Buffer.from(datagram.subarray(levelAt + 1, packetAt)),
      packet: RtpPacket.deSerialize(datagram.subarray(packetAt)),
    };
  } catch {
    return undefined;
  }
}
