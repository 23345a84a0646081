import { meshPeerNeeded, type RemoteHearing, relayNeeded } from './drain-policy.ts';
import type { MeshLink } from './mesh-plan.ts';
import type { MediaMode, SourceKind } from './types.ts';

export type DrainInput = {
  mode: MediaMode;
  /** Every link a mesh would hold now (the MESH plan, whatever the mode). */
  links: readonly MeshLink[];
  /** Our audio goes out and is worth hearing: on stage, microphone published and enabled. */
  sending: boolean;
  /** We publish to the relay alongside the mesh, for its listeners (see `publishesToRelay`). */
  publishing: boolean;
  /** Packets of this participant's audio grow on that source. */
  flowing(source: SourceKind, participantId: string): boolean;
  /** Muted on the roster: their mesh packets are silence the relay does not forward anyway. */
  muted(participantId: string): boolean;
  /** The source we play them from now, if any. */
  playing(participantId: string): SourceKind | null;
  /** What each mesh peer last told us about how it hears us. */
  remoteHearing: ReadonlyMap<string, RemoteHearing | null>;
  sinceModeChangeMs: number;
  silentGraceMs: number;
  maxDrainMs: number;
};

export type DrainPlan = {
  /** Links the mesh transport keeps (MESH: all; RELAY: those someone still needs). */
  meshLinks: MeshLink[];
  /** Whether the mesh may create and recreate peers. */
  connectNew: boolean;
  /** Close the relay (MESH mode, nobody depends on it and we publish nothing there). */
  closeRelay: boolean;
  /** What to tell each mesh peer about how we hear them. */
  hearing: Map<string, RemoteHearing>;
};

/** Decides which connections the mode no longer needs, for both directions of a switch. */
export function planDrain(input: DrainInput): DrainPlan {
  const { mode, links, sinceModeChangeMs } = input;
  const meshFlowing = (id: string) => input.flowing('mesh', id) && !input.muted(id);
  const hearing = new Map(
    links.map((link) => [link.participantId, input.playing(link.participantId) ?? 'none'] as const),
  );
  const meshLinks =
    mode === 'MESH'
      ? [...links]
      : links.filter((link) =>
          meshPeerNeeded({
            mode,
            linked: true,
            receive: link.receive,
            send: link.send && input.sending,
            meshFlowing: meshFlowing(link.participantId),
            relayFlowing: input.flowing('relay', link.participantId),
            remoteHearing: input.remoteHearing.get(link.participantId) ?? null,
            sinceModeChangeMs,
            silentGraceMs: input.silentGraceMs,
          }),
        );
  const weNeed = links.some(
    (link) =>
      input.playing(link.participantId) === 'relay' &&
      input.flowing('relay', link.participantId) &&
      !meshFlowing(link.participantId),
  );
  const theyNeed =
    input.sending &&
    links.some((link) => link.send && input.remoteHearing.get(link.participantId) !== 'mesh');
  const closeRelay =
    mode === 'MESH' &&
    !relayNeeded({
      mode,
      publishing: input.publishing,
      weNeed,
      theyNeed,
      sinceModeChangeMs,
      maxDrainMs: input.maxDrainMs,
    });
  return { meshLinks, connectNew: mode === 'MESH', closeRelay, hearing };
}
