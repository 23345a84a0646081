import { describe, expect, it } from 'vitest';
import type { MeshLink } from './mesh-plan.ts';
import { type DrainInput, planDrain } from './transport-drain.ts';
import type { SourceKind } from './types.ts';

const link = (participantId: string, send: boolean, receive: boolean): MeshLink => ({
  participantId,
  initiator: true,
  send,
  receive,
});

const input = (overrides: Partial<DrainInput> & { flows?: string[] }): DrainInput => {
  const flows = new Set(overrides.flows ?? []);
  return {
    mode: 'RELAY',
    links: [link('a', false, true)],
    sending: false,
    publishing: false,
    flowing: (source: SourceKind, id: string) => flows.has(`${source}:${id}`),
    muted: () => false,
    playing: () => 'mesh',
    remoteHearing: new Map(),
    sinceModeChangeMs: 60_000,
    silentGraceMs: 10_000,
    maxDrainMs: 30_000,
    ...overrides,
  };
};

describe('planDrain', () => {
  it('keeps every link and allows new peers in MESH mode', () => {
    const plan = planDrain(input({ mode: 'MESH', flows: [] }));
    expect(plan.meshLinks.map((l) => l.participantId)).toEqual(['a']);
    expect(plan.connectNew).toBe(true);
  });

  it('in RELAY mode keeps a speaker’s link until relay audio flows', () => {
    expect(planDrain(input({ flows: ['mesh:a'] })).meshLinks).toHaveLength(1);
    expect(planDrain(input({ flows: ['mesh:a', 'relay:a'] })).meshLinks).toHaveLength(0);
  });

  it('does not hold a link for a muted speaker whose mesh only carries silence', () => {
    expect(planDrain(input({ flows: ['mesh:a'], muted: () => true })).meshLinks).toHaveLength(0);
  });

  it('reports how we hear each linked participant', () => {
    const plan = planDrain(input({ playing: (id) => (id === 'a' ? 'relay' : null) }));
    expect(plan.hearing).toEqual(new Map([['a', 'relay']]));
  });

  describe('RELAY → MESH', () => {
    const downgrade = { mode: 'MESH' as const, sinceModeChangeMs: 1_000 };

    it('keeps the relay while a participant flows only through it', () => {
      const plan = planDrain(input({ ...downgrade, playing: () => 'relay', flows: ['relay:a'] }));
      expect(plan.closeRelay).toBe(false);
      const switched = planDrain(
        input({ ...downgrade, playing: () => 'mesh', flows: ['relay:a', 'mesh:a'] }),
      );
      expect(switched.closeRelay).toBe(true);
    });

    it('keeps the relay until everyone we send to hears us through the mesh', () => {
      const base = { ...downgrade, sending: true, links: [link('c', true, false)] };
      expect(planDrain(input(base)).closeRelay).toBe(false);
      const heard = planDrain(input({ ...base, remoteHearing: new Map([['c', 'mesh' as const]]) }));
      expect(heard.closeRelay).toBe(true);
    });

    it('closes the relay after the longest drain whatever the reports say', () => {
      const plan = planDrain(
        input({
          mode: 'MESH',
          sending: true,
          links: [link('c', true, false)],
          sinceModeChangeMs: 30_000,
        }),
      );
      expect(plan.closeRelay).toBe(true);
    });
  });
});
