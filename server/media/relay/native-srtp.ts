import type { Socket } from 'node:dgram';
import { createRequire } from 'node:module';
import type { NativeDtls } from './native-dtls.ts';

/** A listener's SRTP session keyed in OpenSSL, bound to a socket and a destination. */
export type NativeSrtpSender = { readonly brand: unique symbol };
/** A slot's senders read once by the addon (senderList), for sendBatch and pipe routes. */
export type NativeSenderList = { readonly brand: unique symbol };

/** A pool pipe key keyed into OpenSSL contexts, for sealing and opening (pipe_seal.c). */
export type NativePipeCipher = { readonly brand: unique symbol };

/** A bound pipe socket's own duplicate of its descriptor, for sending sealed datagrams. */
export type NativePipeOut = { readonly brand: unique symbol };

/** A pipe socket read by the addon (pipe_receive.c), through its own duplicate of the descriptor. */
export type NativePipeReceiver = { readonly brand: unique symbol };

/** Datagrams a native pipe receiver opened, and dropped by reason. */
export type NativePipeReceiverStats = {
  received: number;
  forged: number;
  replayed: number;
  oversized: number;
};

/** The addon's sealing of datagrams piped between relay workers (see pipe-seal.ts). */
export type NativePipeSeal = {
  createPipeCipher(key: Uint8Array): NativePipeCipher;
  /** The datagram: `header` (12 bytes, the nonce) · ciphertext · tag. */
  sealPipe(cipher: NativePipeCipher, header: Buffer, body: Buffer): Buffer;
  /** The body, or null for a datagram that is short or fails its tag. */
  openPipe(cipher: NativePipeCipher, datagram: Buffer): Buffer | null;
  /** Sends on the bound socket whose descriptor is `fd` (through a duplicate of it). */
  createPipeOut(fd: number): NativePipeOut;
  /** Closes the duplicate now; later sends on it return false. */
  closePipeOut(out: NativePipeOut): void;
  /**
   * The socket address of `host` (an IP literal) as bytes, as a socket of the given family sends
   * to it (IPv4 hosts by their IPv4-mapped address from an IPv6 socket); null for a host name or
   * an IPv6 host from an IPv4 socket.
   */
  pipeAddress(host: string, port: number, ipv6Socket: boolean): Buffer | null;
  /** Seals as sealPipe and sends to `address` without waiting; true if the kernel took it. */
  sendPipe(
    cipher: NativePipeCipher,
    out: NativePipeOut,
    header: Buffer,
    body: Buffer,
    address: Buffer,
  ): boolean;
  /**
   * Reads the bound socket whose descriptor is `fd` in batches, whenever it is readable, and
   * calls `onDatagrams` once a batch with the bodies that opened under `cipher` and were not seen
   * before: each as sender id (4 bytes) · body length (2) · body, in `length` bytes of `batch`.
   */
  createPipeReceiver(
    fd: number,
    cipher: NativePipeCipher,
    onDatagrams: (batch: Buffer, length: number) => void,
  ): NativePipeReceiver;
  /** Stops reading and closes the receiver's descriptor now. */
  closePipeReceiver(receiver: NativePipeReceiver): void;
  pipeReceiverStats(receiver: NativePipeReceiver): NativePipeReceiverStats;
  /**
   * Lets the receiver forward the piped packets from `senderId` whose space and participant
   * fields are `key` itself, to a slot's listeners, until JavaScript disarms the lane
   * (pipe_route.c; space.ts `routeFor` gives the rest, `now` is performance.now()).
   */
  armPipeRoute(
    receiver: NativePipeReceiver,
    senderId: number,
    key: Buffer,
    laneState: Float64Array,
    streamState: Float64Array,
    sent: Float64Array,
    senders: NativeSenderList,
    sourceTag: number,
    now: number,
  ): void;
  /** Forgets every route: all piped packets go to JavaScript until some are armed again. */
  forgetPipeRoutes(receiver: NativePipeReceiver): void;
};

/** An ICE password keyed into an OpenSSL HMAC context (stun_integrity.c). */
export type NativeStunKey = { readonly brand: unique symbol };

/** The addon's STUN MESSAGE-INTEGRITY (see stun-integrity.ts). */
export type NativeStun = {
  createStunIntegrity(password: Buffer): NativeStunKey;
  /** Whether the value after the attribute header at `integrityAt` holds. */
  verifyStun(key: NativeStunKey, message: Buffer, integrityAt: number): boolean;
  /** Writes the value after the attribute header at `integrityAt`. */
  signStun(key: NativeStunKey, message: Buffer, integrityAt: number): void;
};

/** Profile numbers as in werift (RFC 5764, RFC 7714); 0 sends unprotected (benchmarks only). */
export const NATIVE_PROFILES = { plain: 0, aesCm128HmacSha1_80: 1, aeadAes128Gcm: 7 } as const;

