import { APIError } from 'better-auth/api';
import { hashPassword, verifyPassword } from 'better-auth/crypto';
import pLimit from 'p-limit';

/**
 * better-auth's own scrypt hashing (same format, so every stored hash still verifies), one
 * password at a time. Each check is a deliberately slow scrypt in libuv's thread pool; four at
 * once (the pool's size) leave the event loop a fifth of a core when the server has one, and
 * every request waits. Taking turns keeps at most one core busy hashing: a burst of sign-ins
 * waits for each other instead of stalling everyone else. Past `maxWaiting` checks in line, a
 * check is refused at once: a queue without end would hold every request of a flood (and its
 * memory) for as long as the flood lasts, and answer the real user only after it.
 */
export function passwordTakingTurns(maxWaiting: number) {
  const turn = pLimit(1);
  function take<T>(check: () => Promise<T>): Promise<T> {
    if (turn.pendingCount >= maxWaiting) {
      return Promise.reject(
        new APIError(
          'SERVICE_UNAVAILABLE',
          { code: 'BUSY', message: 'Too many sign-ins at once; try again in a moment.' },
          { 'Retry-After': '1' },
        ),
      );
    }
    return turn(check);
  }
  return {
    hash: (password: string) => take(() => hashPassword(password)),
    verify: (data: { hash: string; password: string }) => take(() => verifyPassword(data)),
  };
}
