import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classes, Message, methods, parseMessage } from 'werift';
import { bindingSuccess } from './stun-binding-response.ts';
import { createStunIntegrity } from './stun-integrity.ts';

const KEY = Buffer.from('relay-ice-password-22ch');
const INTEGRITY = createStunIntegrity('relay-ice-password-22ch');

describe('bindingSuccess', () => {
  it('encodes the same bytes as werift’s encoder, which checks their integrity and fingerprint', () => {
    for (const address of [
      ['127.0.0.1', 5000],
      ['192.168.1.254', 65535],
      ['10.0.0.1', 1],
    ] as const) {
      const transactionId = randomBytes(12);
      const ours = bindingSuccess(transactionId, address, INTEGRITY);
      const werift = new Message(methods.BINDING, classes.RESPONSE, transactionId)
        .setAttribute('XOR-MAPPED-ADDRESS', [address[0], address[1]])
        .addMessageIntegrity(KEY)
        .addFingerprint();
      expect(ours).toEqual(werift.bytes);
      const parsed = parseMessage(ours!, KEY);
      expect(parsed?.getAttributeValue('XOR-MAPPED-ADDRESS')).toEqual([address[0], address[1]]);
      expect(parsed?.transactionId).toEqual(transactionId);
    }
  });

  it('fails werift’s integrity check under another password', () => {
    const ours = bindingSuccess(randomBytes(12), ['127.0.0.1', 5000], INTEGRITY);
    expect(parseMessage(ours!, KEY)).toBeDefined();
    expect(parseMessage(ours!, Buffer.from('another-password-22chr'))).toBeUndefined();
  });

  it('answers no address but IPv4 and no transaction id but 12 bytes', () => {
    expect(bindingSuccess(randomBytes(12), ['::1', 5000], INTEGRITY)).toBeUndefined();
    expect(bindingSuccess(randomBytes(11), ['127.0.0.1', 5000], INTEGRITY)).toBeUndefined();
  });
});
