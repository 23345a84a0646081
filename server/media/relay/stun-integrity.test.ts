import { describe, expect, it } from 'vitest';
import { classes, Message, methods, parseMessage } from 'werift';
import { nativeSrtpProblem, nativeStun } from './native-srtp.ts';
import { parseBindingRequest } from './stun-binding.ts';
import { bindingSuccess } from './stun-binding-response.ts';
import { createJsStunIntegrity, createStunIntegrity } from './stun-integrity.ts';

const PASSWORD = 'relay-ice-password-22ch';

/** A connectivity check as an ICE agent sends it (werift's own encoder, as a peer would). */
function check(password = PASSWORD): Buffer {
  return new Message(methods.BINDING, classes.REQUEST)
    .setAttribute('USERNAME', 'relayufrag:peer')
    .setAttribute('PRIORITY', 1_853_824_767)
    .addMessageIntegrity(Buffer.from(password, 'utf8'))
    .addFingerprint().bytes;
}

/** Where MESSAGE-INTEGRITY's attribute header is in a check from `check`. */
function integrityAt(bytes: Buffer): number {
  return bytes.length - 8 - 24;
}

it('the addon keys STUN integrity where it is built (required where the suite says so)', () => {
  if (process.env['AMPHI_REQUIRE_NATIVE_SRTP']) expect(nativeSrtpProblem).toBeUndefined();
  expect(nativeStun === undefined).toBe(nativeSrtpProblem !== undefined);
});

describe.each([
  ['the addon’s keyed HMAC', createStunIntegrity],
  ['node:crypto', createJsStunIntegrity],
])('STUN integrity through %s', (_name, create) => {
  it('holds for a check signed under the password and fails under another', () => {
    expect(create(PASSWORD).verify(check(), integrityAt(check()))).toBe(true);
    expect(create('another-password-22chr').verify(check(), integrityAt(check()))).toBe(false);
    expect(create('').verify(check(''), integrityAt(check('')))).toBe(true);
    expect(create(PASSWORD).verify(check(''), integrityAt(check('')))).toBe(false);
  });

  it('refuses a forged check: a changed byte anywhere it covers, or a changed value', () => {
    const integrity = create(PASSWORD);
    const bytes = check();
    const at = integrityAt(bytes);
    // Not the length field (bytes 2-3): the HMAC is computed with its own value there.
    for (const index of [0, 1, 4, 8, 19, 24, at - 1, at + 4, at + 23]) {
      const forged = Buffer.from(bytes);
      forged[index] = (forged[index] ?? 0) ^ 0x01;
      expect(integrity.verify(forged, at), `byte ${index}`).toBe(false);
    }
    // FINGERPRINT follows MESSAGE-INTEGRITY and is not covered by it.
    const refingered = Buffer.from(bytes);
    refingered[bytes.length - 1] = (refingered[bytes.length - 1] ?? 0) ^ 0x01;
    expect(integrity.verify(refingered, at)).toBe(true);
  });

  it('refuses an attribute that does not fit the message, without throwing', () => {
    const integrity = create(PASSWORD);
    const bytes = check();
    for (const at of [0, 19, bytes.length - 23, bytes.length, 1 << 20]) {
      expect(integrity.verify(bytes, at)).toBe(false);
    }
    expect(() => integrity.sign(Buffer.alloc(40), 20)).toThrow(RangeError);
  });

  it('signs as werift does, so a peer’s agent accepts the relay’s answer', () => {
    const request = parseBindingRequest(check());
    expect(request?.verify(create(PASSWORD))).toBe(true);
    const answer = bindingSuccess(request!.transactionId, ['10.0.0.1', 4000], create(PASSWORD));
    const expected = new Message(methods.BINDING, classes.RESPONSE, request!.transactionId)
      .setAttribute('XOR-MAPPED-ADDRESS', ['10.0.0.1', 4000])
      .addMessageIntegrity(Buffer.from(PASSWORD))
      .addFingerprint();
    expect(answer).toEqual(expected.bytes);
    expect(parseMessage(answer!, Buffer.from('another-password-22chr'))).toBeUndefined();
  });
});
