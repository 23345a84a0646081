import { Show } from 'solid-js';
import { TicketIcon } from '../ui/icons.tsx';
import { formatPrice } from './money.ts';
import './tickets.css';

export type TicketingSummary = { priceMinor: number; currency: string; seatsLeft: number } | null;

/** Price and seats left on a space card; nothing for a free space. */
export function TicketChip(props: { ticketing: TicketingSummary | undefined }) {
  return (
    <Show when={props.ticketing}>
      {(ticketing) => (
        <span class="chip ticket-chip" data-testid="ticket-chip">
          <TicketIcon size={14} /> {formatPrice(ticketing().priceMinor, ticketing().currency)} ·{' '}
          {ticketing().seatsLeft > 0 ? `${ticketing().seatsLeft} left` : 'Sold out'}
        </span>
      )}
    </Show>
  );
}
