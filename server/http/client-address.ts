import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

/**
 * The header the HTTP server sets (replacing any a client sent) to hand the client address to
 * code that reads only headers (better-auth's rate limiter and sessions).
 */
export const CLIENT_ADDRESS_HEADER = 'x-amphi-client-address';

/** What a request's client address is when the socket has already gone. */
export const UNKNOWN_ADDRESS = 'unknown';

/**
 * Whether every entry is an IP address or CIDR range that `TRUSTED_PROXIES` accepts; returns the
 * entries that are not.
 */
export function invalidProxyEntries(entries: string[]): string[] {
  return entries.filter((entry) => {
    try {
      proxyAddr.compile(entry);
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * Finds who is calling: the socket's peer, unless that peer is one of `trustedProxies` (IPs or
 * CIDR ranges); then `X-Forwarded-For` is walked right to left, past every trusted hop, to the
 * first address no trusted proxy vouches for. IPv4-mapped IPv6 addresses come out as IPv4.
 */
export function createClientAddress(trustedProxies: string[]) {
  const trust = trustedProxies.length > 0 ? proxyAddr.compile(trustedProxies) : () => false;
  return (req: IncomingMessage): string => {
    if (!req.socket?.remoteAddress) return UNKNOWN_ADDRESS;
    const chain = proxyAddr.all(req, trust);
    // A trusted hop's own entry is the one it appended; a client-written entry that is not an
    // address at all is answered with the hop that forwarded it.
    for (let i = chain.length - 1; i >= 0; i--) {
      const address = chain[i];
      if (address && ipaddr.isValid(address)) return ipaddr.process(address).toString();
    }
    return UNKNOWN_ADDRESS;
  };
}

export type ClientAddress = ReturnType<typeof createClientAddress>;

/** Sets `CLIENT_ADDRESS_HEADER` on the request to its client address; whatever came in is gone. */
export function stampClientAddress(req: IncomingMessage, clientAddress: ClientAddress) {
  req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(req);
  return req;
}

/**
 * The unit rate limits count by: an IPv4 address, or an IPv6 address's /64 (one subscriber's
 * network, which hands its hosts as many addresses as they like).
 */
export function limitGroupOf(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const groups = parsed.toNormalizedString().split(':').slice(0, 4);
  return `${groups.map((group) => Number.parseInt(group, 16).toString(16)).join(':')}::/64`;
}
