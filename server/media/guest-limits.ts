import { AppError } from '../errors.ts';

export type GuestRelayLimits = {
  /** Relay sessions guests from one address may hold at once. @default 3 */
  perAddress: number;
  /** Relay sessions all guests together may hold on one instance. @default 500 */
  perInstance: number;
};

/** A guest (no account) asked for one relay session more than the server allows. */
export class GuestRelayLimitReached extends AppError {
  constructor(
    readonly scope: 'ADDRESS' | 'SERVER',
    readonly limit: number,
  ) {
    super(
      scope === 'ADDRESS'
        ? `Listening without an account is limited to ${limit} connections from one address; sign in to listen on more.`
        : 'This server is at its limit of listeners without an account; sign in to listen.',
    );
  }
}

/**
 * Whom an address stands for: an IPv4 address itself, an IPv6 address its /64 (one subscriber
 * usually holds a whole /64, so per-address limits would not hold otherwise).
 */
export function addressKey(ip: string): string {
  const address = (ip.startsWith('::ffff:') ? ip.slice('::ffff:'.length) : ip).split('%')[0] ?? '';
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill('0');
  const groups = [...left, ...zeros, ...right].slice(0, 4);
  return `${groups.map((group) => Number.parseInt(group || '0', 16).toString(16)).join(':')}::/64`;
}

/**
 * Counts guests' relay sessions per address and in all, including ones still being opened, so
 * concurrent requests cannot all slip under a limit.
 */
export function createGuestCounter(limits: GuestRelayLimits) {
  const byAddress = new Map<string, number>();
  let total = 0;

  const add = (address: string, delta: number) => {
    const next = (byAddress.get(address) ?? 0) + delta;
    if (next > 0) byAddress.set(address, next);
    else byAddress.delete(address);
    total += delta;
  };

  return {
    /** Takes a place for `address`, or throws GuestRelayLimitReached; release it when done. */
    reserve(ip: string) {
      const address = addressKey(ip);
      if ((byAddress.get(address) ?? 0) >= limits.perAddress) {
        throw new GuestRelayLimitReached('ADDRESS', limits.perAddress);
      }
      if (total >= limits.perInstance) {
        throw new GuestRelayLimitReached('SERVER', limits.perInstance);
      }
      add(address, 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        add(address, -1);
      };
    },
    count: () => total,
  };
}
