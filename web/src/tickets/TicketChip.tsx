import { Show } from 'solid-js';
import { formatPrice } from './money.ts';

export type TicketingSummary = { priceMinor: number; currency: string; seatsLeft: number } | null;

/** Price and seats left on a space card; nothing for a free space. */
export function TicketChip(props: { ticketing: TicketingSummary | undefined }) {
  return (
    <Show when={props.ticketing}>
      {(ticketing) => (
        <span class="chip ticket-chip" data-testid="ticket-chip">
          🎟 {formatPrice(ticketing().priceMinor, ticketing().currency)} ·{' '}
          {ticketing().seatsLeft > 0 ? `${ticketing().seatsLeft} left` : 'Sold out'}
        </span>
      )}
    </Show>
  );
}
