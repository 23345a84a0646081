import { createResource, For, Show } from 'solid-js';
import { run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { formatPrice, ticketStateLabel } from './money.ts';
import { TicketSalesQuery } from './tickets.queries.ts';

/** The host's sales summary for a ticketed space. */
export function TicketSales(props: { spaceId: string; currency?: string }) {
  const { api } = useSession();
  const [sales] = createResource(
    async () => (await run(api, TicketSalesQuery, { id: props.spaceId })).space?.ticketSales,
  );
  return (
    <Show when={sales()}>
      {(sales) => (
        <div class="ticket-sales" data-testid="ticket-sales">
          <p>
            <strong>{sales().sold}</strong> sold · {sales().pending} checking out ·{' '}
            {sales().refundPending + sales().refunded} refunded
            <Show when={props.currency}>
              {(currency) => <> · {formatPrice(sales().grossMinor, currency())} gross</>}
            </Show>
          </p>
          <Show when={sales().tickets.length > 0}>
            <ul class="ticket-buyers">
              <For each={sales().tickets}>
                {(ticket) => (
                  <li>
                    @{ticket.buyer.handle}{' '}
                    <span class="muted">{ticketStateLabel[ticket.state] ?? ticket.state}</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </div>
      )}
    </Show>
  );
}
