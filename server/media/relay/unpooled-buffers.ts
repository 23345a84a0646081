/**
 * Makes every small Buffer of this process get an ArrayBuffer of its own instead of a slice of
 * Node's shared 8 KiB pool. A relay process keeps thousands of tiny long-lived buffers per few
 * listeners (werift's DTLS and SCTP state: keys, randoms, certificates, cookies), and one of
 * them kept a whole pool slab alive: ~16 KiB per listener for tens of bytes. Node documents
 * `Buffer.poolSize` as modifiable; the cost, a separate allocation per small buffer, falls on
 * handshakes, not on the copies (the native sender allocates none). For relay processes only.
 */
export function unpoolBuffers(): void {
  Buffer.poolSize = 0;
}
