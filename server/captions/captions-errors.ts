import { AppError } from '../errors.ts';

export class CaptionsUnavailable extends AppError {
  constructor() {
    super('Captions are not available on this server (no speech engine or no relay).');
  }
}
