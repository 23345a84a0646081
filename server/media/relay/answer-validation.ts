import { RelayError } from './relay-error.ts';
import { attribute, type MediaSection, outlineSdp } from './sdp-sections.ts';

/** Far above any real answer (~10 kB for 15 sections); refuses to parse megabytes of junk. */
const MAX_ANSWER_LENGTH = 100_000;

/** What an answer must mirror: the kinds and mids of the relay's offer, in order. */
export type OfferedSection = { kind: string; mid: string };

/** Reads the sections of the relay's own offer. */
export function offeredSections(offer: string): OfferedSection[] {
  return (outlineSdp(offer)?.media ?? []).map((section) => ({
    kind: section.kind,
    mid: attribute(section.attributes, 'mid') ?? '',
  }));
}

function bad(message: string): never {
  throw new RelayError('BAD_SDP', message);
}

/**
 * Checks that `sdp` is an answer to the offered sections, section by section, before the relay
 * reads anything from it: an offer passed in place of an answer, missing ICE credentials or
 * fingerprint, or a section that is not the one offered. Throws RelayError('BAD_SDP').
 */
export function assertAnswer(sdp: unknown, offered: readonly OfferedSection[]): void {
  if (typeof sdp !== 'string' || sdp.length === 0) bad('The answer is empty.');
  if (sdp.length > MAX_ANSWER_LENGTH) bad('The answer is too long.');
  const outline = outlineSdp(sdp);
  if (outline?.firstLine !== 'v=0') bad('The answer is not SDP.');
  if (outline.media.length !== offered.length) {
    bad(`The answer has ${outline.media.length} media sections; ${offered.length} were offered.`);
  }
  outline.media.forEach((section, index) => {
    assertSection(section, outline.session, offered[index]!);
  });
}

function assertSection(
  section: MediaSection,
  session: readonly string[],
  offered: OfferedSection,
): void {
  const mid = attribute(section.attributes, 'mid');
  if (section.kind !== offered.kind || mid !== offered.mid) {
    bad(`Media section ${offered.mid} does not match the offer.`);
  }
  const inherited = (name: string) =>
    attribute(section.attributes, name) ?? attribute(session, name);
  // An offer says actpass; an answer must pick a DTLS role (RFC 5763 section 5).
  const setup = inherited('setup');
  if (setup !== 'active' && setup !== 'passive') {
    bad(`Media section ${offered.mid} is not an answer (setup: ${setup ?? 'missing'}).`);
  }
  if (!inherited('ice-ufrag') || !inherited('ice-pwd') || !inherited('fingerprint')) {
    bad(`Media section ${offered.mid} lacks ICE credentials or a DTLS fingerprint.`);
  }
  if (section.kind !== 'audio' || section.port === 0) return;
  const hasOpus = section.attributes.some((entry) => /^rtpmap:\d+ opus\/48000/i.test(entry));
  if (!hasOpus) bad(`Media section ${offered.mid} does not accept Opus.`);
}
