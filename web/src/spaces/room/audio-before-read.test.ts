import { describe, expect, it } from 'vitest';
import { audioRoomBeforeRead } from './audio-before-read.ts';

const listener = { participantId: 'me', role: 'LISTENER' as const, muted: true };
const stage = [
  { id: 'host', role: 'HOST' as const, muted: false },
  { id: 'speaker', role: 'SPEAKER' as const, muted: true },
];

describe('the audio before the room is read', () => {
  it('links a mesh listener to everyone the page saw on stage, so their answers have a link', () => {
    const room = audioRoomBeforeRead(
      { ...listener, relayed: false },
      { mediaMode: 'MESH', relayAudience: false, stage },
    );
    expect(room).toEqual({
      mode: 'MESH',
      relayAudience: false,
      roster: [
        { participantId: 'host', role: 'HOST', muted: false },
        { participantId: 'speaker', role: 'SPEAKER', muted: true },
        listener,
      ],
    });
  });

  it('counts a speaker who rejoins once, as the join answered', () => {
    const room = audioRoomBeforeRead(
      { participantId: 'speaker', role: 'SPEAKER', muted: false, relayed: false },
      { mediaMode: 'MESH', relayAudience: true, stage },
    );
    expect(room?.roster.filter((entry) => entry.participantId === 'speaker')).toEqual([
      { participantId: 'speaker', role: 'SPEAKER', muted: false },
    ]);
    expect(room?.relayAudience).toBe(true);
  });

  it('needs only who we are when the join opened a relay session', () => {
    const room = audioRoomBeforeRead(
      { ...listener, relayed: true },
      { mediaMode: 'MESH', relayAudience: false, stage },
    );
    expect(room).toEqual({ mode: 'RELAY', relayAudience: false, roster: [listener] });
  });

  it('waits for the room in a relay space whose join brought no relay session', () => {
    expect(
      audioRoomBeforeRead(
        { ...listener, relayed: false },
        { mediaMode: 'RELAY', relayAudience: false, stage },
      ),
    ).toBeNull();
  });
});
