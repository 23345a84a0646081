import { createHmac } from 'node:crypto';

/** A TURN server that takes coturn's REST-API credentials (`use-auth-secret`). */
export type TurnConfig = {
  /** `turn:` / `turns:` URLs of the TURN server(s). */
  urls: string[];
  /** coturn's `static-auth-secret`. */
  secret: string;
  /** How long one credential is valid. @default 600 */
  ttlSeconds: number;
};

export type IceServer = { urls: string | string[]; username?: string; credential?: string };

/**
 * A credential in the TURN REST API scheme coturn checks with `use-auth-secret`: the username is
 * `<expiry unix seconds>:<label>`, the password base64(HMAC-SHA1(secret, username)). The server
 * needs no per-user state, and a leaked credential dies at its expiry.
 */
export function turnCredential(turn: TurnConfig, label: string, now: Date): IceServer {
  const expiry = Math.floor(now.getTime() / 1000) + turn.ttlSeconds;
  const username = `${expiry}:${label}`;
  const credential = createHmac('sha1', turn.secret).update(username).digest('base64');
  return { urls: turn.urls, username, credential };
}
