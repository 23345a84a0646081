/** A short random id; `crypto.randomUUID` is missing on plain-HTTP pages, getRandomValues is not. */
export function randomId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(8));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}
