import { describe, expect, it } from 'vitest';
import { chooseMediaMode, defaultMeshPolicy } from './mesh-policy.ts';

describe('chooseMediaMode', () => {
  it('keeps a space of six a mesh', () => {
    expect(chooseMediaMode('MESH', { participants: 6, speakers: 3 }, defaultMeshPolicy)).toBe(
      'MESH',
    );
  });

  it('moves the seventh participant onto the relay', () => {
    expect(chooseMediaMode('MESH', { participants: 7, speakers: 1 }, defaultMeshPolicy)).toBe(
      'RELAY',
    );
  });

  it("moves to the relay when a speaker's uplink budget would not hold", () => {
    const policy = { maxMeshParticipants: 20, maxUplinkStreams: 4 };
    expect(chooseMediaMode('MESH', { participants: 5, speakers: 1 }, policy)).toBe('MESH');
    expect(chooseMediaMode('MESH', { participants: 6, speakers: 1 }, policy)).toBe('RELAY');
  });

  it('never goes back to a mesh once on the relay', () => {
    expect(chooseMediaMode('RELAY', { participants: 2, speakers: 1 }, defaultMeshPolicy)).toBe(
      'RELAY',
    );
  });
});
