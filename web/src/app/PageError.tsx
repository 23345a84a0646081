/** What a page shows when something unexpected broke it; the details stay in the console. */
export function PageError(props: { error: unknown; reset: () => void }) {
  console.error(props.error);
  return (
    <section class="page narrow">
      <div class="card empty-state" role="alert">
        <h1>Something went wrong</h1>
        <p class="muted">This page hit a problem. Your connection may have dropped.</p>
        <button type="button" class="button primary" onClick={() => props.reset()}>
          Try again
        </button>
      </div>
    </section>
  );
}
