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
