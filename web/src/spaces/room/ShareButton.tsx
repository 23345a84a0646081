import { createSignal } from 'solid-js';

/** Copies the space's share link; falls back to the system share sheet's absence gracefully. */
export function ShareButton(props: { url: string; title: string }) {
  const [copied, setCopied] = createSignal(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.url);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      window.prompt('Copy this link', props.url);
    }
  };
  return (
    <div class="share">
      <label class="visually-hidden" for="share-url">
        Share link
      </label>
      <input
        id="share-url"
        class="share-url"
        readOnly
        value={props.url}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="button" class="button small" onClick={copy} aria-live="polite">
        {copied() ? 'Copied ✓' : 'Copy link'}
      </button>
    </div>
  );
}
