/**
 * The storage key of a recording's playback file: the mix of every speaker as one Ogg Opus file,
 * whose time 0 is `Recording.startMs` in space time. Replay, `durationSeconds` and clips all read
 * this one key, so whatever writes the mix only has to agree with this function.
 */
export const playbackKeyOf = (recordingId: string) => `${recordingId}/mixed.ogg`;

/** Where a clip's cut file is kept: under its recording's prefix, so deleting one deletes both. */
export const clipKeyOf = (recordingId: string, clipId: string) =>
  `${recordingId}/clips/${clipId}.ogg`;
