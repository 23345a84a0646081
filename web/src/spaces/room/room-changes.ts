import type { MediaMode, Role } from '../../media/types.ts';

type RecordingState = 'RECORDING' | 'READY' | 'FAILED';

/** A participant as the room shows it (the ParticipantFields fragment). */
export type RoomParticipant = {
  id: string;
  role: Role;
  muted: boolean;
  handRaised: boolean;
  invitedToSpeak: boolean;
  invitedAs: Role | null;
  user: { id: string; handle: string; displayName: string; avatarUrl: string | null };
};

/** The parts of the room view that events change (see SpaceViewQuery). */
export type RoomView<P extends RoomParticipant = RoomParticipant> = {
  state: string;
  mediaMode: MediaMode;
  captionsOn: boolean;
  /** Set once the host chose to record: the room shows everyone that it is recorded. */
  recording: { id: string; state: RecordingState } | null;
  participantCount: number;
  host: RoomParticipant['user'];
  stage: readonly P[];
  speakerRequests: readonly P[];
  viewerParticipant: P | null;
  roster: { edges: readonly { node: { id: string; role: Role; muted: boolean } }[] };
};

/**
 * What one space event changes. Every participant event carries how that participant stands
 * now, so each is the same change: put them where their state says (stage, request queue).
 */
export type RoomChange<P extends RoomParticipant = RoomParticipant> =
  | { kind: 'participant'; participant: P }
  | { kind: 'left'; participantId: string }
  | { kind: 'count'; participantCount: number }
  | { kind: 'state'; state: string }
  | { kind: 'mediaMode'; mode: MediaMode }
  | { kind: 'captions'; on: boolean }
  | { kind: 'recording'; recording: { id: string; state: RecordingState } };

const stageOrder: Record<Role, number> = { HOST: 0, COHOST: 1, SPEAKER: 2, LISTENER: 3 };

/** Replaces the participant in place, or adds them at the end; or takes them out. */
function place<P extends { id: string }>(list: readonly P[], item: P, belongs: boolean) {
  const index = list.findIndex((other) => other.id === item.id);
  if (!belongs) return index < 0 ? list : list.filter((other) => other.id !== item.id);
  if (index < 0) return [...list, item];
  return list.map((other, i) => (i === index ? item : other));
}

/** Like the room read (its first 100), plus anyone on stage: the media module needs them. */
const ROSTER_SIZE = 100;

function rosterWith(edges: RoomView['roster']['edges'], p: RoomParticipant) {
  const node = { id: p.id, role: p.role, muted: p.muted };
  const index = edges.findIndex((edge) => edge.node.id === p.id);
  if (index >= 0) return edges.map((edge, i) => (i === index ? { node } : edge));
  if (p.role === 'LISTENER' && edges.length >= ROSTER_SIZE) return edges;
  return [...edges, { node }];
}

/** The stage in the server's order: host, co-hosts, speakers, each in the order they came up. */
const sortStage = <P extends RoomParticipant>(stage: readonly P[]) =>
  [...stage].sort((a, b) => stageOrder[a.role] - stageOrder[b.role]);

/**
 * The room after one change. Changes are absolute (a participant's whole state, a count), so
 * applying one the room already reflects changes nothing: that is what makes it safe to apply
 * the events that crossed a room read.
 */
export function applyRoomChange<P extends RoomParticipant, V extends RoomView<P>>(
  view: V,
  change: RoomChange<P>,
  viewerUserId: string | undefined,
): V {
  switch (change.kind) {
    case 'participant': {
      const p = change.participant;
      const onStage = p.role !== 'LISTENER';
      const stage = place(view.stage, p, onStage);
      const isViewer =
        view.viewerParticipant?.id === p.id ||
        (viewerUserId !== undefined && p.user.id === viewerUserId);
      return {
        ...view,
        stage: stage === view.stage ? stage : sortStage(stage),
        speakerRequests: place(view.speakerRequests, p, !onStage && p.handRaised),
        viewerParticipant: isViewer ? p : view.viewerParticipant,
        host: p.role === 'HOST' ? p.user : view.host,
        roster: { ...view.roster, edges: rosterWith(view.roster.edges, p) },
      };
    }
    case 'left': {
      const gone = (item: { id: string }) => item.id !== change.participantId;
      return {
        ...view,
        stage: view.stage.filter(gone),
        speakerRequests: view.speakerRequests.filter(gone),
        viewerParticipant:
          view.viewerParticipant?.id === change.participantId ? null : view.viewerParticipant,
        roster: { ...view.roster, edges: view.roster.edges.filter((edge) => gone(edge.node)) },
      };
    }
    case 'count':
      return { ...view, participantCount: change.participantCount };
    case 'state':
      return { ...view, state: change.state };
    case 'mediaMode':
      return { ...view, mediaMode: change.mode };
    case 'captions':
      return { ...view, captionsOn: change.on };
    case 'recording':
      return { ...view, recording: change.recording };
  }
}

/**
 * Where a numbered event leaves a client that has applied everything up to `applied`: already
 * reflected (skip it), the next one (apply it), or past a gap (read the room again).
 */
export function sequenceStep(applied: number, sequence: number): 'skip' | 'apply' | 'gap' {
  if (sequence <= applied) return 'skip';
  return sequence === applied + 1 ? 'apply' : 'gap';
}
