import { A } from '@solidjs/router';
import { createResource, createSignal, type ParentProps, Show } from 'solid-js';
import type { ResultOf } from '../api/graphql.ts';
import { failure, run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { ErrorMessage } from '../ui/ErrorMessage.tsx';
import { formatPrice } from './money.ts';
import { TicketSales } from './TicketSales.tsx';
import {
  BuyTicketMutation,
  type SpaceTicketingFields,
  SpaceTicketingQuery,
} from './tickets.queries.ts';
import './tickets.css';

/**
 * A ticketed space's box office: price, seats left, and a buy button that goes to Stripe
 * Checkout; the host sees sales instead. Renders nothing for a free space.
 */
export function TicketPanel(props: { spaceId: string }) {
  const { api, viewer } = useSession();
  const [space] = createResource(async () => {
    try {
      return (await run(api, SpaceTicketingQuery, { id: props.spaceId })).space;
    } catch {
      return null;
    }
  });
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  const isHost = () => Boolean(viewer() && viewer()?.id === space()?.host.id);

  const buy = async () => {
    setBusy(true);
    setError(null);
    try {
      const { buyTicket: result } = await run(api, BuyTicketMutation, { spaceId: props.spaceId });
      const url = 'ticket' in result ? result.ticket.checkoutUrl : null;
      if (url) return window.location.assign(url);
      setError(failure(result) ?? 'Checkout is unavailable right now.');
    } catch {
      setError('Something went wrong. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show when={space()?.ticketing}>
      {(ticketing) => (
        <section class="ticket-panel" data-testid="ticket-panel" aria-label="Tickets">
          <p class="ticket-price">
            <strong>{formatPrice(ticketing().priceMinor, ticketing().currency)}</strong>
            <span class="muted" data-testid="seats-left">
              {' '}
              · {ticketing().seatsLeft} of {ticketing().seats} seats left
            </span>
          </p>
          <Show when={isHost()} fallback={<BuyerActions />}>
            <TicketSales spaceId={props.spaceId} currency={ticketing().currency} />
          </Show>
          <ErrorMessage message={error()} />
        </section>
      )}
    </Show>
  );

  function BuyerActions() {
    const ticket = () => space()?.viewerTicket;
    return (
      <Show
        when={viewer()}
        fallback={
          <A class="button primary" href={`/signin?next=/spaces/${props.spaceId}`}>
            Sign in to buy a ticket
          </A>
        }
      >
        <Show
          when={ticket()?.state !== 'ISSUED'}
          fallback={
            <p class="alert success" role="status">
              You have a ticket. <A href="/tickets">My tickets</A>
            </p>
          }
        >
          <button
            type="button"
            class="button primary"
            data-testid="buy-ticket"
            disabled={
              busy() || (ticket()?.state !== 'PENDING' && space()?.ticketing?.seatsLeft === 0)
            }
            onClick={() => void buy()}
          >
            {ticket()?.state === 'PENDING' ? 'Continue checkout' : 'Buy a ticket'}
          </button>
        </Show>
      </Show>
    );
  }
}

/** A space's ticketing as the gate reads it. */
export type SpaceTicketing = ResultOf<typeof SpaceTicketingFields>;

/**
 * Shows the room to those who may enter a ticketed space; everyone else gets the box office.
 * The page read `space` already (with the space's state, in one round trip); the server checks
 * the ticket again on joining and on every media track.
 */
export function TicketGate(props: ParentProps<{ space: SpaceTicketing }>) {
  const { viewer } = useSession();
  const open = () => {
    const { ticketing, host, viewerTicket } = props.space;
    return !ticketing || viewer()?.id === host.id || viewerTicket?.state === 'ISSUED';
  };
  return (
    <Show
      when={open()}
      fallback={
        <section class="page narrow">
          <div class="card">
            <h1>This is a ticketed space</h1>
            <p class="muted">Only ticket holders can listen.</p>
            <TicketPanel spaceId={props.space.id} />
          </div>
        </section>
      }
    >
      {props.children}
    </Show>
  );
}
