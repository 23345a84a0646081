import { getHostAddresses } from 'werift';

/**
 * The IPv4 address the relay's host candidate carries: the first non-internal interface's. With
 * several interfaces, set the relay's announced address to the one clients reach.
 */
export function hostAddress(): string | undefined {
  return getHostAddresses(true, false)[0];
}
