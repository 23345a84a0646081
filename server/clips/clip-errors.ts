import { AppError } from '../errors.ts';

/** The range asked for is not a clip of this recording: too short, too long, or past its end. */
export class InvalidClipRange extends AppError {
  constructor(
    readonly minSeconds: number,
    readonly maxSeconds: number,
    /** The recording's length, which a clip must lie within. */
    readonly durationSeconds: number,
  ) {
    super(
      `A clip is ${minSeconds} to ${maxSeconds} seconds long and lies within the recording (0 to ${durationSeconds} s).`,
    );
  }
}
