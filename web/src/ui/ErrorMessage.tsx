import { Show } from 'solid-js';

/** An error sentence announced to screen readers; nothing at all while there is none. */
export function ErrorMessage(props: { message: string | null | undefined; testId?: string }) {
  return (
    <Show when={props.message}>
      <p class="alert error" role="alert" data-testid={props.testId}>
        {props.message}
      </p>
    </Show>
  );
}
