import { describe, expect, it } from 'vitest';
import { chooseMediaMode, defaultMeshPolicy } from './mesh-policy.ts';

const space = (participants: number, speakers: number, relayAudience = false) => ({
  participants,
  speakers,
  relayAudience,
});

describe('chooseMediaMode', () => {
  it('keeps a space of six a mesh', () => {
    expect(chooseMediaMode('MESH', space(6, 3), defaultMeshPolicy)).toBe('MESH');
  });

  it('moves the seventh participant onto the relay', () => {
    expect(chooseMediaMode('MESH', space(7, 1), defaultMeshPolicy)).toBe('RELAY');
  });

  it("moves to the relay when a speaker's uplink budget would not hold", () => {
    const policy = { maxMeshParticipants: 20, maxUplinkStreams: 4 };
    expect(chooseMediaMode('MESH', space(5, 1), policy)).toBe('MESH');
    expect(chooseMediaMode('MESH', space(6, 1), policy)).toBe('RELAY');
  });

  it('keeps a small space a mesh when guests listen through the relay', () => {
    expect(chooseMediaMode('MESH', space(1, 1, true), defaultMeshPolicy)).toBe('MESH');
    expect(chooseMediaMode('MESH', space(6, 3, true), defaultMeshPolicy)).toBe('MESH');
  });

  it('counts the relay publication guests need against the uplink budget', () => {
    const policy = { maxMeshParticipants: 20, maxUplinkStreams: 4 };
    expect(chooseMediaMode('MESH', space(5, 1, false), policy)).toBe('MESH');
    expect(chooseMediaMode('MESH', space(5, 1, true), policy)).toBe('RELAY');
    expect(chooseMediaMode('MESH', space(4, 1, true), policy)).toBe('MESH');
  });

  it('costs nothing for guests while nobody is on stage', () => {
    const policy = { maxMeshParticipants: 20, maxUplinkStreams: 0 };
    expect(chooseMediaMode('MESH', space(5, 0, true), policy)).toBe('MESH');
  });

  it('never goes back to a mesh once on the relay', () => {
    expect(chooseMediaMode('RELAY', space(2, 1), defaultMeshPolicy)).toBe('RELAY');
    expect(chooseMediaMode('RELAY', space(2, 1, true), defaultMeshPolicy)).toBe('RELAY');
  });
});
