import { A, useSearchParams } from '@solidjs/router';
import { createSignal, onCleanup, onMount, Show } from 'solid-js';
import { run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { CheckoutTicketQuery } from './tickets.queries.ts';
import './tickets.css';

type Ticket = { id: string; state: string; space: { id: string; title: string } };

const POLL_MS = 1500;

/**
 * Where Stripe Checkout sends the buyer back. The ticket is issued by Stripe's webhook, which may
 * land a moment after the buyer does, so the page asks until the ticket is settled.
 */
export function CheckoutReturnPage() {
  const { api } = useSession();
  const [params] = useSearchParams<{ session_id: string }>();
  const [ticket, setTicket] = createSignal<Ticket | null>(null);
  const [missing, setMissing] = createSignal(false);
  let timer: ReturnType<typeof setTimeout> | undefined;

  const check = async (): Promise<void> => {
    const sessionId = params.session_id;
    if (!sessionId) {
      setMissing(true);
      return;
    }
    try {
      const found = (await run(api, CheckoutTicketQuery, { sessionId })).checkoutTicket;
      setTicket(found);
      if (!found) setMissing(true);
      if (found && found.state !== 'PENDING') return;
    } catch {
      // Keep asking: a dropped connection is not an answer.
    }
    timer = setTimeout(() => void check(), POLL_MS);
  };
  onMount(() => void check());
  onCleanup(() => clearTimeout(timer));

  return (
    <section class="page narrow">
      <div class="card checkout-return" data-testid="checkout-return">
        <Show
          when={ticket()}
          fallback={
            <Show when={missing()} fallback={<p aria-busy="true">Confirming your payment…</p>}>
              <h1>We could not find this checkout</h1>
              <A href="/tickets">My tickets</A>
            </Show>
          }
        >
          {(ticket) => (
            <Show
              when={ticket().state === 'ISSUED'}
              fallback={
                <Show
                  when={ticket().state === 'PENDING'}
                  fallback={
                    <>
                      <h1>No seat for this payment</h1>
                      <p>
                        The payment is being refunded. See <A href="/tickets">My tickets</A>.
                      </p>
                    </>
                  }
                >
                  <p aria-busy="true" data-testid="ticket-waiting">
                    Confirming your payment for <strong>{ticket().space.title}</strong>…
                  </p>
                </Show>
              }
            >
              <h1>You have a ticket</h1>
              <p>
                <strong>{ticket().space.title}</strong>
              </p>
              <A
                class="button primary"
                href={`/spaces/${ticket().space.id}`}
                data-testid="open-space"
              >
                Open the space
              </A>
            </Show>
          )}
        </Show>
      </div>
    </section>
  );
}
