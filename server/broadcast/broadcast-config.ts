export type BroadcastConfig = {
  /**
   * Signs broadcast URLs of ticketed spaces (HMAC-SHA256). Unset, a key is derived from the auth
   * secret, which instances already share. @default undefined
   */
  urlSecret: string | undefined;
  /** How long a signed broadcast URL works, at least (s). @default 3600 */
  urlTtlSeconds: number;
  /**
   * Listeners past which the web client moves a listener from the relay (WebRTC, live) to the
   * broadcast (HLS, a few seconds behind). @default 500
   */
  afterListeners: number;
  /** A broadcast nobody fetched for this long stops mixing (s). @default 60 */
  idleSeconds: number;
};

export const defaultBroadcastConfig: BroadcastConfig = {
  urlSecret: undefined,
  urlTtlSeconds: 3600,
  afterListeners: 500,
  idleSeconds: 60,
};
