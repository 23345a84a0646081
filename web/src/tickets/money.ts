/** A price in minor units (cents) as people read it: `$5.00`, `€12.50`. */
export function formatPrice(priceMinor: number, currency: string, locale?: string): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: currency.toUpperCase(),
  }).format(priceMinor / 100);
}

export const ticketStateLabel: Record<string, string> = {
  PENDING: 'Checkout in progress',
  ISSUED: 'Ticket',
  RELEASED: 'Checkout expired',
  REFUND_PENDING: 'Refund requested',
  REFUNDED: 'Refunded',
};

/** A price typed by a host ("5", "5.5", "12,50") in minor units; null when it is not one. */
export function parsePrice(text: string): number | null {
  const match = /^\s*(\d{1,6})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!match) return null;
  const [, whole = '0', fraction = ''] = match;
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}
