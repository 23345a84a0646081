import { describe, expect, it } from 'vitest';
import { formatPrice } from './money.ts';

describe('formatPrice', () => {
  it('reads minor units as the currency shows them', () => {
    expect(formatPrice(500, 'usd', 'en-US')).toBe('$5.00');
    expect(formatPrice(99_900, 'eur', 'en-US')).toBe('€999.00');
  });
});
