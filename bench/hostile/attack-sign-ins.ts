import { randomBytes, randomUUID } from 'node:crypto';
import type { Attack } from './attack.ts';
import { send } from './http-client.ts';
import { answerLabel } from './outcomes.ts';

/** An address from 10.0.0.0/8, for a client pretending to be behind a proxy. */
const someAddress = () =>
  `10.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`;

/**
 * Wrong passwords as fast as sixteen connections go: half for a real account, half for unknown
 * emails; half of them claim a fresh X-Forwarded-For, as a script dodging per-address limits does.
 */
export const signInAttack: Attack = {
  lanes: 16,
  async fire({ target, agent }) {
    const email =
      Math.random() < 0.5 ? target.victimEmail : `nobody-${randomUUID()}@hostile.invalid`;
    const body = JSON.stringify({ email, password: randomBytes(9).toString('base64url') });
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      origin: target.origin,
    };
    if (Math.random() < 0.5) headers['x-forwarded-for'] = someAddress();
    const answer = await send({
      url: `${target.baseUrl}/api/auth/sign-in/email`,
      method: 'POST',
      headers,
      body,
      timeoutMs: 60_000,
      agent,
    });
    return { label: answerLabel(answer), bytesSent: Buffer.byteLength(body) };
  },
};
