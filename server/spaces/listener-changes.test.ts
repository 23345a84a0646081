import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createListenerChanges, isListenerChange } from './listener-changes.ts';
import type { ParticipantSnapshot, SpaceEvent, SpaceEventOf } from './space-event.ts';

const snapshot = (id: string, role: ParticipantSnapshot['role'], left = false) =>
  ({
    id,
    spaceId: 's',
    userId: `u${id}`,
    role,
    muted: true,
    handRaisedAt: null,
    invitedAt: null,
    invitedAs: null,
    joinedAt: '2026-12-04T00:00:00.000Z',
    roleChangedAt: '2026-12-04T00:00:00.000Z',
    leftAt: left ? '2026-12-04T00:01:00.000Z' : null,
    removedAt: null,
    user: {
      id: `u${id}`,
      handle: `h${id}`,
      name: id,
      image: null,
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  }) satisfies ParticipantSnapshot;

const joined = (id: string, role: ParticipantSnapshot['role'] = 'LISTENER') =>
  ({
    kind: 'ParticipantJoined',
    spaceId: 's',
    participantId: id,
    participant: snapshot(id, role),
    at: '2026-12-04T00:00:00.000Z',
  }) as const;

const left = (id: string, removed = false) =>
  ({
    kind: 'ParticipantLeft',
    spaceId: 's',
    participantId: id,
    participant: snapshot(id, 'LISTENER', true),
    removed,
    at: '2026-12-04T00:01:00.000Z',
  }) as const;

describe('createListenerChanges', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const recorder = () => {
    const sent: SpaceEventOf<'ListenersChanged'>[] = [];
    return { sent, changes: createListenerChanges((event) => sent.push(event), 250) };
  };
  const ids = (list: ParticipantSnapshot[]) => list.map((participant) => participant.id);

  it('sends the first change at once, then what came in the interval as one event', () => {
    const { sent, changes } = recorder();
    changes.add(joined('a'));
    changes.add(joined('b'));
    changes.add(joined('c'));
    changes.add(left('b'));
    expect(sent.map((event) => ids(event.joined))).toEqual([['a']]);
    vi.advanceTimersByTime(250);
    expect(sent).toHaveLength(2);
    expect(ids(sent[1]!.joined)).toEqual(['c']);
    expect(ids(sent[1]!.left)).toEqual(['b']);
  });

  it('splits a big interval into events of at most 100 people', () => {
    const { sent, changes } = recorder();
    changes.add(joined('first'));
    for (let i = 0; i < 250; i++) changes.add(joined(`p${i}`));
    vi.advanceTimersByTime(250);
    expect(sent.map((event) => event.joined.length)).toEqual([1, 100, 100, 50]);
  });

  it('sends waiting changes when asked, so nothing overtakes them', () => {
    const { sent, changes } = recorder();
    changes.add(joined('a'));
    changes.add(joined('b'));
    expect(sent).toHaveLength(1);
    changes.flush('s');
    expect(sent.map((event) => ids(event.joined))).toEqual([['a'], ['b']]);
  });

  it('leaves the host and removals out: they go on their own', () => {
    const events: SpaceEvent[] = [joined('h', 'HOST'), left('x', true), joined('l'), left('l')];
    expect(events.map(isListenerChange)).toEqual([false, false, true, true]);
  });
});
