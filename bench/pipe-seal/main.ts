/**
 * What sealing the relay pipe costs: per piped datagram (an 80-byte Opus frame with the space and
 * publisher ids), encoding it alone, then sealing and opening it (AES-256-GCM, replay window).
 * A datagram is sealed once per other worker holding the space and opened once where it lands.
 * The peer figure: protecting one listener's copy as SRTP does (AES-128-CTR + HMAC-SHA1,
 * bench/relay/srtp-like.ts), which every forwarded copy costs anyway.
 *
 *   npm run bench -- pipe-seal [--datagrams=200000]
 */
import { RtpHeader, RtpPacket } from 'werift';
import { encodePipedPacket } from '../../server/media/relay-workers/pipe-datagram.ts';
import {
  createPipeKey,
  createPipeOpener,
  createPipeSealer,
} from '../../server/media/relay-workers/pipe-seal.ts';
import { protect, randomKeys } from '../relay/srtp-like.ts';

const option = (name: string, fallback: number) =>
  Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const DATAGRAMS = option('datagrams', 200_000);

const packet = (sequenceNumber: number) =>
  new RtpPacket(
    new RtpHeader({ payloadType: 111, sequenceNumber, timestamp: sequenceNumber * 960, ssrc: 7 }),
    Buffer.alloc(80, sequenceNumber),
  );
const piped = (sequenceNumber: number) => ({
  spaceId: 'cm9x0space0000000000000000',
  participantId: 'cm9x0participant0000000000',
  levelPayload: Buffer.of(0x9e),
  packet: packet(sequenceNumber & 0xffff),
});

function microseconds(work: (index: number) => void): number {
  for (let index = 0; index < 10_000; index++) work(index);
  const started = process.hrtime.bigint();
  for (let index = 0; index < DATAGRAMS; index++) work(index);
  return Number(process.hrtime.bigint() - started) / 1e3 / DATAGRAMS;
}

const key = createPipeKey();
const seal = createPipeSealer(key, 1);
const open = createPipeOpener(key);
const keys = randomKeys();
const rtp = packet(1).serialize();

const encodeOnly = microseconds((index) => encodePipedPacket(piped(index)));
const sealed = microseconds((index) => {
  if (!open(seal(encodePipedPacket(piped(index))))) throw new Error('a sealed datagram failed');
});
const srtpCopy = microseconds(() => protect('ctr-hmac', rtp, keys));

console.log(`bench/pipe-seal: ${DATAGRAMS} datagrams of an 80-byte frame, one core`);
console.log(`encode only:           ${encodeOnly.toFixed(2)} µs per datagram`);
console.log(`encode, seal and open: ${sealed.toFixed(2)} µs per datagram`);
console.log(
  `sealing adds ${(sealed - encodeOnly).toFixed(2)} µs per datagram piped; peer: one listener's SRTP-like copy ${srtpCopy.toFixed(2)} µs`,
);
