import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { type BindingRequest, parseBindingRequest } from './stun-binding.ts';
import { createStunIntegrity, type StunIntegrity } from './stun-integrity.ts';

export type MuxAddress = readonly [string, number];

/**
 * One session's view of the shared socket: sends go out on it, `onCheck` gets the binding
 * requests addressed to this session, and `onData` every other datagram routed to it.
 */
export type UdpMuxEndpoint = {
  readonly ufrag: string;
  /** MESSAGE-INTEGRITY under the session's ICE password, keyed once for its checks and answers. */
  readonly integrity: StunIntegrity;
  closed: boolean;
  /** A binding request whose MESSAGE-INTEGRITY the mux verified under this session's password. */
  onCheck: (request: BindingRequest, from: MuxAddress) => void;
  onData: (data: Buffer, from: MuxAddress) => void;
  send(data: Buffer, to?: MuxAddress): Promise<void>;
  close(): Promise<void>;
};

export type UdpMuxStats = {
  /** Sessions attached. */
  endpoints: number;
  /** Remote addresses currently routed to a session. */
  routes: number;
  /** Datagrams that matched no session (unknown source or ufrag, failed integrity). */
  dropped: number;
};

type Entry = {
  endpoint: UdpMuxEndpoint;
  /** Route keys pointing at this entry, removed with it. */
  routes: Set<string>;
};

const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
/** Long enough that ufrags never collide within one socket; werift's own are 4 hex digits. */
const UFRAG_BYTES = 6;

function routeKey(address: string, port: number): string {
  return `${address}:${port}`;
}

/**
 * One UDP socket shared by every ICE session of a relay, as mediasoup's WebRtcServer and
 * LiveKit's UDP mux do. A STUN binding request is routed by the local ufrag in its USERNAME,
 * once its MESSAGE-INTEGRITY holds under that session's password, and its source address then
 * routes to the session; the first send of a session to an address nobody owns claims it too
 * (responses to the session's own checks carry no USERNAME). DTLS, SRTP and RTCP are routed by
 * source address only; anything else is dropped and counted.
 *
 * @param port UDP port to bind on every IPv4 interface; 0 takes any free port.
 */
export async function createUdpMux(port: number) {
  const socket = createSocket('udp4');
  const byUfrag = new Map<string, Entry>();
  const byAddress = new Map<string, Entry>();
  let dropped = 0;

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  // A failed send concerns one session's peer; the socket goes on serving the others.
  socket.on('error', () => {});
  // Every copy of a packet leaves through this one socket in one burst (native sends never
  // wait: a full send buffer drops the copy), and every listener's RTCP and checks arrive on it.
  // Linux caps these at net.core.wmem_max / rmem_max.
  socket.setSendBufferSize(SOCKET_BUFFER_BYTES);
  socket.setRecvBufferSize(SOCKET_BUFFER_BYTES);

  function route(key: string, entry: Entry): void {
    const previous = byAddress.get(key);
    if (previous === entry) return;
    previous?.routes.delete(key);
    byAddress.set(key, entry);
    entry.routes.add(key);
  }

  socket.on('message', (data, from) => {
    const key = routeKey(from.address, from.port);
    let entry: Entry | undefined;
    // STUN's first byte is 0-3 (RFC 7983); RTP, RTCP and DTLS never start below 20.
    const request = (data[0] ?? 255) < 2 ? parseBindingRequest(data) : undefined;
    if (request) {
      entry = byUfrag.get(request.localUfrag);
      if (!entry || !request.verify(entry.endpoint.integrity)) {
        dropped++;
        return;
      }
      route(key, entry);
      entry.endpoint.onCheck(request, [from.address, from.port]);
      return;
    }
    entry = byAddress.get(key);
    if (!entry) {
      dropped++;
      return;
    }
    entry.endpoint.onData(data, [from.address, from.port]);
  });

  function newUfrag(): string {
    let ufrag = randomBytes(UFRAG_BYTES).toString('hex');
    while (byUfrag.has(ufrag)) ufrag = randomBytes(UFRAG_BYTES).toString('hex');
    return ufrag;
  }

  return {
    /** The bound port, the same in every session's host candidate. */
    port: socket.address().port,
    socket,

    /**
     * Attaches a session whose ICE password is `password`; the endpoint's `ufrag` is unique on
     * this socket and must be the session's local username fragment.
     */
    attach(password: string): UdpMuxEndpoint {
      const ufrag = newUfrag();
      const endpoint: UdpMuxEndpoint = {
        ufrag,
        integrity: createStunIntegrity(password),
        closed: false,
        onCheck: () => {},
        onData: () => {},
        async send(data, to) {
          if (endpoint.closed) return;
          if (!to) throw new Error('A shared UDP socket needs a destination for every datagram.');
          const key = routeKey(to[0], to[1]);
          if (!byAddress.has(key)) route(key, entry);
          socket.send(data, to[1], to[0]);
        },
        async close() {
          if (endpoint.closed) return;
          endpoint.closed = true;
          if (byUfrag.get(ufrag) === entry) byUfrag.delete(ufrag);
          for (const key of entry.routes) {
            if (byAddress.get(key) === entry) byAddress.delete(key);
          }
          entry.routes.clear();
        },
      };
      const entry: Entry = { endpoint, routes: new Set() };
      byUfrag.set(ufrag, entry);
      return endpoint;
    },

    stats(): UdpMuxStats {
      return { endpoints: byUfrag.size, routes: byAddress.size, dropped };
    },

    /** Closes the socket; attached sessions can no longer send or receive. */
    close(): Promise<void> {
      return new Promise((resolve) => {
        socket.close(() => resolve());
      });
    },
  };
}

export type UdpMux = Awaited<ReturnType<typeof createUdpMux>>;
