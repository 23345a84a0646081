import { Agent } from 'node:http';

/**
 * The loopback address person `index` connects from: a crowd comes from many addresses, and
 * Amphi's per-address limits (3 sign-ups per 10 s, mutations per minute) count each apart, as
 * they would count people on different networks. 127.1.0.1 to 127.1.x.250; the host and the
 * subscribers stay on 127.0.0.1.
 */
export function addressOf(index: number): string {
  return `127.1.${Math.floor(index / 250)}.${(index % 250) + 1}`;
}

/** One connection per request (a crowd's browsers share none), from the person's own address. */
export function agentOf(index: number): Agent {
  return new Agent({ keepAlive: false, localAddress: addressOf(index) });
}
