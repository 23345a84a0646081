import type { BindingRequest } from './stun-binding.ts';
import { bindingSuccess } from './stun-binding-response.ts';
import type { MuxAddress, UdpMuxEndpoint } from './udp-mux.ts';

/** RFC 7675: consent expires 30 s after the last check the client sent. */
const CONSENT_TIMEOUT_MS = 30_000;
const CONSENT_SWEEP_MS = 5_000;

type ConsentWatch = { lastCheckAt: number; onExpired(): void };

/**
 * Every watched agent of this process, swept by one timer: a timer per session woke a relay
 * holding a thousand listeners 200 times a second to find nothing due.
 */
const watched = new Set<ConsentWatch>();
let sweep: NodeJS.Timeout | undefined;

function sweepConsent(): void {
  const now = Date.now();
  for (const watch of watched) {
    if (now - watch.lastCheckAt <= CONSENT_TIMEOUT_MS) continue;
    unwatchConsent(watch);
    watch.onExpired();
  }
}

function watchConsent(watch: ConsentWatch): void {
  watched.add(watch);
  if (sweep) return;
  sweep = setInterval(sweepConsent, CONSENT_SWEEP_MS);
  sweep.unref();
}

function unwatchConsent(watch: ConsentWatch): void {
  watched.delete(watch);
  if (watched.size > 0) return;
  clearInterval(sweep);
  sweep = undefined;
}

export type IceLiteEvents = {
  /** The client's address the relay sends to changed (first check, or a nomination). */
  onSelected(address: MuxAddress): void;
  /** No check came for 30 s: the client is gone or its path is. */
  onExpired(): void;
};

/**
 * The relay's side of ICE as a lite agent (RFC 8445 §2.5) on the shared socket: it answers the
 * client's binding requests (the mux has already checked their MESSAGE-INTEGRITY) and sends to
 * the address the client nominated, or, until it nominates, to the first one it checked from. Consent
 * (RFC 7675) is the client's checks arriving: browsers send one every ~5 s.
 */
export function createIceLite(endpoint: UdpMuxEndpoint, events: IceLiteEvents) {
  let selected: MuxAddress | undefined;
  const consent: ConsentWatch = { lastCheckAt: Date.now(), onExpired: () => events.onExpired() };

  function select(address: MuxAddress): void {
    if (selected?.[0] === address[0] && selected[1] === address[1]) return;
    selected = address;
    events.onSelected(address);
  }

  return {
    get selected(): MuxAddress | undefined {
      return selected;
    },

    /** Answers a binding request from `from` whose integrity the mux verified. */
    receive(request: BindingRequest, from: MuxAddress): void {
      const response = bindingSuccess(request.transactionId, from, endpoint.integrity);
      if (!response) return;
      void endpoint.send(response, from);
      consent.lastCheckAt = Date.now();
      // A client that never nominates (werift answering as the controlled agent) keeps the
      // address it first checked from, where its DTLS comes from.
      if (request.nominates || !selected) select(from);
    },

    /** Starts counting consent: from now, 30 s without a check expires the session. */
    watchConsent(): void {
      if (watched.has(consent)) return;
      consent.lastCheckAt = Date.now();
      watchConsent(consent);
    },

    close(): void {
      unwatchConsent(consent);
    },
  };
}

export type IceLite = ReturnType<typeof createIceLite>;
