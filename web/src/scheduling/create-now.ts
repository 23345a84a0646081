import { createSignal, onCleanup } from 'solid-js';

/** The current time, refreshed every half minute so countdowns and "Today" labels stay true. */
export function createNow(intervalMs = 30_000) {
  const [now, setNow] = createSignal(new Date());
  const timer = setInterval(() => setNow(new Date()), intervalMs);
  onCleanup(() => clearInterval(timer));
  return now;
}
