const HOST_CANDIDATE = /^(a=candidate:\S+ \d+ udp \d+ )(\S+)( \d+ typ host\b.*)$/gim;

/**
 * Puts `announcedIp` in place of the interface address in every host candidate, as mediasoup's
 * announcedIp does: clients behind the same NAT or outside a container reach the relay there,
 * while the relay answers their checks on its shared socket.
 */
export function announceIp(sdp: string, announcedIp: string | undefined): string {
  if (!announcedIp) return sdp;
  return sdp.replace(
    HOST_CANDIDATE,
    (_line, head: string, _address: string, tail: string) => `${head}${announcedIp}${tail}`,
  );
}
