import { describe, expect, it } from 'vitest';
import { type Playing, RemoteRegistry } from './remote-registry.ts';

const stream = (id: string) => ({ id }) as unknown as MediaStream;
const meshA = stream('mesh-a');
const relaySlot = stream('relay-slot-1');

const desired = (...playing: Playing[]) => new Map(playing.map((p) => [p.participantId, p]));

describe('RemoteRegistry', () => {
  it('adds, switches and removes with one change each, never two entries per participant', () => {
    const registry = new RemoteRegistry();
    const a = { participantId: 'a', source: 'mesh', stream: meshA } as const;
    expect(registry.apply(desired(a))).toEqual([{ type: 'added', playing: a }]);
    expect(registry.apply(desired(a))).toEqual([]);
    const switched = { participantId: 'a', source: 'relay', stream: relaySlot } as const;
    expect(registry.apply(desired(switched))).toEqual([
      { type: 'updated', playing: switched, previous: a },
    ]);
    expect(registry.all()).toEqual([switched]);
    expect(registry.apply(desired())).toEqual([{ type: 'removed', participantId: 'a' }]);
  });

  it('removes the old holder of a relay slot before adding the new one', () => {
    const registry = new RemoteRegistry();
    registry.apply(desired({ participantId: 'a', source: 'relay', stream: relaySlot }));
    const b = { participantId: 'b', source: 'relay', stream: stream('relay-slot-1-b') } as const;
    expect(registry.apply(desired(b)).map((change) => change.type)).toEqual(['removed', 'added']);
  });
});
