/**
 * Splits a UDP port range into `parts` disjoint ranges, one per relay worker: werift probes for
 * free ports, which is only race-free inside one process.
 */
export function splitPortRange(range: [number, number], parts: number): [number, number][] {
  const [min, max] = range;
  const size = Math.floor((max - min + 1) / parts);
  if (size < 2) throw new RangeError(`Ports ${min}-${max} are too few for ${parts} relay workers.`);
  return Array.from({ length: parts }, (_, part) => [
    min + part * size,
    min + (part + 1) * size - 1,
  ]);
}
