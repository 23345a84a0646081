import type { MeshSignal } from '../media/types.ts';
import type { Api } from './graphql-client.ts';

type Handler = (fromParticipantId: string, signal: MeshSignal) => void;

/** A meshSignals subscription opened ahead of the room connection that will read it. */
export type MeshInbox = {
  /**
   * Hands over what arrived so far, then each signal as it comes, to `handler`; once only.
   * Returns the way to end the subscription, or null when it failed (subscribe afresh then).
   */
  take(handler: Handler): (() => void) | null;
  /** Ends the subscription (again, if taken: the taker may have ended it already). */
  close(): void;
};

/** More than a join's offers and candidates from a full mesh stage; the server replays 100. */
const MAX_KEPT = 200;

export const MESH_SIGNALS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    meshSignals(spaceId: $spaceId) { fromParticipantId signal }
  }
`;

export type MeshSignalsData = { meshSignals: { fromParticipantId: string; signal: string } };

/**
 * Subscribes to the caller's mesh signals in `spaceId` before joining it, so people on stage
 * who offer as soon as they see the join reach it at once: subscribing after joinSpace answered
 * put a round trip and the subscription's setup in front of every such offer. Open it on the
 * same socket as, and before, joinSpace; give it to `graphqlSignalling`.
 */
export function openMeshInbox(api: Api, spaceId: string): MeshInbox {
  let kept: [string, MeshSignal][] = [];
  let handler: Handler | null = null;
  /** Taken, closed, or its subscription failed: a reader must subscribe afresh. */
  let spent = false;
  const stop = api.subscribe<MeshSignalsData>(
    MESH_SIGNALS,
    { spaceId },
    ({ meshSignals }) => {
      const signal = JSON.parse(meshSignals.signal) as MeshSignal;
      if (handler) handler(meshSignals.fromParticipantId, signal);
      else if (kept.length < MAX_KEPT) kept.push([meshSignals.fromParticipantId, signal]);
    },
    () => {
      spent = true;
    },
  );
  return {
    take(next) {
      if (spent) return null;
      spent = true;
      handler = next;
      const early = kept;
      kept = [];
      for (const [from, signal] of early) next(from, signal);
      return stop;
    },
    close() {
      spent = true;
      kept = [];
      stop();
    },
  };
}
