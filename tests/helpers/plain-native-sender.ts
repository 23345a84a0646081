import type { Socket } from 'node:dgram';
import {
  NATIVE_PROFILES,
  type NativeSrtpSender,
  nativeSrtp,
  udpDescriptor,
  udpHandle,
} from '../../server/media/relay/native-srtp.ts';

/**
 * A native sender whose copies go unprotected (the addon's plain profile) to a socket of their
 * own, and the datagrams that arrive there, in order: what a relay sends one listener, readable
 * without SRTP. `levelId` 0 leaves the audio level extension out.
 */
export async function plainNativeSender(boundSocket: () => Promise<Socket>, levelId = 0) {
  if (!nativeSrtp) throw new Error('no native sender');
  const from = await boundSocket();
  const ears = await boundSocket();
  const datagrams: Buffer[] = [];
  ears.on('message', (datagram: Buffer) => datagrams.push(datagram));
  const none = Buffer.alloc(16);
  const sender: NativeSrtpSender = nativeSrtp.createSender(
    udpDescriptor(udpHandle(from)) ?? -1,
    '127.0.0.1',
    ears.address().port,
    NATIVE_PROFILES.plain,
    none,
    none,
    null,
    1,
    111,
    levelId,
    0,
  );
  return { sender, datagrams };
}
