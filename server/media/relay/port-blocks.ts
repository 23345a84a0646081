import { networkInterfaces } from 'node:os';

/** An inclusive UDP port range handed to one peer connection. */
export type PortBlock = [number, number];

/**
 * Splits the ICE port range into disjoint blocks, one per peer connection.
 *
 * werift picks a port by probing the range from its start (findPort in
 * werift/lib/common/src/network.js): it binds a probe socket, closes it, then binds the real one.
 * Peer connections gathering at the same time can pick the same port in between, and the losing
 * bind emits 'error' on a socket without an error listener (UdpTransport in
 * werift/lib/common/src/transport.js), which crashes the process. The scan from the start also
 * makes every open cost one probe per port already in use. Disjoint blocks avoid both.
 */
export function createPortBlocks([min, max]: [number, number], blockSize: number) {
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65_535) {
    throw new RangeError(`Invalid ICE port range ${min}-${max}.`);
  }
  // werift refuses a range whose ends are equal.
  const size = Math.max(2, blockSize);
  const free: PortBlock[] = [];
  for (let start = min; start + size - 1 <= max; start += size) {
    free.push([start, start + size - 1]);
  }
  if (free.length === 0) {
    throw new RangeError(`ICE port range ${min}-${max} holds no block of ${size} ports.`);
  }

  return {
    /** A free block, or undefined when the range is exhausted. */
    take(): PortBlock | undefined {
      return free.shift();
    },

    /** Returns a block; it is reused last, giving the kernel time to release its sockets. */
    give(block: PortBlock): void {
      free.push(block);
    },
  };
}

export type PortBlocks = ReturnType<typeof createPortBlocks>;

/**
 * Ports one peer connection may bind: werift binds one socket per IPv4 interface address plus one
 * for TURN, and one spare covers a port held by another process.
 */
export function portsPerPeer(usesTurn: boolean): number {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((info) => info && info.family === 'IPv4' && !info.internal);
  return addresses.length + (usesTurn ? 1 : 0) + 1;
}
