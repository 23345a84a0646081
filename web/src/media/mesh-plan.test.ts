import { describe, expect, it } from 'vitest';
import { planMeshConnections, publishesToRelay } from './mesh-plan.ts';
import type { Role, RosterEntry } from './types.ts';

const entry = (participantId: string, role: Role): RosterEntry => ({
  participantId,
  role,
  muted: false,
});

const roster = [
  entry('a', 'HOST'),
  entry('b', 'SPEAKER'),
  entry('c', 'LISTENER'),
  entry('d', 'LISTENER'),
];

describe('planMeshConnections', () => {
  it('connects a speaker to everyone else, offering to every listener, sending to all and receiving from speakers', () => {
    expect(planMeshConnections('MESH', roster, 'b')).toEqual([
      { participantId: 'a', initiator: false, send: true, receive: true },
      { participantId: 'c', initiator: true, send: true, receive: false },
      { participantId: 'd', initiator: true, send: true, receive: false },
    ]);
  });

  it('connects a listener only to people on stage, who offer, receiving without sending', () => {
    expect(planMeshConnections('MESH', roster, 'c')).toEqual([
      { participantId: 'a', initiator: false, send: false, receive: true },
      { participantId: 'b', initiator: false, send: false, receive: true },
    ]);
  });

  it('has the stage offer to a listener whatever their ids', () => {
    const space = [entry('z', 'HOST'), entry('a', 'LISTENER')];
    expect(planMeshConnections('MESH', space, 'z')[0]?.initiator).toBe(true);
    expect(planMeshConnections('MESH', space, 'a')[0]?.initiator).toBe(false);
  });

  it('never connects two listeners', () => {
    const links = planMeshConnections('MESH', roster, 'd');
    expect(links.map((link) => link.participantId)).not.toContain('c');
  });

  it('makes exactly one side of every pair the initiator: the one on stage, or the smaller participantId', () => {
    const ids = roster.map((e) => e.participantId);
    for (const self of ids) {
      for (const link of planMeshConnections('MESH', roster, self)) {
        const back = planMeshConnections('MESH', roster, link.participantId).find(
          (other) => other.participantId === self,
        );
        expect(back, `${link.participantId} plans a link back to ${self}`).toBeDefined();
        expect(back?.initiator).toBe(!link.initiator);
        const onStage = (id: string) =>
          roster.find((e) => e.participantId === id)?.role !== 'LISTENER';
        const bothOnStage = onStage(self) && onStage(link.participantId);
        expect(link.initiator).toBe(bothOnStage ? self < link.participantId : onStage(self));
        expect(back?.send).toBe(link.receive);
      }
    }
  });

  it('swaps the initiator of a pair when its listener, of the smaller id, is invited to the stage', () => {
    const withEarly = [entry('0', 'LISTENER'), ...roster];
    const before = planMeshConnections('MESH', withEarly, '0');
    expect(before.find((l) => l.participantId === 'a')?.initiator).toBe(false);
    const promoted = withEarly.map((e) => (e.participantId === '0' ? entry('0', 'SPEAKER') : e));
    const after = planMeshConnections('MESH', promoted, '0');
    expect(after.find((l) => l.participantId === 'a')?.initiator).toBe(true);
    expect(after.find((l) => l.participantId === 'd')).toEqual({
      participantId: 'd',
      initiator: true,
      send: true,
      receive: false,
    });
  });

  it('plans nothing in RELAY mode or when self is not in the roster', () => {
    expect(planMeshConnections('RELAY', roster, 'a')).toEqual([]);
    expect(planMeshConnections('MESH', roster, 'zz')).toEqual([]);
  });

  it('ignores duplicate roster entries and self', () => {
    const links = planMeshConnections('MESH', [...roster, entry('b', 'SPEAKER')], 'a');
    expect(links.map((link) => link.participantId)).toEqual(['b', 'c', 'd']);
  });
});

describe('publishesToRelay', () => {
  it('has people on stage of a mesh publish to the relay once someone listens there', () => {
    expect(publishesToRelay('MESH', true, roster, 'a')).toBe(true);
    expect(publishesToRelay('MESH', true, roster, 'b')).toBe(true);
  });

  it('leaves listeners, and a mesh nobody hears through the relay, on the mesh alone', () => {
    expect(publishesToRelay('MESH', true, roster, 'c')).toBe(false);
    expect(publishesToRelay('MESH', false, roster, 'a')).toBe(false);
    expect(publishesToRelay('MESH', true, roster, 'not-in-the-roster')).toBe(false);
  });

  it('is no separate publication in RELAY mode, where everyone holds the relay anyway', () => {
    expect(publishesToRelay('RELAY', true, roster, 'a')).toBe(false);
  });
});
