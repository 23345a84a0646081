import { createSocket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';

const EVERY_INTERFACE = new Set(['0.0.0.0', '::']);

function hasIpv6(): boolean {
  return Object.values(networkInterfaces()).some((addresses) =>
    addresses?.some((address) => address.family === 'IPv6'),
  );
}

/**
 * A worker's pipe socket. Bound on every interface, it is one dual-stack socket, so a cascade
 * may span hosts reached over IPv4 and hosts reached over IPv6: an IPv6 socket sends to an IPv4
 * host by its IPv4-mapped address (the plain one fails with EINVAL, silently without a callback).
 * On a host without IPv6 it is an IPv4 socket. Bound on one address, it has that address's family.
 */
export function createPipeSocket(bindAddress: string) {
  const dualStack = EVERY_INTERFACE.has(bindAddress) && hasIpv6();
  const ipv6 = dualStack || (bindAddress.includes(':') && !EVERY_INTERFACE.has(bindAddress));
  const socket = createSocket({ type: ipv6 ? 'udp6' : 'udp4', ipv6Only: false });
  return {
    socket,
    /** An IPv6 socket (dual-stack where bound on every interface). */
    ipv6,
    /** Where to bind: the address asked for, both families at once where that can be. */
    bindAddress: dualStack ? '::' : EVERY_INTERFACE.has(bindAddress) ? '0.0.0.0' : bindAddress,
    send(datagram: Buffer, port: number, host: string): void {
      socket.send(datagram, port, ipv6 && isIPv4(host) ? `::ffff:${host}` : host);
    },
  };
}

export type PipeSocket = ReturnType<typeof createPipeSocket>;
