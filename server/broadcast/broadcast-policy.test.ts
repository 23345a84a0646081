import { describe, expect, it } from 'vitest';
import { chooseListening } from './broadcast-policy.ts';

describe('chooseListening', () => {
  it('keeps listeners on the relay up to the threshold and moves them past it', () => {
    expect(chooseListening(0, 500)).toBe('RELAY');
    expect(chooseListening(500, 500)).toBe('RELAY');
    expect(chooseListening(501, 500)).toBe('BROADCAST');
    expect(chooseListening(1, 0)).toBe('BROADCAST');
  });
});
