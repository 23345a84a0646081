import { randomBytes } from 'node:crypto';
import { keyLength, type SrtpProfile, SrtpSession, saltLength } from 'werift';
import { isSrtpContext, type SrtpContext } from '../../server/media/relay/srtp-protect.ts';

/** A relay-side session and the listener's, as DTLS-SRTP would key them. */
export function sessions(profile: SrtpProfile) {
  const [relayKey, relaySalt, listenerKey, listenerSalt] = [
    randomBytes(keyLength(profile)),
    randomBytes(saltLength(profile)),
    randomBytes(keyLength(profile)),
    randomBytes(saltLength(profile)),
  ];
  const relay = new SrtpSession({
    profile,
    keys: {
      localMasterKey: relayKey,
      localMasterSalt: relaySalt,
      remoteMasterKey: listenerKey,
      remoteMasterSalt: listenerSalt,
    },
  });
  const listener = new SrtpSession({
    profile,
    keys: {
      localMasterKey: listenerKey,
      localMasterSalt: listenerSalt,
      remoteMasterKey: relayKey,
      remoteMasterSalt: relaySalt,
    },
  });
  const context: unknown = (relay as unknown as { localContext: unknown }).localContext;
  if (!isSrtpContext(context)) throw new Error('werift’s SRTP context changed shape');
  return { relay, context: context satisfies SrtpContext, listener };
}
