import type { RecordingState } from '../../prisma/generated/client/client.ts';

/** A space's recording left RECORDING; published after the space ended, so on its own topic. */
export type RecordingStateChanged = { spaceId: string; recordingId: string; state: RecordingState };
