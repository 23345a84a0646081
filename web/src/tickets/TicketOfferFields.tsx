import { For } from 'solid-js';
import './tickets.css';

export type TicketOfferDraft = { price: string; currency: string; seats: string };

/** The currencies a host may sell in (the server's default list; it enforces the real one). */
const CURRENCIES = ['usd', 'eur', 'gbp'] as const;

/** Price, currency and number of tickets for a ticketed space. */
export function TicketOfferFields(props: {
  draft: TicketOfferDraft;
  onChange(draft: TicketOfferDraft): void;
}) {
  const set = (field: keyof TicketOfferDraft) => (event: { currentTarget: { value: string } }) =>
    props.onChange({ ...props.draft, [field]: event.currentTarget.value });
  return (
    <div class="ticket-offer-fields">
      <label class="field">
        <span>Price</span>
        <input
          name="price"
          inputmode="decimal"
          required
          placeholder="5.00"
          value={props.draft.price}
          onInput={set('price')}
        />
      </label>
      <label class="field">
        <span>Currency</span>
        <select name="currency" value={props.draft.currency} onChange={set('currency')}>
          <For each={CURRENCIES}>
            {(currency) => <option value={currency}>{currency.toUpperCase()}</option>}
          </For>
        </select>
      </label>
      <label class="field">
        <span>Number of tickets</span>
        <input
          name="seats"
          type="number"
          min="1"
          required
          value={props.draft.seats}
          onInput={set('seats')}
        />
      </label>
    </div>
  );
}
