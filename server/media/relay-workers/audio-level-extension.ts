const AUDIO_LEVEL_URI = 'urn:ietf:params:rtp-hdrext:ssrc-audio-level';

/**
 * The id a client's SDP gives the RFC 6464 audio level extension on its first audio section (the
 * microphone the relay receives), if it negotiated one.
 */
export function audioLevelExtensionId(sdp: string): number | undefined {
  const firstAudio = sdp.split(/^m=/m).find((section) => section.startsWith('audio '));
  const match = firstAudio
    ?.match(/^a=extmap:(\d+)(?:\/\w+)? (\S+)/gm)
    ?.find((line) => line.endsWith(` ${AUDIO_LEVEL_URI}`));
  const id = Number(match?.slice('a=extmap:'.length).split(/[ /]/)[0]);
  return Number.isInteger(id) && id >= 1 && id <= 255 ? id : undefined;
}
