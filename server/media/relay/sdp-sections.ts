/** One `m=` section of an SDP: its kind, port and `a=` attribute values (without the `a=`). */
export type MediaSection = { kind: string; port: number; protocol: string; attributes: string[] };

/** An SDP split into session-level attributes and media sections; undefined if it is not SDP. */
export type SdpOutline = { firstLine: string; session: string[]; media: MediaSection[] };

const MEDIA_LINE = /^m=(\S+) (\d+)(?:\/\d+)? (\S+)(?: .*)?$/;

/** Splits an SDP into sections without interpreting it; tolerant of `\n` or `\r\n` endings. */
export function outlineSdp(sdp: string): SdpOutline | undefined {
  const lines = sdp.split(/\r?\n/).filter((line) => line.length > 0);
  const [firstLine] = lines;
  if (firstLine === undefined) return undefined;
  const session: string[] = [];
  const media: MediaSection[] = [];
  for (const line of lines) {
    if (line.startsWith('m=')) {
      const match = MEDIA_LINE.exec(line);
      if (!match) return undefined;
      media.push({
        kind: match[1] ?? '',
        port: Number(match[2]),
        protocol: match[3] ?? '',
        attributes: [],
      });
      continue;
    }
    if (!line.startsWith('a=')) continue;
    const current = media.at(-1);
    (current ? current.attributes : session).push(line.slice(2));
  }
  return { firstLine, session, media };
}

/** The value of the first `name:value` attribute, or '' for a bare `name` flag. */
export function attribute(attributes: readonly string[], name: string): string | undefined {
  for (const entry of attributes) {
    if (entry === name) return '';
    if (entry.startsWith(`${name}:`)) return entry.slice(name.length + 1);
  }
  return undefined;
}
