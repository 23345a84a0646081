import { describe, expect, it } from 'vitest';
import { type MicPromptInput, micPrompt } from './mic-prompt.ts';

const onStage: MicPromptInput = {
  onStage: true,
  muted: true,
  micReady: true,
  starting: false,
  error: null,
  unmutedOnce: false,
};

describe('micPrompt', () => {
  it('tells someone who just arrived on stage that they are muted', () => {
    expect(micPrompt(onStage)).toEqual({ kind: 'muted' });
  });

  it('says nothing once they have unmuted, even if they mute again', () => {
    expect(micPrompt({ ...onStage, muted: false, unmutedOnce: true })).toBeNull();
    expect(micPrompt({ ...onStage, muted: true, unmutedOnce: true })).toBeNull();
  });

  it('says nothing to listeners', () => {
    expect(micPrompt({ ...onStage, onStage: false, micReady: false })).toBeNull();
  });

  it('asks for the microphone while the browser is asking, and offers it again when refused', () => {
    expect(micPrompt({ ...onStage, micReady: false, starting: true })).toEqual({ kind: 'asking' });
    expect(micPrompt({ ...onStage, micReady: false })).toEqual({ kind: 'off' });
    expect(
      micPrompt({ ...onStage, micReady: false, error: 'Blocked.', unmutedOnce: true }),
    ).toEqual({ kind: 'failed', reason: 'Blocked.' });
  });
});
