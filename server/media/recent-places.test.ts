import { describe, expect, it } from 'vitest';
import type { Participant } from '../../prisma/generated/client/client.ts';
import { createRecentPlaces, RECENT_PLACE_MS } from './recent-places.ts';

const place = (id: string, userId: string): Participant =>
  ({ id, userId, spaceId: 's', role: 'LISTENER' }) as Participant;

function recentPlacesAt(start = 1_000) {
  const clock = { now: start };
  return { clock, places: createRecentPlaces(() => clock.now) };
}

describe('createRecentPlaces', () => {
  it('finds the sender by user and the others by place while the read is recent', () => {
    const { clock, places } = recentPlacesAt();
    places.remember('s', [place('p1', 'u1'), place('p2', 'u2')], places.beginRead());
    expect(places.find('s', 'u1', ['p2'])?.places.map((p) => p.id)).toEqual(['p1', 'p2']);
    expect(places.find('s', 'u1', ['p3'])).toBeNull();
    expect(places.find('other', 'u1', ['p2'])).toBeNull();
    clock.now += RECENT_PLACE_MS;
    expect(places.find('s', 'u1', ['p2'])).toBeNull();
  });

  it('forgets the places a change touched, or the whole space', () => {
    const { places } = recentPlacesAt();
    places.remember('s', [place('p1', 'u1'), place('p2', 'u2')], places.beginRead());
    places.forget('s', ['p2']);
    expect(places.find('s', 'u1', ['p2'])).toBeNull();
    expect(places.find('s', 'u1', [])).not.toBeNull();
    places.forget('s');
    expect(places.find('s', 'u1', [])).toBeNull();
  });

  it('does not remember what changed after its read began', () => {
    const { clock, places } = recentPlacesAt();
    const before = places.beginRead();
    places.forget('s', ['p1']);
    places.remember('s', [place('p1', 'u1'), place('p2', 'u2')], before);
    expect(places.findAll('s', ['p1'])).toBeNull();
    expect(places.findAll('s', ['p2'])).not.toBeNull();
    places.forget('s');
    places.remember('s', [place('p3', 'u3')], before);
    expect(places.findAll('s', ['p3'])).toBeNull();
    // A read that began after it is remembered; one too old to vouch for anything is not.
    places.remember('s', [place('p1', 'u1')], places.beginRead());
    expect(places.find('s', 'u1', [])).not.toBeNull();
    const slow = places.beginRead();
    clock.now += RECENT_PLACE_MS;
    places.remember('t', [place('q1', 'u1')], slow);
    expect(places.find('t', 'u1', [])).toBeNull();
  });
});
