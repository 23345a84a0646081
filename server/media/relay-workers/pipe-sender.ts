import {
  type NativePipeOut,
  nativePipeSeal,
  udpDescriptor,
  udpHandle,
} from '../relay/native-srtp.ts';
import { createPipeSealing } from './pipe-seal.ts';
import type { PipeSocket } from './pipe-socket.ts';
import type { PipeAddress } from './worker-protocol.ts';

/**
 * Sends one worker's piped datagrams, sealed (pipe-seal.ts), on its pipe socket. Once the socket
 * is bound, and where the addon is built, a datagram to an IP address is sealed and sent in one
 * native call on the socket's own descriptor: through node:dgram, each piped packet took a
 * lookup turn, a send wrap and a sealed Buffer, about as much CPU as the whole turn in which the
 * receiving worker fans it out (bench/cascade). Host names, and hosts without the addon, go
 * through node:dgram, which resolves them.
 */
export function createPipeSender(pipe: PipeSocket, key: Uint8Array, senderId: number) {
  const sealing = createPipeSealing(key, senderId);
  const addon = nativePipeSeal;
  const cipher = sealing.nativeCipher;
  let out: NativePipeOut | undefined;
  /** By target object: the pool sends a space's targets once, and they do not change after. */
  const addresses = new WeakMap<PipeAddress, Buffer | null>();

  function addressOf(target: PipeAddress): Buffer | null {
    let address = addresses.get(target);
    if (address === undefined) {
      address = addon?.pipeAddress(target.host, target.port, pipe.ipv6) ?? null;
      addresses.set(target, address);
    }
    return address;
  }

  return {
    /** Call once the socket is bound: its descriptor exists from then on. */
    bound(): void {
      const fd = udpDescriptor(udpHandle(pipe.socket));
      if (addon && cipher && fd !== undefined && !out) out = addon.createPipeOut(fd);
    },

    /** Whether datagrams to IP addresses leave through the addon. */
    get native(): boolean {
      return out !== undefined;
    },

    send(body: Buffer, target: PipeAddress): void {
      const header = sealing.nextHeader();
      const address = out && addressOf(target);
      // A full socket buffer drops the datagram, as a UDP send would.
      if (addon && cipher && out && address) addon.sendPipe(cipher, out, header, body, address);
      else pipe.send(sealing.seal(header, body), target.port, target.host);
    },

    close(): void {
      if (out) addon?.closePipeOut(out);
      out = undefined;
    },
  };
}

export type PipeSender = ReturnType<typeof createPipeSender>;
