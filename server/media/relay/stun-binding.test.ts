import { describe, expect, it } from 'vitest';
import { classes, Message, methods } from 'werift';
import { parseBindingRequest } from './stun-binding.ts';
import { createStunIntegrity } from './stun-integrity.ts';

const PASSWORD = 'relay-ice-password-22ch';
const INTEGRITY = createStunIntegrity(PASSWORD);

/** A connectivity check as an ICE agent sends it (werift's own encoder, as a peer would). */
function bindingRequest(username: string, password = PASSWORD): Buffer {
  const message = new Message(methods.BINDING, classes.REQUEST)
    .setAttribute('USERNAME', username)
    .setAttribute('PRIORITY', 1_853_824_767)
    .setAttribute('ICE-CONTROLLED', BigInt(42));
  message.addMessageIntegrity(Buffer.from(password, 'utf8'));
  message.addFingerprint();
  return message.bytes;
}

describe('parseBindingRequest', () => {
  it('reads the local ufrag and checks the integrity under the local password', () => {
    const request = parseBindingRequest(bindingRequest('relayufrag:peer'));
    expect(request?.localUfrag).toBe('relayufrag');
    expect(request?.verify(INTEGRITY)).toBe(true);
    expect(request?.verify(createStunIntegrity('another-password-22chr'))).toBe(false);
  });

  it('fails the integrity of a request whose bytes were altered', () => {
    const bytes = bindingRequest('relayufrag:peer');
    // The last letter of the remote ufrag, inside USERNAME (the first attribute, at byte 24).
    bytes[24 + 'relayufrag:pee'.length] = 'x'.charCodeAt(0);
    const request = parseBindingRequest(bytes);
    expect(request?.localUfrag).toBe('relayufrag');
    expect(request?.verify(INTEGRITY)).toBe(false);
  });

  it('ignores what is not a binding request with a username and integrity', () => {
    const response = new Message(methods.BINDING, classes.RESPONSE).setAttribute(
      'XOR-MAPPED-ADDRESS',
      ['127.0.0.1', 5000],
    );
    response.addMessageIntegrity(Buffer.from(PASSWORD));
    const unsigned = new Message(methods.BINDING, classes.REQUEST).setAttribute(
      'USERNAME',
      'relayufrag:peer',
    );
    const rtp = Buffer.from([0x80, 0x6f, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    const dtls = Buffer.from([22, 254, 253, ...Array(20).fill(0)]);
    for (const datagram of [response.bytes, unsigned.bytes, rtp, dtls, Buffer.alloc(3)]) {
      expect(parseBindingRequest(datagram)).toBeUndefined();
    }
    expect(parseBindingRequest(bindingRequest('no-colon'))).toBeUndefined();
  });
});
