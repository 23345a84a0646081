import { describe, expect, it } from 'vitest';
import { linkToUnlisted, offersTo, planMeshConnections, publishesToRelay } from './mesh-plan.ts';
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
  it('connects a speaker to everyone else, sending to all and receiving from speakers', () => {
    expect(planMeshConnections('MESH', roster, 'b')).toEqual([
      { participantId: 'a', initiator: true, send: true, receive: true },
      { participantId: 'c', initiator: false, send: true, receive: false },
      { participantId: 'd', initiator: false, send: true, receive: false },
    ]);
  });

  it('connects a listener only to people on stage, receiving without sending', () => {
    expect(planMeshConnections('MESH', roster, 'c')).toEqual([
      { participantId: 'a', initiator: true, send: false, receive: true },
      { participantId: 'b', initiator: true, send: false, receive: true },
    ]);
  });

  it('never connects two listeners', () => {
    const links = planMeshConnections('MESH', roster, 'd');
    expect(links.map((link) => link.participantId)).not.toContain('c');
  });

  it('makes exactly one side of every pair the initiator, the newer place', () => {
    const ids = roster.map((e) => e.participantId);
    for (const self of ids) {
      for (const link of planMeshConnections('MESH', roster, self)) {
        const back = planMeshConnections('MESH', roster, link.participantId).find(
          (other) => other.participantId === self,
        );
        expect(back, `${link.participantId} plans a link back to ${self}`).toBeDefined();
        expect(back?.initiator).toBe(!link.initiator);
        expect(link.initiator).toBe(self > link.participantId);
        expect(back?.send).toBe(link.receive);
      }
    }
  });

  it('keeps the initiator when a listener is invited to the stage', () => {
    const before = planMeshConnections('MESH', roster, 'c');
    const promoted = roster.map((e) => (e.participantId === 'c' ? entry('c', 'SPEAKER') : e));
    const after = planMeshConnections('MESH', promoted, 'c');
    expect(after.find((l) => l.participantId === 'a')?.initiator).toBe(
      before.find((l) => l.participantId === 'a')?.initiator,
    );
    expect(after.find((l) => l.participantId === 'd')).toEqual({
      participantId: 'd',
      initiator: false,
      send: true,
      receive: false,
    });
  });

  it("orders the API's global ids by the time-ordered UUIDs inside them, not their base64", () => {
    const id = (uuid: string) => btoa(`Participant:${uuid}`);
    // base64 puts digits before letters: these two sort the other way round as strings.
    const older = id('010248d7-029a-75a1-b4a2-991501befb9b');
    const newer = id('014248d7-029a-75a1-b4a2-991501befb9b');
    expect(newer < older).toBe(true);
    expect(offersTo(newer, older)).toBe(true);
    expect(offersTo(older, newer)).toBe(false);
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

describe('linkToUnlisted', () => {
  it('has someone on stage of a mesh answer a participant the roster does not list yet', () => {
    // 'e' took its place after 'b', so 'e' offers.
    expect(linkToUnlisted('MESH', roster, 'b', 'e')).toEqual({
      participantId: 'e',
      initiator: false,
      send: true,
      receive: false,
    });
  });

  it('leaves listeners, the relay, and self to wait for the roster', () => {
    expect(linkToUnlisted('MESH', roster, 'c', 'e')).toBeNull();
    expect(linkToUnlisted('MESH', roster, 'not-in-the-roster', 'e')).toBeNull();
    expect(linkToUnlisted('RELAY', roster, 'a', 'e')).toBeNull();
    expect(linkToUnlisted(null, roster, 'a', 'e')).toBeNull();
    expect(linkToUnlisted('MESH', roster, 'a', 'a')).toBeNull();
  });
});
