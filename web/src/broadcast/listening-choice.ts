export type ListeningMode = 'RELAY' | 'BROADCAST';

/**
 * How this viewer hears the space. People on stage always hear it live (they talk back); a
 * listener's own choice wins; otherwise the server's recommendation (by audience size,
 * BROADCAST_AFTER_LISTENERS), when the space has a broadcast URL for them.
 */
export function chooseListening(input: {
  onStage: boolean;
  chosen: ListeningMode | null;
  recommended: ListeningMode;
  broadcastUrl: string | null;
}): ListeningMode {
  if (input.onStage || !input.broadcastUrl) return 'RELAY';
  return input.chosen ?? input.recommended;
}
