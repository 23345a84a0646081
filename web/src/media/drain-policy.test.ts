import { describe, expect, it } from 'vitest';
import { type MeshPeerNeedInput, meshPeerNeeded, relayNeeded } from './drain-policy.ts';

const peer = (input: Partial<MeshPeerNeedInput>): boolean =>
  meshPeerNeeded({
    mode: 'RELAY',
    linked: true,
    receive: true,
    send: false,
    meshFlowing: true,
    relayFlowing: false,
    remoteHearing: null,
    sinceModeChangeMs: 60_000,
    silentGraceMs: 10_000,
    ...input,
  });

describe('meshPeerNeeded', () => {
  it('keeps every linked peer in MESH mode and closes unlinked ones', () => {
    expect(peer({ mode: 'MESH', meshFlowing: false })).toBe(true);
    expect(peer({ mode: 'MESH', linked: false })).toBe(false);
    expect(peer({ linked: false })).toBe(false);
  });

  it('keeps a speaker’s peer until their audio flows through the relay', () => {
    expect(peer({ relayFlowing: false })).toBe(true);
    expect(peer({ relayFlowing: true })).toBe(false);
  });

  it('keeps a silent speaker’s peer for the grace period only', () => {
    expect(peer({ meshFlowing: false, sinceModeChangeMs: 2_000 })).toBe(true);
    expect(peer({ meshFlowing: false, sinceModeChangeMs: 10_000 })).toBe(false);
  });

  it('keeps a peer we send on until they report hearing us through the relay', () => {
    const sending = { receive: false, send: true };
    expect(peer({ ...sending, remoteHearing: null })).toBe(true);
    expect(peer({ ...sending, remoteHearing: 'mesh' })).toBe(true);
    expect(peer({ ...sending, remoteHearing: 'relay' })).toBe(false);
    expect(peer({ ...sending, remoteHearing: 'none' })).toBe(false);
  });

  it('keeps a peer between two speakers until both have switched', () => {
    const both = { receive: true, send: true };
    expect(peer({ ...both, relayFlowing: true, remoteHearing: 'mesh' })).toBe(true);
    expect(peer({ ...both, relayFlowing: false, remoteHearing: 'relay' })).toBe(true);
    expect(peer({ ...both, relayFlowing: true, remoteHearing: 'relay' })).toBe(false);
  });
});

describe('relayNeeded', () => {
  const base = { publishing: false, sinceModeChangeMs: 1_000, maxDrainMs: 30_000 };

  it('always keeps the relay in RELAY mode', () => {
    expect(relayNeeded({ ...base, mode: 'RELAY', weNeed: false, theyNeed: false })).toBe(true);
  });

  it('keeps it in MESH mode while anyone depends on it', () => {
    expect(relayNeeded({ ...base, mode: 'MESH', weNeed: true, theyNeed: false })).toBe(true);
    expect(relayNeeded({ ...base, mode: 'MESH', weNeed: false, theyNeed: true })).toBe(true);
    expect(relayNeeded({ ...base, mode: 'MESH', weNeed: false, theyNeed: false })).toBe(false);
  });

  it('keeps it in MESH mode for as long as we publish to its listeners', () => {
    const idle = { mode: 'MESH' as const, weNeed: false, theyNeed: false, maxDrainMs: 30_000 };
    expect(relayNeeded({ ...idle, publishing: true, sinceModeChangeMs: 3_600_000 })).toBe(true);
    expect(relayNeeded({ ...idle, publishing: false, sinceModeChangeMs: 3_600_000 })).toBe(false);
  });

  it('closes it after the longest drain whatever the reports say', () => {
    expect(
      relayNeeded({
        mode: 'MESH',
        publishing: false,
        weNeed: true,
        theyNeed: true,
        sinceModeChangeMs: 30_000,
        maxDrainMs: 30_000,
      }),
    ).toBe(false);
  });
});
