import { A } from '@solidjs/router';

/** Unknown pages, and spaces that do not exist (or that the viewer may not see). */
export function NotFoundPage(props: { title?: string; message?: string }) {
  return (
    <section class="page narrow" data-testid="not-found">
      <div class="card empty-state" role="alert">
        <h1>{props.title ?? 'Nothing here'}</h1>
        <p class="muted">{props.message ?? 'This page does not exist, or it has moved.'}</p>
        <A class="button primary" href="/">
          Back to live spaces
        </A>
      </div>
    </section>
  );
}