type Binding = NativePipeSeal &
  NativeDtls &
  NativeStun & {
    createSender(
      fd: number,
      address: string,
      port: number,
      profile: number,
      key: Buffer,
      salt: Buffer,
      authKey: Buffer | null,
      ssrc: number,
      payloadType: number,
      levelId: number,
      /** The slot's roll-over counter at this session's first packet, its roll-over counter 0. */
      rolloverBase: number,
    ): NativeSrtpSender;
    /**
     * Sends one packet to the first `count` senders; returns the copies the kernel took. A sender
     * skips a late packet from before its first roll-over (its index would be negative).
     */
    sendBatch(
      senders: readonly (NativeSrtpSender | undefined)[] | NativeSenderList,
      count: number,
      marker: boolean,
      sequenceNumber: number,
      rolloverCounter: number,
      timestamp: number,
      payload: Buffer,
      levelPayload: Buffer | undefined,
    ): number;
    /**
     * The senders as the addon reads them, once: sendBatch then reads no JavaScript array per
     * copy (a property read per listener, ~4% of a copy's cost). It keeps them alive.
     */
    senderList(senders: readonly NativeSrtpSender[]): NativeSenderList;
    /** Closes the sender's own duplicate of the socket; later copies to it are dropped. */
    close(sender: NativeSrtpSender): void;
  };

function load(): { binding?: Binding; problem?: string } {
  try {
    const require = createRequire(import.meta.url);
    return { binding: require('./native/build/Release/srtp_sender.node') as Binding };
  } catch (error) {
    return { problem: error instanceof Error ? error.message.split('\n')[0] : String(error) };
  }
}

const loaded = load();

/**
 * The native SRTP sender (server/media/relay/native, built by `npm install` when a C compiler is
 * there), or undefined: the relay then protects and sends copies in JavaScript, at about a third
 * of the listeners per core.
 */
export const nativeSrtp: Binding | undefined = loaded.binding;
/** The same addon's pipe sealing, or undefined where it is not built. */
export const nativePipeSeal: NativePipeSeal | undefined = loaded.binding;
/** The same addon's DTLS (OpenSSL's), or undefined where it is not built. */
export const nativeDtls: NativeDtls | undefined = loaded.binding;
/** The same addon's STUN MESSAGE-INTEGRITY, or undefined where it is not built. */
export const nativeStun: NativeStun | undefined = loaded.binding;
/** Why the native sender could not be loaded, if it could not. */
export const nativeSrtpProblem: string | undefined = loaded.problem;

type Handle = { fd?: unknown };
let stateSymbol: symbol | undefined;

/**
 * The libuv handle of a bound dgram socket, or undefined once it is closed. Node keeps it in the
 * socket's internal state (`_handle` is the deprecated way to it); its `fd` is the OS socket.
 * The relay's one read of another library's private state, and unavoidable: Node has no public
 * way to a dgram socket's descriptor, and the copies must leave from the ICE pair's own socket.
 * native-srtp.test.ts fails if Node changes it (the relay would then forward in JavaScript).
 */
export function udpHandle(socket: Socket): Handle | undefined {
  stateSymbol ??= Object.getOwnPropertySymbols(socket).find(
    (symbol) => symbol.description === 'state symbol',
  );
  if (!stateSymbol) return undefined;
  const state = (socket as unknown as Record<symbol, { handle?: Handle | null } | undefined>)[
    stateSymbol
  ];
  return state?.handle ?? undefined;
}

/** The socket's descriptor, when it is open and Node exposes it. */
export function udpDescriptor(handle: Handle | undefined): number | undefined {
  const fd = handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/** Copies of one incoming packet waiting to be sent natively, filled by the listeners' egresses. */
export type NativeBatch = { senders: (NativeSrtpSender | undefined)[]; count: number };

export function createNativeBatch(): NativeBatch {
  return { senders: [], count: 0 };
}

/** Sends the batched copies of `packet` and empties the batch; returns the copies the kernel took. */
export function sendNativeBatch(
  batch: NativeBatch,
  packet: {
    marker: boolean;
    sequenceNumber: number;
    rolloverCounter: number;
    timestamp: number;
    payload: Buffer;
    levelPayload: Buffer | undefined;
  },
): number {
  const { senders, count } = batch;
  batch.count = 0;
  if (count === 0 || !nativeSrtp) return 0;
  try {
    return nativeSrtp.sendBatch(
      senders,
      count,
      packet.marker,
      packet.sequenceNumber,
      packet.rolloverCounter,
      packet.timestamp,
      packet.payload,
      packet.levelPayload,
    );
  } finally {
    // Closed sessions' senders are freed once nothing refers to them.
    senders.fill(undefined, 0, count);
  }
}
