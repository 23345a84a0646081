/** Nearest-rank percentile of an ascending list; NaN when it is empty. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function ascending(values: Iterable<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/**
 * Latencies of one publication: every receipt, per event the last subscriber's, and when each
 * event reached its first and last socket. `times` is socket-major in the subscribers' clock;
 * `offset` maps it back to ours.
 */
export function latencies(times: Float64Array, publishedAt: number[], offset: number) {
  const events = publishedAt.length;
  const sockets = events === 0 ? 0 : times.length / events;
  const all: number[] = [];
  const firstAt = new Array<number>(events).fill(Number.POSITIVE_INFINITY);
  const lastAt = new Array<number>(events).fill(Number.NEGATIVE_INFINITY);
  const counts = new Array<number>(events).fill(0);
  let missing = 0;
  for (let socket = 0; socket < sockets; socket++) {
    for (let event = 0; event < events; event++) {
      const received = times[socket * events + event] ?? Number.NaN;
      if (Number.isNaN(received)) {
        missing += 1;
        continue;
      }
      const at = received - offset;
      all.push(at - (publishedAt[event] ?? Number.NaN));
      firstAt[event] = Math.min(firstAt[event] ?? at, at);
      lastAt[event] = Math.max(lastAt[event] ?? at, at);
      counts[event] = (counts[event] ?? 0) + 1;
    }
  }
  return {
    all,
    last: lastAt.map((at, event) => at - (publishedAt[event] ?? Number.NaN)),
    firstAt,
    lastAt,
    counts,
    missing,
    delivered: all.length,
    lastReceipt: Math.max(...lastAt),
  };
}

export const ms = (value: number) =>
  Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(0)) : '-';

export const rate = (value: number) =>
  Number.isFinite(value)
    ? value >= 1e6
      ? `${(value / 1e6).toFixed(2)}M`
      : value >= 1e4
        ? `${(value / 1e3).toFixed(0)}k`
        : value.toFixed(0)
    : '-';

/** Lays out rows under a header, columns padded to their widest cell and joined by ' | '. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((cell, column) =>
    Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells.map((cell, column) => cell.padStart(widths[column] ?? 0)).join(' | ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('-+-'), ...rows.map(line)]
    .map((row) => `  ${row}`)
    .join('\n');
}
