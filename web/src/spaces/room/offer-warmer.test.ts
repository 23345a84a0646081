import { describe, expect, it } from 'vitest';
import type { MeshOffers } from '../../media/index.ts';
import { createOfferWarmer, UNCLAIMED_MS, WARM_FOR_MS } from './offer-warmer.ts';
import type { SpacePreview } from './space-preview.ts';

type MadeOffers = MeshOffers & { spaceStage: string; closed: boolean };

function setUp() {
  const previews = new Map<string, SpacePreview>();
  const made: MadeOffers[] = [];
  const timers = new Map<number, { run: () => void; at: number }>();
  let now = 0;
  let nextTimer = 1;
  const list = (spaceId: string, stage: string[], mediaMode: 'MESH' | 'RELAY' = 'MESH') =>
    previews.set(spaceId, {
      mediaMode,
      viewerParticipant: null,
      stage: stage.map((id) => ({ id })),
      iceServers: [],
    });
  const warmer = createOfferWarmer({
    preview: (spaceId) => previews.get(spaceId),
    makeOffers: (preview) => {
      if (preview.mediaMode !== 'MESH') return null;
      const offers: MadeOffers = {
        spaceStage: preview.stage.map(({ id }) => id).join(' '),
        closed: false,
        ready: Promise.resolve(),
        take: () => [],
        handOver: () => new Map(),
        close: () => {
          offers.closed = true;
        },
      };
      made.push(offers);
      return offers;
    },
    setTimer: (run, ms) => {
      timers.set(nextTimer, { run, at: now + ms });
      return nextTimer++;
    },
    clearTimer: (timer) => timers.delete(timer),
    now: () => now,
  });
  const advance = (ms: number) => {
    now += ms;
    for (const [id, timer] of [...timers]) {
      if (timer.at > now) continue;
      timers.delete(id);
      timer.run();
    }
  };
  return { warmer, list, made, advance };
}

describe('offers made before a click on a live space', () => {
  it('are made once for a listed stage and handed to the room that opens that space', () => {
    const { warmer, list, made } = setUp();
    list('space', ['host', 'speaker']);
    warmer.warm('space');
    warmer.warm('space');
    expect(made.map((offers) => offers.spaceStage)).toEqual(['host speaker']);
    expect(warmer.take('other')).toBeNull();
    expect(warmer.take('space')).toBe(made[0]);
    expect(warmer.take('space')).toBeNull();
    expect(made[0]?.closed).toBe(false);
  });

  it('follow the stage as listed and the space pointed at, closing those they replace', () => {
    const { warmer, list, made } = setUp();
    list('space', ['host']);
    list('other', ['host2']);
    warmer.warm('space');
    list('space', ['host', 'speaker']);
    warmer.warm('space');
    warmer.warm('other');
    expect(made.map((offers) => [offers.spaceStage, offers.closed])).toEqual([
      ['host', true],
      ['host speaker', true],
      ['host2', false],
    ]);
  });

  it('leave the listing usable where no peer connection can be made', () => {
    const warmer = createOfferWarmer({
      preview: () => ({
        mediaMode: 'MESH',
        viewerParticipant: null,
        stage: [{ id: 'host' }],
        iceServers: [],
      }),
      makeOffers: () => {
        throw new ReferenceError('RTCPeerConnection is not defined');
      },
      setTimer: () => 0,
      clearTimer: () => {},
      now: () => 0,
    });
    expect(() => warmer.warm('space')).not.toThrow();
    expect(warmer.take('space')).toBeNull();
  });

  it('are not made for a relay space, nor for a space no longer listed', () => {
    const { warmer, list, made } = setUp();
    list('relayed', ['host'], 'RELAY');
    warmer.warm('relayed');
    warmer.warm('gone');
    expect(made).toEqual([]);
    expect(warmer.take('relayed')).toBeNull();
  });

  it('are closed when they grow old, and made afresh when warmed again', () => {
    const { warmer, list, made, advance } = setUp();
    list('space', ['host']);
    warmer.warm('space');
    advance(WARM_FOR_MS);
    expect(made[0]?.closed).toBe(true);
    expect(warmer.take('space')).toBeNull();
    warmer.warm('space');
    expect(made).toHaveLength(2);
    expect(warmer.take('space')).toBe(made[1]);
  });

  it('are closed soon after the listing page closes, unless a room took them', () => {
    const { warmer, list, made, advance } = setUp();
    list('space', ['host']);
    warmer.warm('space');
    warmer.release();
    advance(UNCLAIMED_MS);
    expect(made[0]?.closed).toBe(true);

    warmer.warm('space');
    warmer.release();
    const taken = warmer.take('space');
    advance(WARM_FOR_MS);
    expect(taken).toBe(made[1]);
    expect(made[1]?.closed).toBe(false);
  });

  it('are kept for their age again when the listing opens anew before they were closed', () => {
    const { warmer, list, made, advance } = setUp();
    list('space', ['host']);
    warmer.warm('space');
    advance(10_000);
    warmer.release();
    advance(UNCLAIMED_MS - 1);
    warmer.warm('space');
    advance(1);
    expect(made).toHaveLength(1);
    expect(made[0]?.closed).toBe(false);
    advance(WARM_FOR_MS - 10_000 - UNCLAIMED_MS);
    expect(made[0]?.closed).toBe(true);
  });
});
