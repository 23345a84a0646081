/**
 * Datagrams the kernel dropped at full receive buffers, by the process owning the socket
 * (Linux: /proc/net/udp's per-socket `drops`, owners from /proc/<pid>/fd). Tells the relay's
 * drops from those at the bench's own listeners, which share the host.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

function dropsByInode(): Map<string, number> {
  const drops = new Map<string, number>();
  for (const table of ['/proc/net/udp', '/proc/net/udp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
      const inode = fields[9];
      const dropped = Number(fields[12]);
      if (inode && Number.isFinite(dropped)) drops.set(inode, dropped);
    }
  }
  return drops;
}

function socketInodes(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const match = /^socket:\[(\d+)\]$/.exec(target);
        return match?.[1] ? [match[1]] : [];
      } catch {
        return [];
      }
    });
  } catch {
    return [];
  }
}

/** Cumulative drops of each process's UDP sockets now; subtract two readings for a window. */
export function udpDropsOf(pids: readonly number[]): Map<number, Map<string, number>> {
  const drops = dropsByInode();
  return new Map(
    pids.map((pid) => [
      pid,
      new Map(socketInodes(pid).map((inode) => [inode, drops.get(inode) ?? 0] as const)),
    ]),
  );
}

/** Drops between two readings for `pid` (sockets opened meanwhile count from zero). */
export function dropsBetween(
  before: Map<number, Map<string, number>>,
  after: Map<number, Map<string, number>>,
  pid: number,
): number {
  let total = 0;
  const earlier = before.get(pid);
  for (const [inode, dropped] of after.get(pid) ?? [])
    total += dropped - (earlier?.get(inode) ?? 0);
  return total;
}
