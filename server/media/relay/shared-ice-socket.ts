import {
  Candidate,
  candidateFoundation,
  candidatePriority,
  getHostAddresses,
  type RTCPeerConnection,
  StunProtocol,
} from 'werift';
import type { UdpMux } from './udp-mux.ts';

/*
 * werift 0.24 has no option to hand a peer connection a socket (its issue #650 proposes one), so
 * this module is the one place that reaches into its ICE agent: `Connection.protocols` and
 * `ensureProtocol`, and `StunProtocol.datagramReceived`, private in its .d.ts. They are checked
 * at run time, and shared-ice-socket.test.ts fails if werift changes them.
 *
 * The trick: before gathering, the connection is given a host protocol for the relay's address
 * whose transport is the shared socket. werift gathers host candidates only for addresses it has
 * no protocol for, and is limited to that address (`iceInterfaceAddresses`), so it binds no
 * socket of its own for host candidates; TURN, if configured, still gets its own client socket.
 */

type IceInternals = {
  localUsername: string;
  localPassword: string;
  userHistory: Record<string, string>;
  generation: number;
  protocols: unknown[];
  ensureProtocol(protocol: StunProtocol): void;
};

type ProtocolInternals = { datagramReceived(data: Buffer, from: readonly [string, number]): void };

function isIceInternals(value: unknown): value is IceInternals {
  const connection = value as Partial<IceInternals> | undefined;
  return (
    typeof connection?.localUsername === 'string' &&
    typeof connection.localPassword === 'string' &&
    typeof connection.userHistory === 'object' &&
    typeof connection.generation === 'number' &&
    Array.isArray(connection.protocols) &&
    typeof connection.ensureProtocol === 'function'
  );
}

function isProtocolInternals(value: unknown): value is ProtocolInternals {
  return typeof (value as Partial<ProtocolInternals>).datagramReceived === 'function';
}

/**
 * The IPv4 address the relay's host candidates carry: the first one werift would gather on.
 * With several interfaces, set the relay's announced address to the one clients reach.
 */
export function hostAddress(): string | undefined {
  return getHostAddresses(true, false)[0];
}

/**
 * Puts a peer connection's ICE on the shared socket. Call it after the transceivers are added
 * and before the offer is created; the peer connection must use `max-bundle` and
 * `iceInterfaceAddresses: { udp4: address }`.
 */
export function useSharedSocket(pc: RTCPeerConnection, mux: UdpMux, address: string): void {
  for (const iceTransport of pc.iceTransports) {
    const connection: unknown = iceTransport.connection;
    const protocol = new StunProtocol();
    const receiver: unknown = protocol;
    if (!isIceInternals(connection) || !isProtocolInternals(receiver)) {
      throw new Error('werift changed its ICE internals; the shared UDP socket cannot attach.');
    }
    const endpoint = mux.attach(connection.localPassword);
    connection.localUsername = endpoint.ufrag;
    connection.userHistory[endpoint.ufrag] = connection.localPassword;
    connection.ensureProtocol(protocol);
    endpoint.onData = (data, from) => receiver.datagramReceived(data, from);
    // The endpoint has the fields of UdpTransport that StunProtocol and srtp-egress.ts use.
    Object.assign(protocol, { transport: endpoint, localIp: address });
    protocol.localCandidate = new Candidate(
      candidateFoundation('host', 'udp', address),
      1,
      'udp',
      candidatePriority('host', { transport: 'udp' }),
      address,
      mux.port,
      'host',
      undefined,
      undefined,
      undefined,
      connection.generation,
      endpoint.ufrag,
    );
    connection.protocols.push(protocol);
  }
}
