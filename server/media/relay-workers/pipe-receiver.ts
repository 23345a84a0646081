import {
  type NativePipeReceiver,
  nativePipeSeal,
  udpDescriptor,
  udpHandle,
} from '../relay/native-srtp.ts';
import type { PipedRoute } from '../relay/space.ts';
import { createPipeOpener, type PipeDropReason } from './pipe-seal.ts';
import type { PipeSocket } from './pipe-socket.ts';

/** A piped packet is one RTP packet and a few ids: anything longer is no worker's. */
export const MAX_PIPE_DATAGRAM = 2048;
/** In each opened datagram of a native batch: sender id (4 bytes) and body length (2). */
const ENTRY_HEADER = 6;

/** Datagrams opened, and dropped by reason, since the receiver started. */
export type PipeReceiverStats = Record<'received' | PipeDropReason | 'oversized', number>;

type RecvStoppable = { recvStop?: unknown };

/**
 * Receives one worker's piped datagrams on its pipe socket and hands on the bodies of those that
 * open (pipe-seal.ts), dropping and counting the oversized, forged, altered and replayed. Once
 * the socket is bound, and where the addon is built, the addon reads the socket itself in
 * batches and opens them with the replay window in C (pipe_receive.c); Node's own reading of
 * the socket is stopped, or it would race the addon for every datagram. Elsewhere it listens
 * to node:dgram and opens in JavaScript.
 */
export function createPipeReceiver(
  pipe: PipeSocket,
  key: Uint8Array,
  onDatagram: (senderId: number, body: Buffer) => void,
) {
  const addon = nativePipeSeal;
  const javaScriptStats: PipeReceiverStats = { received: 0, forged: 0, replayed: 0, oversized: 0 };
  let native: NativePipeReceiver | undefined;
  let closed = false;

  const open = createPipeOpener(key, (reason) => javaScriptStats[reason]++);
  function onMessage(datagram: Buffer): void {
    if (datagram.length > MAX_PIPE_DATAGRAM) {
      javaScriptStats.oversized++;
      return;
    }
    const opened = open(datagram);
    if (!opened) return;
    javaScriptStats.received++;
    onDatagram(opened.senderId, opened.body);
  }

  function onBatch(batch: Buffer, length: number): void {
    let at = 0;
    while (at + ENTRY_HEADER <= length) {
      const senderId = batch.readUInt32BE(at);
      const end = at + ENTRY_HEADER + batch.readUInt16BE(at + 4);
      onDatagram(senderId, batch.subarray(at + ENTRY_HEADER, end));
      at = end;
    }
  }

  // Nothing arrives before the socket is bound, when the addon takes over.
  if (!addon) pipe.socket.on('message', onMessage);

  return {
    /** Call once the socket is bound: its descriptor exists from then on. */
    bound(): void {
      if (closed || native || !addon) return;
      const handle = udpHandle(pipe.socket) as (RecvStoppable & { fd?: unknown }) | undefined;
      const fd = udpDescriptor(handle);
      const recvStop = handle?.recvStop;
      if (fd === undefined || typeof recvStop !== 'function') {
        pipe.socket.on('message', onMessage);
        return;
      }
      native = addon.createPipeReceiver(fd, addon.createPipeCipher(key), onBatch);
      recvStop.call(handle);
    },

    /**
     * Has the addon forward `senderId`'s next packets of the publisher named by `key` itself,
     * as `route` allows (space.ts `routeFor`). Only where the addon reads the socket.
     */
    route(senderId: number, key: Buffer, route: PipedRoute): void {
      if (!native || !addon) return;
      const { lane, stream, sourceTag } = route;
      addon.armPipeRoute(
        native,
        senderId,
        key,
        lane.state,
        stream.state,
        stream.sent,
        lane.senders,
        sourceTag,
        performance.now(),
      );
    },

    /**
     * Sends every piped packet through JavaScript again, until routes are armed anew: what a
     * route's lane cannot see (which workers pipe a space here, who is connected here) changed.
     */
    forgetRoutes(): void {
      if (native) addon?.forgetPipeRoutes(native);
    },

    /** Whether the addon reads the socket. */
    get native(): boolean {
      return native !== undefined;
    },

    stats(): PipeReceiverStats {
      if (!native || !addon) return { ...javaScriptStats };
      const nativeStats = addon.pipeReceiverStats(native);
      return {
        received: javaScriptStats.received + nativeStats.received,
        forged: javaScriptStats.forged + nativeStats.forged,
        replayed: javaScriptStats.replayed + nativeStats.replayed,
        oversized: javaScriptStats.oversized + nativeStats.oversized,
      };
    },

    /** Stops receiving and lets go of the addon's descriptor; the socket is the caller's. */
    close(): void {
      closed = true;
      pipe.socket.off('message', onMessage);
      if (native) addon?.closePipeReceiver(native);
    },
  };
}

export type PipeReceiver = ReturnType<typeof createPipeReceiver>;
