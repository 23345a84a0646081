import { describe, expect, it } from 'vitest';
import { chooseListening } from './listening-choice.ts';

const base = { onStage: false, chosen: null, recommended: 'RELAY', broadcastUrl: '/b' } as const;

describe('chooseListening', () => {
  it('follows the recommendation until the listener chooses', () => {
    expect(chooseListening(base)).toBe('RELAY');
    expect(chooseListening({ ...base, recommended: 'BROADCAST' })).toBe('BROADCAST');
    expect(chooseListening({ ...base, recommended: 'BROADCAST', chosen: 'RELAY' })).toBe('RELAY');
    expect(chooseListening({ ...base, chosen: 'BROADCAST' })).toBe('BROADCAST');
  });

  it('keeps people on stage live, and everyone live where there is no broadcast for them', () => {
    expect(chooseListening({ ...base, onStage: true, chosen: 'BROADCAST' })).toBe('RELAY');
    expect(chooseListening({ ...base, broadcastUrl: null, chosen: 'BROADCAST' })).toBe('RELAY');
  });
});
