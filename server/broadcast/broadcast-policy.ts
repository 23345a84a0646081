/** How a listener hears a space: the relay (WebRTC, live) or the broadcast (HLS, seconds behind). */
export type Listening = 'RELAY' | 'BROADCAST';

/**
 * Where a listener who has not chosen goes: past `afterListeners` listeners the relay's
 * per-listener sessions are the cost that grows, and the broadcast's cacheable segments are not.
 * Speakers always stay live; so does whoever chose the relay.
 */
export function chooseListening(listeners: number, afterListeners: number): Listening {
  return listeners > afterListeners ? 'BROADCAST' : 'RELAY';
}
