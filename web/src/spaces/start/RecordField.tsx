import './start.css';

/**
 * The host's choice to record a space as it starts. Everyone in the room is shown that it is
 * recorded, so the label says so.
 */
export function RecordField(props: { checked: boolean; onChange(checked: boolean): void }) {
  return (
    <label class="check-field">
      <input
        type="checkbox"
        name="record"
        checked={props.checked}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <span>
        Record this space <span class="muted">(listeners see that it is recorded)</span>
      </span>
    </label>
  );
}
