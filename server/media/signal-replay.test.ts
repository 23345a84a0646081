import { describe, expect, it } from 'vitest';
import { createEventBus } from '../pubsub.ts';
import type { MeshSignalMessage } from './mesh-signal.ts';
import { withSignalReplay } from './signal-replay.ts';

const message = (id: string, to = 'listener'): MeshSignalMessage => ({
  id,
  spaceId: 'space',
  fromParticipantId: 'speaker',
  toParticipantId: to,
  inbox: to,
  signal: `{"type":"renegotiate","renegotiate":true,"n":"${id}"}`,
});

function setup() {
  let clock = 0;
  const { bus } = createEventBus(undefined);
  const signals = withSignalReplay(
    {
      publish: (m) => bus.publish('mesh-signals', m.inbox, m),
      subscribe: (id) => bus.subscribe('mesh-signals', id),
    },
    { keepMs: 10_000, now: () => clock },
  );
  return { signals, bus, advance: (ms: number) => (clock += ms) };
}

async function take(iterable: AsyncIterable<MeshSignalMessage>, count: number) {
  const got: string[] = [];
  for await (const m of iterable) {
    got.push(m.id);
    if (got.length === count) break;
  }
  return got;
}

describe('withSignalReplay', () => {
  it('delivers an offer sent just before the receiver subscribed, then live ones, once each', async () => {
    const { signals, bus } = setup();
    signals.publish(message('early'));
    signals.publish(message('other', 'someone-else'));
    const received = take(signals.subscribe('listener'), 2);
    for (let i = 0; i < 100 && bus.watchers('mesh-signals', 'listener') === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    signals.publish(message('live'));
    expect(await received).toEqual(['early', 'live']);
  });

  it('forgets signals older than the replay window', async () => {
    const { signals, advance } = setup();
    signals.publish(message('stale'));
    advance(10_001);
    signals.publish(message('fresh'));
    expect(await take(signals.subscribe('listener'), 1)).toEqual(['fresh']);
  });
});
