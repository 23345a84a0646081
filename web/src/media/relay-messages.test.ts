import { describe, expect, it } from 'vitest';
import { parseRelayMessage } from './relay-messages.ts';

const json = (value: unknown) => JSON.stringify(value);

describe('parseRelayMessage', () => {
  it('parses a slots message', () => {
    const result = parseRelayMessage(
      json({
        type: 'slots',
        slots: [
          { slot: 0, mid: '1', participantId: 'p1' },
          { slot: 3, mid: '4', participantId: 'p2' },
        ],
      }),
    );
    expect(result).toEqual({
      ok: true,
      message: {
        type: 'slots',
        slots: [
          { slot: 0, mid: '1', participantId: 'p1' },
          { slot: 3, mid: '4', participantId: 'p2' },
        ],
      },
    });
  });

  it('accepts an empty slots list (nobody speaking through the relay)', () => {
    expect(parseRelayMessage(json({ type: 'slots', slots: [] }))).toEqual({
      ok: true,
      message: { type: 'slots', slots: [] },
    });
  });

  it('passes unknown message types as unknown rather than failing', () => {
    expect(parseRelayMessage(json({ type: 'hello', version: 2 }))).toEqual({
      ok: true,
      message: { type: 'unknown' },
    });
  });

  it.each([
    ['binary data', new ArrayBuffer(4)],
    ['not JSON', '{"type":'],
    ['a JSON array', json([1])],
    ['no type', json({ slots: [] })],
    ['slots not an array', json({ type: 'slots', slots: {} })],
    ['a slot entry not an object', json({ type: 'slots', slots: [1] })],
    [
      'a negative slot',
      json({ type: 'slots', slots: [{ slot: -1, mid: '1', participantId: 'a' }] }),
    ],
    [
      'a fractional slot',
      json({ type: 'slots', slots: [{ slot: 0.5, mid: '1', participantId: 'a' }] }),
    ],
    ['a numeric mid', json({ type: 'slots', slots: [{ slot: 0, mid: 1, participantId: 'a' }] })],
    ['a missing participant', json({ type: 'slots', slots: [{ slot: 0, mid: '1' }] })],
    [
      'one participant in two slots',
      json({
        type: 'slots',
        slots: [
          { slot: 0, mid: '1', participantId: 'a' },
          { slot: 1, mid: '2', participantId: 'a' },
        ],
      }),
    ],
    [
      'one mid twice',
      json({
        type: 'slots',
        slots: [
          { slot: 0, mid: '1', participantId: 'a' },
          { slot: 1, mid: '1', participantId: 'b' },
        ],
      }),
    ],
  ])('rejects %s without throwing', (_name, data) => {
    const result = parseRelayMessage(data);
    expect(result.ok).toBe(false);
  });
});
