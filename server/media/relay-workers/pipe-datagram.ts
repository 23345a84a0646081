import type { ForwardedRtp } from '../relay/forwarded-rtp.ts';

/**
 * A publisher's RTP packet piped between relay workers as one UDP datagram: the space, the
 * publisher and its audio level extension's payload (each a length byte and its bytes), then what
 * the relay forwards of the packet, already decrypted by the receiving worker: a flags byte (the
 * marker bit), the sequence number, timestamp and SSRC, and the payload. Each worker encrypts it
 * again for its own listeners. The level travels apart because the extension's id belongs to the
 * publisher's negotiation with the first worker; the packet's other header fields are not
 * forwarded by any worker, so they are not piped, and neither end builds a werift RtpPacket.
 */
export type PipedPacket = {
  spaceId: string;
  participantId: string;
  /** The RFC 6464 extension's payload, if the publisher sent one. */
  levelPayload: Buffer | undefined;
  packet: ForwardedRtp;
};

/** Flags (1), sequence number (2), timestamp (4), SSRC (4). */
const HEADER_BYTES = 11;
const MARKER = 0x80;

function writeField(datagram: Buffer, at: number, bytes: Buffer): number {
  if (bytes.length > 255) throw new RangeError('A piped field is longer than 255 bytes.');
  datagram[at] = bytes.length;
  bytes.copy(datagram, at + 1);
  return at + 1 + bytes.length;
}

export function encodePipedPacket(piped: PipedPacket): Buffer {
  const spaceId = Buffer.from(piped.spaceId, 'utf8');
  const participantId = Buffer.from(piped.participantId, 'utf8');
  const level = piped.levelPayload ?? Buffer.alloc(0);
  const { header, payload } = piped.packet;
  const datagram = Buffer.allocUnsafe(
    3 + spaceId.length + participantId.length + level.length + HEADER_BYTES + payload.length,
  );
  let at = writeField(datagram, 0, spaceId);
  at = writeField(datagram, at, participantId);
  at = writeField(datagram, at, level);
  datagram[at] = header.marker ? MARKER : 0;
  datagram.writeUInt16BE(header.sequenceNumber, at + 1);
  datagram.writeUInt32BE(header.timestamp >>> 0, at + 3);
  datagram.writeUInt32BE(header.ssrc >>> 0, at + 7);
  payload.copy(datagram, at + HEADER_BYTES);
  return datagram;
}

/**
 * The space and participant fields a piped packet starts with, as piped: what names its
 * publisher for the addon's routes (pipe_route.c). Undefined if the datagram is shorter.
 */
export function pipedPublisherKey(datagram: Buffer): Buffer | undefined {
  const spaceLength = datagram[0];
  if (spaceLength === undefined) return undefined;
  const participantLength = datagram[1 + spaceLength];
  if (participantLength === undefined) return undefined;
  const end = 2 + spaceLength + participantLength;
  return end <= datagram.length ? datagram.subarray(0, end) : undefined;
}

/**
 * Parses a datagram; undefined for anything that is not a well-formed piped packet. The level
 * and payload are views of `datagram`, which must not be reused.
 */
export function decodePipedPacket(datagram: Buffer): PipedPacket | undefined {
  const spaceLength = datagram[0];
  if (spaceLength === undefined) return undefined;
  const participantAt = 1 + spaceLength;
  const participantLength = datagram[participantAt];
  if (participantLength === undefined) return undefined;
  const levelAt = participantAt + 1 + participantLength;
  const levelLength = datagram[levelAt];
  if (levelLength === undefined) return undefined;
  const headerAt = levelAt + 1 + levelLength;
  if (datagram.length < headerAt + HEADER_BYTES) return undefined;
  return {
    spaceId: datagram.toString('utf8', 1, participantAt),
    participantId: datagram.toString('utf8', participantAt + 1, levelAt),
    levelPayload: levelLength === 0 ? undefined : datagram.subarray(levelAt + 1, headerAt),
    packet: {
      header: {
        marker: ((datagram[headerAt] ?? 0) & MARKER) !== 0,
        sequenceNumber: datagram.readUInt16BE(headerAt + 1),
        timestamp: datagram.readUInt32BE(headerAt + 3),
        ssrc: datagram.readUInt32BE(headerAt + 7),
      },
      payload: datagram.subarray(headerAt + HEADER_BYTES),
    },
  };
}
