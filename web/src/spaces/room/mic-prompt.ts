/** What the person on stage is told about their microphone, or null when all is well. */
export type MicPrompt =
  | { kind: 'asking' }
  | { kind: 'failed'; reason: string }
  | { kind: 'off' }
  | { kind: 'muted' };

export type MicPromptInput = {
  onStage: boolean;
  muted: boolean;
  micReady: boolean;
  starting: boolean;
  error: string | null;
  /** Unmuted at least once since arriving on stage: muting after that is a choice, not a trap. */
  unmutedOnce: boolean;
};

/**
 * Someone who arrives on stage starts muted; they are told so until they first unmute, and
 * whenever the microphone is missing, since then unmuting would send nothing.
 */
export function micPrompt(input: MicPromptInput): MicPrompt | null {
  if (!input.onStage) return null;
  if (input.error) return { kind: 'failed', reason: input.error };
  if (!input.micReady) return input.starting ? { kind: 'asking' } : { kind: 'off' };
  if (input.muted && !input.unmutedOnce) return { kind: 'muted' };
  return null;
}
