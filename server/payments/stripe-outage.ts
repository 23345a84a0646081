import Stripe from 'stripe';

/**
 * Whether a stripe-node error means Stripe could not answer (network, timeout, its own 5xx, or
 * its rate limit) rather than refusing the request: the caller may retry later.
 */
export function isStripeOutage(error: unknown): boolean {
  if (error instanceof Stripe.errors.StripeConnectionError) return true;
  if (error instanceof Stripe.errors.StripeRateLimitError) return true;
  return error instanceof Stripe.errors.StripeError && (error.statusCode ?? 0) >= 500;
}
