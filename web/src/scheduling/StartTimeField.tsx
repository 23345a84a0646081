import { toLocalInput } from './start-time.ts';

/** How far ahead the server lets a space be scheduled (its default; it enforces the real one). */
const MAX_DAYS_AHEAD = 30;

/** A date-and-time picker in the viewer's zone, bounded to now … 30 days ahead. */
export function StartTimeField(props: { value: string; onChange(value: string): void }) {
  const min = toLocalInput(new Date());
  const max = toLocalInput(new Date(Date.now() + MAX_DAYS_AHEAD * 86_400_000));
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <label class="field">
      <span>
        Starts <span class="muted">({zone})</span>
      </span>
      <input
        type="datetime-local"
        name="scheduledStart"
        required
        min={min}
        max={max}
        value={props.value}
        onInput={(event) => props.onChange(event.currentTarget.value)}
      />
    </label>
  );
}
