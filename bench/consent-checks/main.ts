/**
 * What a relay worker spends on one ICE consent check (every ~5 s from every listener, RFC 7675),
 * before its answer is sent: reading the binding request, verifying its MESSAGE-INTEGRITY under
 * the session's password and encoding the signed answer, with the HMAC keyed once per session in
 * the addon (what the relay uses) and, as the peer, node:crypto keying one for every message (the
 * relay's earlier path, still used where the addon is not built). The send itself is not counted.
 *
 *   npm run bench -- consent-checks [--checks=200000]
 */
import { parseArgs } from 'node:util';
import { classes, Message, methods } from 'werift';
import { nativeStun } from '../../server/media/relay/native-srtp.ts';
import { parseBindingRequest } from '../../server/media/relay/stun-binding.ts';
import { bindingSuccess } from '../../server/media/relay/stun-binding-response.ts';
import {
  createJsStunIntegrity,
  createStunIntegrity,
  type StunIntegrity,
} from '../../server/media/relay/stun-integrity.ts';

const { values } = parseArgs({ options: { checks: { type: 'string', default: '200000' } } });
const CHECKS = Number(values.checks);
const ROUNDS = 3;

// A libdatachannel-sized password (22 characters) and a check as an ICE agent sends it.
const PASSWORD = 'a1b2c3d4e5f6g7h8i9j0kl';
const check = new Message(methods.BINDING, classes.REQUEST)
  .setAttribute('USERNAME', '0123456789ab:peer')
  .setAttribute('PRIORITY', 1_853_824_767)
  .setAttribute('ICE-CONTROLLING', BigInt(42))
  .addMessageIntegrity(Buffer.from(PASSWORD))
  .addFingerprint().bytes;
const from = ['127.0.0.1', 50_000] as const;

function answer(integrity: StunIntegrity): void {
  const request = parseBindingRequest(check);
  if (!request?.verify(integrity)) throw new Error('The check does not verify.');
  if (!bindingSuccess(request.transactionId, from, integrity)) throw new Error('No answer.');
}

/** The fastest of a few rounds, in µs per check: the others are this host's noise. */
function microseconds(integrity: StunIntegrity): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < ROUNDS; round++) {
    for (let index = 0; index < 10_000; index++) answer(integrity);
    const started = process.hrtime.bigint();
    for (let index = 0; index < CHECKS; index++) answer(integrity);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e3 / CHECKS);
  }
  return best;
}

const ours = nativeStun ? microseconds(createStunIntegrity(PASSWORD)) : Number.NaN;
const peer = microseconds(createJsStunIntegrity(PASSWORD));
console.log(
  `bench/consent-checks: a consent check read, verified and answered (not sent), best of ${ROUNDS} ` +
    `rounds of ${CHECKS}: ${nativeStun ? `${ours.toFixed(2)} µs` : 'no addon built'} with the ` +
    `HMAC keyed once per session; peer: ${peer.toFixed(2)} µs keying node:crypto's per message`,
);
