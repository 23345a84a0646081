import { describe, expect, it } from 'vitest';
import { microphoneError } from './microphone.ts';

const named = (name: string) => Object.assign(new Error(`${name} happened`), { name });

describe('microphoneError', () => {
  it.each([
    ['NotAllowedError', 'MIC_DENIED'],
    ['SecurityError', 'MIC_DENIED'],
    ['NotFoundError', 'MIC_NOT_FOUND'],
    ['OverconstrainedError', 'MIC_NOT_FOUND'],
    ['NotReadableError', 'MIC_UNAVAILABLE'],
    ['AbortError', 'MIC_UNAVAILABLE'],
  ])('maps %s to %s', (name, reason) => {
    const error = microphoneError(named(name));
    expect(error.reason).toBe(reason);
    expect(error.message).toBe(`${name} happened`);
  });
});
