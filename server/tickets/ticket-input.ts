import { z } from 'zod';
import type { TicketingConfig } from '../config.ts';

/** A ticketed space's offer: price within the configured bounds, seats, and when sales end. */
export function ticketOfferSchema(
  now: Date,
  scheduledStart: Date,
  config: Pick<TicketingConfig, 'minPriceMinor' | 'maxPriceMinor' | 'currencies' | 'maxSeats'>,
) {
  return z.object({
    priceMinor: z
      .number()
      .int()
      .min(config.minPriceMinor, `must be at least ${config.minPriceMinor}`)
      .max(config.maxPriceMinor, `must be at most ${config.maxPriceMinor}`),
    currency: z
      .string()
      .transform((currency) => currency.toLowerCase())
      .pipe(z.enum(config.currencies as [string, ...string[]])),
    seats: z.number().int().min(1).max(config.maxSeats),
    salesEndAt: z
      .date()
      .refine((end) => end.getTime() > now.getTime(), 'must be in the future')
      // Sales may run into the space, never past its scheduled start by more than a day.
      .refine(
        (end) => end.getTime() <= scheduledStart.getTime() + 24 * 60 * 60_000,
        'must be at most a day after the scheduled start',
      ),
  });
}
