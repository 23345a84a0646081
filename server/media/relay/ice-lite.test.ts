import { afterEach, describe, expect, it, vi } from 'vitest';
import { classes, Message, methods, parseMessage } from 'werift';
import { createIceLite } from './ice-lite.ts';
import type { MuxAddress, UdpMuxEndpoint } from './udp-mux.ts';

const PASSWORD = 'relay-password-0123456789';

function endpoint() {
  const sent: { data: Buffer; to: MuxAddress | undefined }[] = [];
  const fake: UdpMuxEndpoint = {
    ufrag: 'relay',
    closed: false,
    onData: () => {},
    send: async (data, to) => {
      sent.push({ data, to });
    },
    close: async () => {},
  };
  return { fake, sent };
}

function check(nominate: boolean, password = PASSWORD): Buffer {
  const request = new Message(methods.BINDING, classes.REQUEST)
    .setAttribute('USERNAME', 'relay:client')
    .setAttribute('PRIORITY', 1);
  if (nominate) request.setAttribute('USE-CANDIDATE', null);
  return request.addMessageIntegrity(Buffer.from(password)).addFingerprint().bytes;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createIceLite', () => {
  it('answers checks under its password, and sends to the first address until one is nominated', () => {
    const { fake, sent } = endpoint();
    const selected: MuxAddress[] = [];
    const ice = createIceLite(fake, PASSWORD, {
      onSelected: (address) => selected.push(address),
      onExpired: () => {},
    });
    ice.receive(check(false), ['10.0.0.1', 1000]);
    ice.receive(check(false), ['10.0.0.2', 2000]);
    ice.receive(check(true), ['10.0.0.3', 3000]);
    ice.receive(Buffer.from([1, 1, 0, 0]), ['10.0.0.4', 4000]);
    ice.receive(check(true, 'another-password-0123456'), ['10.0.0.5', 5000]);
    expect(selected).toEqual([
      ['10.0.0.1', 1000],
      ['10.0.0.3', 3000],
    ]);
    expect(sent.map(({ to }) => to?.[1])).toEqual([1000, 2000, 3000]);
    const request = parseMessage(check(false));
    const response = parseMessage(sent[0]!.data, Buffer.from(PASSWORD));
    expect(response?.messageClass).toBe(classes.RESPONSE);
    expect(response?.transactionId.length).toBe(request?.transactionId.length);
    expect(response?.getAttributeValue('XOR-MAPPED-ADDRESS')).toEqual(['10.0.0.1', 1000]);
  });

  it('expires 30 s after the last check, not before', () => {
    vi.useFakeTimers();
    const { fake } = endpoint();
    let expired = 0;
    const ice = createIceLite(fake, PASSWORD, {
      onSelected: () => {},
      onExpired: () => {
        expired++;
      },
    });
    ice.watchConsent();
    vi.advanceTimersByTime(25_000);
    ice.receive(check(true), ['10.0.0.1', 1000]);
    vi.advanceTimersByTime(25_000);
    expect(expired).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(expired).toBe(1);
    vi.advanceTimersByTime(60_000);
    expect(expired).toBe(1);
    ice.close();
  });
});
