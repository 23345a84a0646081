import { A } from '@solidjs/router';

export function NotFoundPage() {
  return (
    <section class="page narrow empty-state">
      <h1>Nothing here</h1>
      <p class="muted">This page does not exist, or the space has moved on.</p>
      <A class="button primary" href="/">
        Back to live spaces
      </A>
    </section>
  );
}
