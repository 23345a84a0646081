import { LEVEL_EXTENSION_URI, SCTP_PORT } from './relay-offer.ts';
import { attribute, type MediaSection, outlineSdp } from './sdp-sections.ts';

/** How the client will receive or send one audio section. */
export type AnsweredAudio = {
  /** False where the client rejected the section or made it inactive: nothing goes out there. */
  open: boolean;
  payloadType: number;
  /** The audio-level extension's id in this section, if the client accepted it. */
  levelId: number | undefined;
};

/** What the relay needs from a client's answer (already checked by assertAnswer). */
export type RelayAnswer = {
  /** The client's DTLS role: `active` makes the relay the DTLS server. */
  setup: 'active' | 'passive';
  fingerprint: { algorithm: string; value: string };
  audio: Map<string, AnsweredAudio>;
  sctpPort: number;
};

const RTPMAP_OPUS = /^rtpmap:(\d+) opus\/48000/i;
const EXTMAP = /^extmap:(\d+)(?:\/\S+)? (\S+)/;

function answeredAudio(section: MediaSection): AnsweredAudio {
  let payloadType = Number.NaN;
  let levelId: number | undefined;
  for (const entry of section.attributes) {
    const opus = RTPMAP_OPUS.exec(entry);
    if (opus && Number.isNaN(payloadType)) payloadType = Number(opus[1]);
    const extension = EXTMAP.exec(entry);
    if (extension?.[2] === LEVEL_EXTENSION_URI) levelId = Number(extension[1]);
  }
  const inactive = section.attributes.includes('inactive');
  return {
    open: section.port !== 0 && !inactive && payloadType >= 0 && payloadType <= 127,
    payloadType,
    // One-byte header extensions (the only kind the relay writes) have ids 1-14.
    levelId: levelId !== undefined && levelId >= 1 && levelId <= 14 ? levelId : undefined,
  };
}

/** Reads an answer that assertAnswer accepted; undefined if a field the relay needs is unusable. */
export function readAnswer(sdp: string): RelayAnswer | undefined {
  const outline = outlineSdp(sdp);
  const first = outline?.media[0];
  if (!outline || !first) return undefined;
  const inherited = (name: string) =>
    attribute(first.attributes, name) ?? attribute(outline.session, name);
  const setup = inherited('setup');
  const [algorithm, value] = (inherited('fingerprint') ?? '').split(' ');
  if ((setup !== 'active' && setup !== 'passive') || !algorithm || !value) return undefined;
  const audio = new Map<string, AnsweredAudio>();
  let sctpPort = SCTP_PORT;
  for (const section of outline.media) {
    const mid = attribute(section.attributes, 'mid') ?? '';
    if (section.kind === 'audio') audio.set(mid, answeredAudio(section));
    if (section.kind === 'application') {
      const port = Number(attribute(section.attributes, 'sctp-port') ?? SCTP_PORT);
      if (Number.isInteger(port) && port > 0 && port < 65536) sctpPort = port;
    }
  }
  return { setup, fingerprint: { algorithm: algorithm.toLowerCase(), value }, audio, sctpPort };
}
