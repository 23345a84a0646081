import type { Tx } from '../spaces/space-transaction.ts';

/**
 * Seats taken: issued tickets plus holds whose checkout is still open. Counted under the space's
 * row lock, so two buyers can never both take the last seat. A hold past its expiry no longer
 * counts even before Stripe's `checkout.session.expired` arrives (the session cannot be paid).
 */
export function seatsTaken(tx: Tx, spaceId: string, now: Date) {
  return tx.ticket.count({
    where: {
      spaceId,
      OR: [{ state: 'ISSUED' }, { state: 'PENDING', holdExpiresAt: { gt: now } }],
    },
  });
}
