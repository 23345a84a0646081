import type { MeshOffers } from '../../media/index.ts';
import { type SpacePreview, spacePreview } from './space-preview.ts';
import { offerToStage } from './stage-offers.ts';

/**
 * How long offers made ahead are kept. Their server-reflexive candidates name a NAT binding that
 * Chromium keeps alive with STUN for about two minutes after gathering; older offers are made
 * again rather than sent with addresses that may no longer reach us.
 */
export const WARM_FOR_MS = 60_000;
/** After the listing page closes: long enough for the room it opened to take its offers. */
export const UNCLAIMED_MS = 5_000;

type Warm = { spaceId: string; stage: string; offers: MeshOffers; madeAt: number; timer: number };

export type OfferWarmerOptions = {
  preview: (spaceId: string) => SpacePreview | undefined;
  makeOffers: (preview: SpacePreview) => MeshOffers | null;
  setTimer: (run: () => void, ms: number) => number;
  clearTimer: (timer: number) => void;
  now: () => number;
};

const stageOf = (preview: SpacePreview) => preview.stage.map(({ id }) => id).join(' ');

/**
 * Offers to the stage of one listed space, made while its card waits for a click: made after the
 * click, they held a room page's join back 50-60 ms (bench/join), the time a busy page takes to
 * create the peers and describe them. One space at a time (the one the viewer points at, or the
 * first listed): at most a stage's worth of idle peer connections, and nothing sent to anyone
 * until the viewer joins. Made again when the stage listed changes or they grow old.
 */
export function createOfferWarmer(options: OfferWarmerOptions) {
  let warm: Warm | null = null;

  function drop(): void {
    if (!warm) return;
    options.clearTimer(warm.timer);
    warm.offers.close();
    warm = null;
  }

  function expireIn(ms: number): void {
    if (!warm) return;
    options.clearTimer(warm.timer);
    warm.timer = options.setTimer(drop, ms);
  }

  return {
    /** Makes offers to `spaceId`'s stage as listed, unless those kept still match it. */
    warm(spaceId: string): void {
      const preview = options.preview(spaceId);
      const stage = preview ? stageOf(preview) : '';
      if (warm?.spaceId === spaceId && warm.stage === stage) {
        // Kept for their age again, should the listing have closed and opened since.
        expireIn(WARM_FOR_MS - (options.now() - warm.madeAt));
        return;
      }
      drop();
      let offers: MeshOffers | null = null;
      try {
        offers = preview ? options.makeOffers(preview) : null;
      } catch {
        // No WebRTC in this browser: the listing stays usable, and the room says why if opened.
      }
      if (!offers) return;
      warm = { spaceId, stage, offers, madeAt: options.now(), timer: 0 };
      expireIn(WARM_FOR_MS);
    },

    /** The offers made for `spaceId`, now the caller's to hand over or close; null if none. */
    take(spaceId: string): MeshOffers | null {
      if (warm?.spaceId !== spaceId) return null;
      const { offers, timer } = warm;
      options.clearTimer(timer);
      warm = null;
      return offers;
    },

    /** The listing page closed: what no room takes soon is closed. */
    release(): void {
      expireIn(UNCLAIMED_MS);
    },
  };
}

export type OfferWarmer = ReturnType<typeof createOfferWarmer>;

/** The web client's one warmer: the home page fills it, a room opened from it takes from it. */
export const offerWarmer = createOfferWarmer({
  preview: spacePreview,
  makeOffers: (preview) => offerToStage(preview, preview.iceServers),
  setTimer: (run, ms) => window.setTimeout(run, ms),
  clearTimer: (timer) => window.clearTimeout(timer),
  now: () => performance.now(),
});
