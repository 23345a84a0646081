import { afterEach, describe, expect, it, vi } from 'vitest';
import { classes, Message, methods, parseMessage } from 'werift';
import { createIceLite } from './ice-lite.ts';
import { type BindingRequest, parseBindingRequest } from './stun-binding.ts';
import { createStunIntegrity } from './stun-integrity.ts';
import type { MuxAddress, UdpMuxEndpoint } from './udp-mux.ts';

const PASSWORD = 'relay-password-0123456789';

function endpoint() {
  const sent: { data: Buffer; to: MuxAddress | undefined }[] = [];
  const fake: UdpMuxEndpoint = {
    ufrag: 'relay',
    integrity: createStunIntegrity(PASSWORD),
    closed: false,
    onCheck: () => {},
    onData: () => {},
    send: async (data, to) => {
      sent.push({ data, to });
    },
    close: async () => {},
  };
  return { fake, sent };
}

/** A check as the mux hands it over: parsed, its integrity verified under the relay's password. */
function check(nominate: boolean): BindingRequest {
  const message = new Message(methods.BINDING, classes.REQUEST)
    .setAttribute('USERNAME', 'relay:client')
    .setAttribute('PRIORITY', 1);
  if (nominate) message.setAttribute('USE-CANDIDATE', null);
  const request = parseBindingRequest(
    message.addMessageIntegrity(Buffer.from(PASSWORD)).addFingerprint().bytes,
  );
  if (!request?.verify(createStunIntegrity(PASSWORD)))
    throw new Error('The test check does not verify.');
  return request;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createIceLite', () => {
  it('answers checks under its password, and sends to the first address until one is nominated', () => {
    const { fake, sent } = endpoint();
    const selected: MuxAddress[] = [];
    const ice = createIceLite(fake, {
      onSelected: (address) => selected.push(address),
      onExpired: () => {},
    });
    const first = check(false);
    ice.receive(first, ['10.0.0.1', 1000]);
    ice.receive(check(false), ['10.0.0.2', 2000]);
    ice.receive(check(true), ['10.0.0.3', 3000]);
    expect(selected).toEqual([
      ['10.0.0.1', 1000],
      ['10.0.0.3', 3000],
    ]);
    expect(sent.map(({ to }) => to?.[1])).toEqual([1000, 2000, 3000]);
    const response = parseMessage(sent[0]!.data, Buffer.from(PASSWORD));
    expect(response?.messageClass).toBe(classes.RESPONSE);
    expect(response?.transactionId).toEqual(first.transactionId);
    expect(response?.getAttributeValue('XOR-MAPPED-ADDRESS')).toEqual(['10.0.0.1', 1000]);
  });

  it('expires 30 s after the last check, not before', () => {
    vi.useFakeTimers();
    const { fake } = endpoint();
    let expired = 0;
    const ice = createIceLite(fake, {
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

  it('expires only the silent one of many agents, and none that closed', () => {
    vi.useFakeTimers();
    const expired: string[] = [];
    const agent = (name: string) => {
      const ice = createIceLite(endpoint().fake, {
        onSelected: () => {},
        onExpired: () => expired.push(name),
      });
      ice.watchConsent();
      return ice;
    };
    const talking = agent('talking');
    const silent = agent('silent');
    const closed = agent('closed');
    closed.close();
    for (let elapsed = 0; elapsed < 40_000; elapsed += 5_000) {
      talking.receive(check(true), ['10.0.0.1', 1000]);
      vi.advanceTimersByTime(5_000);
    }
    expect(expired).toEqual(['silent']);
    talking.close();
    silent.close();
  });
});
