import { describe, expect, it } from 'vitest';
import { createPresence } from './presence.service.ts';
import { createMemoryPresenceStore, type PresenceStore } from './presence-store.ts';

const TIMEOUT = 30_000;

/** Presence over a shared store and a shared list of participants, with a clock the test moves. */
function world(store: PresenceStore = createMemoryPresenceStore()) {
  let now = 1_000_000;
  const inSpace = new Map<string, Date>();
  const left: string[] = [];
  const relay: { spaceId: string; userId: string }[] = [];
  const instance = (shared = store) =>
    createPresence({
      store: shared,
      config: { timeoutMs: TIMEOUT },
      participants: async () =>
        [...inSpace].map(([userId, joinedAt]) => ({ spaceId: 's', userId, joinedAt })),
      participant: async () => null,
      leave: async (userId) => {
        if (!inSpace.delete(userId)) throw new Error(`${userId} left twice`);
        left.push(userId);
      },
      connections: () => relay,
      now: () => now,
    });
  return {
    instance,
    left,
    relay,
    join: (userId: string) => inSpace.set(userId, new Date(now)),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

describe('createPresence', () => {
  it('lets someone with no connection go once the timeout has passed, not before', async () => {
    const w = world();
    const presence = w.instance();
    w.join('ada');
    await presence.tick();
    w.advance(TIMEOUT - 1);
    await presence.tick();
    expect(w.left).toEqual([]);
    w.advance(1);
    await presence.tick();
    expect(w.left).toEqual(['ada']);
  });

  it('keeps whoever a connection holds, and starts the window when the last one lets go', async () => {
    const w = world();
    const presence = w.instance();
    w.join('ada');
    const firstTab = presence.hold('s', 'ada');
    const secondTab = presence.hold('s', 'ada');
    w.advance(2 * TIMEOUT);
    await presence.tick();
    firstTab();
    firstTab();
    w.advance(2 * TIMEOUT);
    await presence.tick();
    expect(w.left).toEqual([]);
    secondTab();
    w.advance(TIMEOUT - 1);
    await presence.tick();
    expect(w.left).toEqual([]);
    w.advance(1);
    await presence.tick();
    expect(w.left).toEqual(['ada']);
  });

  it('counts relay sessions as connections', async () => {
    const w = world();
    const presence = w.instance();
    w.join('ada');
    w.relay.push({ spaceId: 's', userId: 'ada' });
    w.advance(2 * TIMEOUT);
    await presence.tick();
    expect(w.left).toEqual([]);
  });

  it('keeps people another instance holds, and lets them go when it stops renewing', async () => {
    const w = world();
    const [here, there] = [w.instance(), w.instance()];
    w.join('ada');
    there.hold('s', 'ada');
    for (let i = 0; i < 4; i++) {
      w.advance(TIMEOUT / 2);
      await there.tick();
      await here.tick();
    }
    expect(w.left).toEqual([]);
    // `there` crashed: no release, no more renewals.
    w.advance(TIMEOUT);
    await here.tick();
    expect(w.left).toEqual(['ada']);
  });

  it('makes someone leave once when several instances reap together', async () => {
    const w = world();
    const instances = [w.instance(), w.instance(), w.instance()];
    w.join('ada');
    await instances[0]?.tick();
    w.advance(TIMEOUT);
    await Promise.all(instances.map((instance) => instance.tick()));
    expect(w.left).toEqual(['ada']);
  });

  it('after the store was unreachable, gives everyone a window before reaping again', async () => {
    const store = createMemoryPresenceStore();
    let reachable = true;
    const flaky: PresenceStore = {
      ...store,
      renew: (members, at) =>
        reachable ? store.renew(members, at) : Promise.reject(new Error('down')),
    };
    const w = world(flaky);
    const presence = w.instance();
    w.join('ada');
    await presence.tick();
    reachable = false;
    w.advance(TIMEOUT);
    await presence.tick();
    reachable = true;
    await presence.tick();
    expect(w.left).toEqual([]);
    w.advance(TIMEOUT);
    await presence.tick();
    expect(w.left).toEqual(['ada']);
  });
});
