/**
 * The relay's datagrams to a client that handshakes with it: one per DTLS record the way werift
 * sends them (a server's second flight is five records), as many records to a datagram as fit
 * here (RFC 6347 §4.1.1 lets a datagram carry several). Records sent in one run of JavaScript
 * leave together once it ends, in order: each datagram is a send call into the kernel on the
 * relay's one thread, and a burst of joins brings hundreds of flights.
 *
 * @param maxBytes largest datagram made of several records (a record larger than this still
 *   goes out, alone)
 */
export function createRecordBatch(send: (datagram: Buffer) => void, maxBytes: number) {
  let pending: Buffer[] = [];

  function sendGroup(group: Buffer[], bytes: number): void {
    const [only] = group;
    if (only && group.length === 1) send(only);
    else if (group.length > 1) send(Buffer.concat(group, bytes));
  }

  function flush(): void {
    const records = pending;
    pending = [];
    let group: Buffer[] = [];
    let bytes = 0;
    for (const record of records) {
      if (bytes + record.length > maxBytes) {
        sendGroup(group, bytes);
        group = [];
        bytes = 0;
      }
      group.push(record);
      bytes += record.length;
    }
    sendGroup(group, bytes);
  }

  return {
    /** Sends `record` with the others sent before this run of JavaScript ends. */
    push(record: Buffer): void {
      pending.push(record);
      if (pending.length === 1) queueMicrotask(flush);
    },
  };
}
