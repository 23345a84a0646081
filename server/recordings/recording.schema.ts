import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { ErrorInterface } from '../errors.schema.ts';
import { SpaceNotLive } from '../errors.ts';
import { recordingAudioPath } from '../http/recording-file-route.ts';
import { parseGlobalId, toGlobalId } from '../ids.ts';
import { Participant } from '../spaces/participant.schema.ts';
import { Space } from '../spaces/space.schema.ts';
import {
  RecordingInProgress,
  RecordingNotReady,
  RecordingUnavailable,
} from './recording-errors.ts';

export const RecordingState = builder.enumType('RecordingState', {
  description:
    'RECORDING: the space is live and recorded now. READY: the space ended; its files are complete and play. FAILED: writing broke (storage errors, a full disk); what was written is kept until the host deletes it, but it is not offered for replay.',
  values: ['RECORDING', 'READY', 'FAILED'] as const,
});

builder.objectType(RecordingUnavailable, {
  interfaces: [ErrorInterface],
  name: 'RecordingUnavailable',
  description: 'This server has no relay or no recording storage, so it cannot record.',
});

builder.objectType(RecordingNotReady, {
  interfaces: [ErrorInterface],
  name: 'RecordingNotReady',
  description: 'The recording is still being made, or failed: there is nothing to play yet.',
  fields: (t) => ({ state: t.expose('state', { type: RecordingState }) }),
});

builder.objectType(RecordingInProgress, {
  interfaces: [ErrorInterface],
  name: 'RecordingInProgress',
  description: 'The space is still being recorded.',
});

const RecordingTrack = builder.prismaObject('RecordingTrack', {
  description: 'One speaker’s audio, as they sent it (Ogg Opus).',
  fields: (t) => ({
    speaker: t.relation('participant', { type: Participant }),
    startMs: t.exposeInt('startMs', {
      description: 'Where the track starts, in ms since the space started (as caption times).',
    }),
  }),
});

export const Recording = builder.prismaNode('Recording', {
  id: { field: 'id', description: 'Names the recording in createClip and in its audio URL.' },
  description:
    'The recording of a space, chosen by its host when the space started. Query.node finds it for whoever may replay the space.',
  fields: (t) => ({
    playbackUrl: t.string({
      nullable: true,
      description:
        'The whole space as one Ogg Opus file (byte ranges for seeking), once READY; its time 0 is `startMs` of the space. Open to whoever may listen to the space: send the session cookie or API token for a ticketed one.',
      resolve: (recording, _args, ctx) =>
        recording.state === 'READY'
          ? new URL(
              recordingAudioPath(toGlobalId('Recording', recording.id)),
              ctx.services.config.publicUrl,
            ).href
          : null,
    }),
    durationSeconds: t.float({
      nullable: true,
      description: 'Length of the playback file, once READY.',
      resolve: (recording) =>
        recording.state === 'READY' && recording.durationMs !== null
          ? recording.durationMs / 1000
          : null,
    }),
    state: t.expose('state', { type: RecordingState }),
    space: t.relation('space', { type: Space }),
    startMs: t.exposeInt('startMs', {
      description: 'When recording began, in ms since the space started.',
    }),
    endedAt: t.expose('endedAt', { type: 'DateTime', nullable: true }),
    tracks: t.relation('tracks', {
      type: RecordingTrack,
      query: { orderBy: [{ startMs: 'asc' }, { id: 'asc' }] },
    }),
  }),
});

builder.prismaObjectFields(Space, (t) => ({
  recording: t.relation('recording', {
    type: Recording,
    nullable: true,
    description: 'Set when the space is (or was) recorded: listeners see that it is.',
  }),
}));

const spaceIdOf = (id: string | number) => parseGlobalId(String(id), 'Space', 'spaceId');

builder.mutationField('recordSpace', (t) =>
  t.field({
    type: Space,
    description: 'Starts recording a live space (moving it onto the relay). Host only; idempotent.',
    args: { spaceId: t.arg.id({ required: true }) },
    errors: { types: [SpaceNotLive, RecordingUnavailable], dataField: { name: 'space' } },
    resolve: (_root, args, ctx) =>
      ctx.services.recordings.record(requireViewer(ctx).userId, spaceIdOf(args.spaceId)),
  }),
);

builder.mutationField('deleteRecording', (t) =>
  t.field({
    type: Space,
    description: 'Deletes a space’s recording and its files, once the space has ended. Host only.',
    args: { spaceId: t.arg.id({ required: true }) },
    errors: { types: [RecordingInProgress], dataField: { name: 'space' } },
    resolve: (_root, args, ctx) =>
      ctx.services.recordings.remove(requireViewer(ctx).userId, spaceIdOf(args.spaceId)),
  }),
);
