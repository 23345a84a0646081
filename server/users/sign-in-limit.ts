import { APIError } from 'better-auth/api';
import type { Counters } from '../limits/counters.ts';
import { consume } from '../limits/limit-stores.ts';

/**
 * Bounds sign-in attempts per account (the email tried), from all addresses together, so a
 * botnet spreading guesses over many addresses still gets a handful per window. better-auth's own
 * limit counts per address.
 */
export function createSignInLimit(
  counters: Counters,
  rule: { max: number; windowSeconds: number },
) {
  return async (body: unknown) => {
    const email =
      body && typeof body === 'object' && 'email' in body && typeof body.email === 'string'
        ? body.email.trim().toLowerCase()
        : null;
    if (!email) return;
    const { allowed, retryAfterSeconds } = await consume(counters, `sign-in:${email}`, rule);
    if (allowed) return;
    throw new APIError(
      'TOO_MANY_REQUESTS',
      {
        code: 'RATE_LIMITED',
        message: 'Too many sign-in attempts for this account; try again later.',
      },
      { 'Retry-After': String(retryAfterSeconds) },
    );
  };
}
