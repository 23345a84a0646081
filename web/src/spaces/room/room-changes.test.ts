import { describe, expect, it } from 'vitest';
import type { Role } from '../../media/types.ts';
import {
  applyRoomChange,
  type RoomParticipant,
  type RoomView,
  sequenceStep,
} from './room-changes.ts';

const person = (id: string, role: Role = 'LISTENER', extra: Partial<RoomParticipant> = {}) => ({
  id,
  role,
  muted: true,
  handRaised: false,
  invitedToSpeak: false,
  invitedAs: null,
  user: { id: `u-${id}`, handle: id, displayName: id.toUpperCase(), avatarUrl: null },
  ...extra,
});

const host = person('host', 'HOST');
const room = (extra: Partial<RoomView> = {}): RoomView => ({
  state: 'LIVE',
  mediaMode: 'MESH',
  captionsOn: false,
  recording: null,
  participantCount: 1,
  host: host.user,
  stage: [host],
  speakerRequests: [],
  viewerParticipant: null,
  roster: { edges: [{ node: { id: 'host', role: 'HOST', muted: true } }] },
  ...extra,
});

describe('applyRoomChange', () => {
  it('shows a room that the host starts recording as recorded', () => {
    const recorded = applyRoomChange(
      room(),
      { kind: 'recording', recording: { id: 'rec', state: 'RECORDING' } },
      undefined,
    );
    expect(recorded.recording).toEqual({ id: 'rec', state: 'RECORDING' });
  });

  it('puts a listener whose hand is up in the request queue, and on stage once invited up', () => {
    const raised = applyRoomChange(
      room(),
      { kind: 'participant', participant: person('sam', 'LISTENER', { handRaised: true }) },
      undefined,
    );
    expect(raised.speakerRequests.map((p) => p.id)).toEqual(['sam']);
    expect(raised.stage.map((p) => p.id)).toEqual(['host']);
    const speaking = applyRoomChange(
      raised,
      { kind: 'participant', participant: person('sam', 'SPEAKER') },
      undefined,
    );
    expect(speaking.speakerRequests).toEqual([]);
    expect(speaking.stage.map((p) => [p.id, p.role])).toEqual([
      ['host', 'HOST'],
      ['sam', 'SPEAKER'],
    ]);
    expect(speaking.roster.edges.map((edge) => edge.node)).toContainEqual({
      id: 'sam',
      role: 'SPEAKER',
      muted: true,
    });
  });

  it('keeps the stage in order: a new co-host goes before the speakers', () => {
    const withSpeaker = applyRoomChange(
      room(),
      { kind: 'participant', participant: person('sam', 'SPEAKER') },
      undefined,
    );
    const withCohost = applyRoomChange(
      withSpeaker,
      { kind: 'participant', participant: person('jo', 'COHOST') },
      undefined,
    );
    expect(withCohost.stage.map((p) => p.id)).toEqual(['host', 'jo', 'sam']);
  });

  it("recognises the viewer's own place by their user, and forgets it when they leave", () => {
    const me = person('me');
    const joined = applyRoomChange(room(), { kind: 'participant', participant: me }, 'u-me');
    expect(joined.viewerParticipant).toBe(me);
    const left = applyRoomChange(joined, { kind: 'left', participantId: 'me' }, 'u-me');
    expect(left.viewerParticipant).toBeNull();
    expect(left.roster.edges.map((edge) => edge.node.id)).toEqual(['host']);
  });

  it('changes nothing when applied twice', () => {
    const change = { kind: 'participant', participant: person('sam', 'SPEAKER') } as const;
    const once = applyRoomChange(room(), change, undefined);
    const twice = applyRoomChange(once, change, undefined);
    expect(twice).toEqual(once);
  });

  it('hands the host badge to whoever becomes host', () => {
    const next = applyRoomChange(
      room(),
      { kind: 'participant', participant: person('jo', 'HOST') },
      undefined,
    );
    expect(next.host.handle).toBe('jo');
  });
});

describe('sequenceStep', () => {
  it('applies the next number, skips what the room read already holds, and sees gaps', () => {
    expect(sequenceStep(4, 5)).toBe('apply');
    expect(sequenceStep(4, 4)).toBe('skip');
    expect(sequenceStep(4, 2)).toBe('skip');
    expect(sequenceStep(4, 7)).toBe('gap');
  });
});
