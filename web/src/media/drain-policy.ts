import type { MediaMode, SourceKind } from './types.ts';

/** What a remote reports over the mesh data channel: how it hears us now. */
export type RemoteHearing = SourceKind | 'none';

export type MeshPeerNeedInput = {
  mode: MediaMode;
  /** The pair would be connected in a mesh (both present, at least one on stage). */
  linked: boolean;
  /** They are on stage, so the peer carries their audio to us. */
  receive: boolean;
  /** We are on stage with a microphone, so the peer carries our audio to them. */
  send: boolean;
  meshFlowing: boolean;
  relayFlowing: boolean;
  /** Their last report, or null before any (an older client, or not connected yet). */
  remoteHearing: RemoteHearing | null;
  /** Time since the space went to RELAY. */
  sinceModeChangeMs: number;
  /** How long to hold a mesh peer on which neither relay nor mesh audio flows. */
  silentGraceMs: number;
};

/**
 * Whether a mesh peer must stay open. In RELAY mode a peer is kept while either side still plays
 * the other through it: we until their audio flows through the relay (or nothing flowed on either
 * path for `silentGraceMs`), they until they report hearing us through the relay. Closing on our
 * switch alone would cut a fellow speaker who has not switched yet.
 */
export function meshPeerNeeded(input: MeshPeerNeedInput): boolean {
  if (!input.linked) return false;
  if (input.mode === 'MESH') return true;
  const weNeed =
    input.receive &&
    !input.relayFlowing &&
    (input.meshFlowing || input.sinceModeChangeMs < input.silentGraceMs);
  const theyNeed = input.send && (input.remoteHearing === null || input.remoteHearing === 'mesh');
  return weNeed || theyNeed;
}

export type RelayNeedInput = {
  mode: MediaMode;
  /** We are on stage in a mesh whose relay has listeners (guests): they hear us only there. */
  publishing: boolean;
  /** Some participant's audio flows only through the relay. */
  weNeed: boolean;
  /** We send audio and someone linked to us has not reported hearing us through the mesh. */
  theyNeed: boolean;
  sinceModeChangeMs: number;
  /** After a RELAY→MESH switch, close the relay after this long whatever the reports say. */
  maxDrainMs: number;
};

/**
 * Whether the relay connection must stay open: always in RELAY mode, and in MESH mode while we
 * publish to the relay's listeners; otherwise only while someone still depends on it, and never
 * longer than `maxDrainMs`, since the server may stop relaying a MESH space and a peer that never
 * reports would hold it forever.
 */
export function relayNeeded(input: RelayNeedInput): boolean {
  if (input.mode === 'RELAY' || input.publishing) return true;
  if (input.sinceModeChangeMs >= input.maxDrainMs) return false;
  return input.weNeed || input.theyNeed;
}
