import { CalendarIcon } from '../ui/icons.tsx';

/** Downloads the space's .ics file, which calendars open as an event. */
export function AddToCalendar(props: { url: string; small?: boolean }) {
  return (
    <a
      class={`button ghost${props.small ? ' small' : ''}`}
      href={props.url}
      download=""
      aria-label="Add to calendar"
    >
      <CalendarIcon size={18} /> {props.small ? 'Calendar' : 'Add to calendar'}
    </a>
  );
}
