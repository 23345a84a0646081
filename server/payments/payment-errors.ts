import { AppError } from '../errors.ts';

/**
 * The payment provider did not answer in time, dropped the connection or reported an outage. The
 * caller's request changed nothing that lasts (a held seat is given back), so trying again later
 * is safe.
 */
export class PaymentProviderUnavailable extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    super('Payments are unavailable right now; nothing was charged. Try again shortly.');
  }
}
