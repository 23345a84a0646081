import type { RecordingState } from '../../prisma/generated/client/client.ts';
import { AppError } from '../errors.ts';

export class RecordingUnavailable extends AppError {
  constructor() {
    super('Recording is not available on this server (no relay or no recording storage).');
  }
}

export class RecordingInProgress extends AppError {
  constructor() {
    super('The space is still being recorded; end it first.');
  }
}

export class RecordingNotReady extends AppError {
  constructor(readonly state: RecordingState) {
    super(`This recording is ${state.toLowerCase()}, not ready to play.`);
  }
}
