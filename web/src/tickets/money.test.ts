import { describe, expect, it } from 'vitest';
import { formatPrice, parsePrice } from './money.ts';

describe('formatPrice', () => {
  it('reads minor units as the currency shows them', () => {
    expect(formatPrice(500, 'usd', 'en-US')).toBe('$5.00');
    expect(formatPrice(99_900, 'eur', 'en-US')).toBe('€999.00');
  });
});

describe('parsePrice', () => {
  it('reads whole and decimal prices, with a point or a comma, in minor units', () => {
    expect(parsePrice('5')).toBe(500);
    expect(parsePrice('5.5')).toBe(550);
    expect(parsePrice(' 12,50 ')).toBe(1250);
    expect(parsePrice('999.99')).toBe(99_999);
  });

  it('refuses what is not a price', () => {
    for (const text of ['', 'five', '-5', '5.555', '1e3', '$5'])
      expect(parsePrice(text)).toBeNull();
  });
});
