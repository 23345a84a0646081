import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

export type UdpSocketInfo = { address: string; port: number };

/** /proc/net/udp's local address, e.g. 0100007F:9C40, as 127.0.0.1 and 40000. */
function parseLocal(hex: string): UdpSocketInfo {
  const [ip = '', port = ''] = hex.split(':');
  const bytes = (ip.match(/../g) ?? []).map((byte) => Number.parseInt(byte, 16)).reverse();
  return { address: bytes.join('.'), port: Number.parseInt(port, 16) };
}

/**
 * The IPv4 UDP sockets process `pid` holds open, read from Linux's /proc: the socket inodes of
 * its descriptors matched against its network namespace's UDP table. A socket whose descriptor
 * was duplicated counts once.
 */
export function udpSocketsOf(pid: number): UdpSocketInfo[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    } catch {
      // The descriptor closed while the directory was read.
    }
  }
  return readFileSync(`/proc/${pid}/net/udp`, 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[9] !== undefined && inodes.has(fields[9]))
    .map((fields) => parseLocal(fields[1] ?? ''));
}
