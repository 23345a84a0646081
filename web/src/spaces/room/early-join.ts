import type { Api } from '../../api/graphql-client.ts';
import { type MeshInbox, openMeshInbox } from '../../api/mesh-inbox.ts';
import { destroyPrepared } from '../../media/index.ts';
import { type JoinOutcome, joinSpace } from './join-space.ts';
import { offerWarmer } from './offer-warmer.ts';
import { spacePreview } from './space-preview.ts';
import { offerToStage } from './stage-offers.ts';

/** A join sent as the space's page opens, for its room to take up. */
export type EarlyJoin = {
  /**
   * The stage's answers to the join's offers, then later mesh signals, for the room's audio;
   * null for a space listed on the relay, which it never leaves.
   */
  inbox: MeshInbox | null;
  outcome: Promise<JoinOutcome>;
};

/**
 * Joins as the page opens, beside its first read of the space rather than after it: waiting for
 * that read (the ticket gate's, the state's) cost every listener's first audio a round trip. The
 * server decides the join as it would after the read; when the read then shows no room (not live
 * yet, no ticket), the join was refused and the room, if it opens later, joins again. In a mesh
 * the join carries offers to the stage the home page listed, made before the click where the home
 * page could (offer-warmer.ts). The room `take`s it once; `release` ends what no room took.
 */
export function startEarlyJoin(api: Api, spaceId: string) {
  const preview = spacePreview(spaceId);
  // Before the join goes out: the stage's answers to its offers then reach us as they are sent.
  const inbox = preview?.mediaMode === 'RELAY' ? null : openMeshInbox(api, spaceId);
  const offers =
    offerWarmer.take(spaceId) ?? (preview ? offerToStage(preview, preview.iceServers) : null);
  const outcome = joinSpace(api, spaceId, offers);
  let taken = false;
  return {
    take(): EarlyJoin | null {
      if (taken) return null;
      taken = true;
      return { inbox, outcome };
    },
    release() {
      if (taken) return;
      taken = true;
      inbox?.close();
      void outcome.then(
        (joined) => joined.kind === 'joined' && destroyPrepared(joined.media.preparedMesh),
      );
    },
  };
}

export type StartedJoin = ReturnType<typeof startEarlyJoin>;
