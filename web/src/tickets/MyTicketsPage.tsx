import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { formatPrice, ticketStateLabel } from './money.ts';
import { MyTicketsQuery } from './tickets.queries.ts';
import './tickets.css';

/** The signed-in user's tickets, newest first. */
export function MyTicketsPage() {
  const { api, viewer } = useSession();
  const [tickets] = createResource(
    () => viewer(),
    async () => (await run(api, MyTicketsQuery)).myTickets,
  );
  return (
    <section class="page narrow">
      <h1>My tickets</h1>
      <Show
        when={viewer()}
        fallback={<A href="/signin?next=/tickets">Sign in to see your tickets</A>}
      >
        <Show
          when={(tickets() ?? []).length > 0}
          fallback={<p class="muted">{tickets.loading ? 'Loading…' : 'No tickets yet.'}</p>}
        >
          <ul class="my-tickets" data-testid="my-tickets">
            <For each={tickets()}>
              {(ticket) => (
                <li class="card">
                  <A href={`/spaces/${ticket.space.id}`}>
                    <strong>{ticket.space.title}</strong>
                  </A>{' '}
                  <span class="muted">by {ticket.space.host.displayName}</span>
                  <p>
                    <span class="chip">{ticketStateLabel[ticket.state] ?? ticket.state}</span>{' '}
                    {formatPrice(ticket.priceMinor, ticket.currency)}
                  </p>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </Show>
    </section>
  );
}
