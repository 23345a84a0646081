/**
 * The UDP port of relay worker `index`: each worker shares one port among all its sessions, so
 * workers take consecutive ports from `base`. A base of 0 gives every worker any free port.
 */
export function workerPort(base: number, index: number): number {
  if (base === 0) return 0;
  const port = base + index;
  if (!Number.isInteger(port) || base < 1 || port > 65_535) {
    throw new RangeError(`Relay worker ${index} has no UDP port above ${base}.`);
  }
  return port;
}
