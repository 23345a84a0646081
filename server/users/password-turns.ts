import { hashPassword, verifyPassword } from 'better-auth/crypto';
import pLimit from 'p-limit';

/**
 * better-auth's own scrypt hashing (same format, so every stored hash still verifies), one
 * password at a time. Each check is a deliberately slow scrypt in libuv's thread pool; four at
 * once (the pool's size) leave the event loop a fifth of a core when the server has one, and
 * every request waits. Taking turns keeps at most one core busy hashing: a burst of sign-ins
 * waits for each other instead of stalling everyone else.
 */
export function passwordTakingTurns() {
  const turn = pLimit(1);
  return {
    hash: (password: string) => turn(() => hashPassword(password)),
    verify: (data: { hash: string; password: string }) => turn(() => verifyPassword(data)),
  };
}
