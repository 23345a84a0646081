const HOST_CANDIDATE = /^(a=candidate:\S+ \d+ udp \d+ )(\S+)( \d+ typ host\b.*)$/gim;

/**
 * Puts 127.0.0.1 in every host candidate of an SDP from werift, which binds its sockets to every
 * address but announces the interface's: the bench's traffic then stays on the loopback address.
 */
export function toLoopback(sdp: string): string {
  return sdp.replace(
    HOST_CANDIDATE,
    (_line, head: string, _address: string, tail: string) => `${head}127.0.0.1${tail}`,
  );
}
