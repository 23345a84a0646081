import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { TranscriptSegment } from '../captions/captions.schema.ts';
import { ErrorInterface } from '../errors.schema.ts';
import { NotFound, TicketRequired } from '../errors.ts';
import { clipAudioPath } from '../http/recording-file-route.ts';
import { idOfType, parseGlobalId, toGlobalId } from '../ids.ts';
import { Recording } from '../recordings/recording.schema.ts';
import { RecordingNotReady, RecordingUnavailable } from '../recordings/recording-errors.ts';
import { User } from '../users/user.schema.ts';
import { InvalidClipRange } from './clip-errors.ts';

builder.objectType(InvalidClipRange, {
  interfaces: [ErrorInterface],
  name: 'InvalidClipRange',
  description: 'A clip must be 30 to 60 seconds long and lie within its recording.',
  fields: (t) => ({
    minSeconds: t.exposeInt('minSeconds'),
    maxSeconds: t.exposeInt('maxSeconds'),
    durationSeconds: t.exposeFloat('durationSeconds', {
      description: 'The recording’s length.',
    }),
  }),
});

/** A clip's transcript holds a minute of speech at most: a handful of lines. */
const CLIP_TRANSCRIPT_MAX = 100;

const Clip = builder.prismaNode('Clip', {
  id: { field: 'id' },
  description:
    '30–60 s of a recording, with its own page and audio file. Query.node finds it for whoever may replay its space.',
  fields: (t) => ({
    title: t.exposeString('title', { nullable: true }),
    startSeconds: t.float({
      description: 'Where the clip starts in the recording’s playback file.',
      resolve: (clip) => clip.startMs / 1000,
    }),
    endSeconds: t.float({ resolve: (clip) => clip.endMs / 1000 }),
    creator: t.relation('creator', { type: User }),
    recording: t.relation('recording', { type: Recording }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    playbackUrl: t.string({
      description: 'Just the clip, as an Ogg Opus file of its own (time 0 is `startSeconds`).',
      resolve: (clip, _args, ctx) =>
        new URL(clipAudioPath(toGlobalId('Clip', clip.id)), ctx.services.config.publicUrl).href,
    }),
    shareUrl: t.string({
      description: 'The clip’s page, to share.',
      resolve: (clip, _args, ctx) =>
        new URL(`/clips/${toGlobalId('Clip', clip.id)}`, ctx.services.config.publicUrl).href,
    }),
    transcript: t.prismaField({
      type: [TranscriptSegment],
      description:
        'The final captions spoken during the clip (times in ms since the space started, as in Space.transcript).',
      resolve: async (query, clip, _args, ctx) => {
        const recording = await ctx.prisma.recording.findUniqueOrThrow({
          where: { id: clip.recordingId },
          select: { spaceId: true, startMs: true },
        });
        return ctx.prisma.transcriptSegment.findMany({
          ...query,
          where: {
            spaceId: recording.spaceId,
            endMs: { gt: recording.startMs + clip.startMs },
            startMs: { lt: recording.startMs + clip.endMs },
          },
          orderBy: [{ startMs: 'asc' }, { id: 'asc' }],
          take: CLIP_TRANSCRIPT_MAX,
        });
      },
    }),
  }),
});

builder.prismaObjectFields(Recording, (t) => ({
  clips: t.relation('clips', {
    description: 'The newest clips cut from this recording.',
    query: { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: CLIP_TRANSCRIPT_MAX },
  }),
}));

builder.queryField('clip', (t) =>
  t.prismaField({
    type: Clip,
    nullable: true,
    description:
      'A clip by id; null when there is no such clip. Fails with TicketRequired for a ticketed space’s clip the caller may not hear.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_query, _root, args, ctx) => {
      const id = idOfType(String(args.id), 'Clip');
      if (!id) return null;
      try {
        return (await ctx.services.replay.openClip(id, ctx.viewer?.userId ?? null)).clip;
      } catch (error) {
        if (error instanceof NotFound) return null;
        throw error;
      }
    },
  }),
);

builder.mutationField('createClip', (t) =>
  t.prismaField({
    type: Clip,
    description:
      'Cuts 30–60 s of a READY recording into a clip with its own page. Anyone who may listen to the space may.',
    args: {
      recordingId: t.arg.id({ required: true }),
      startSeconds: t.arg.float({ required: true }),
      endSeconds: t.arg.float({ required: true }),
      title: t.arg.string(),
    },
    errors: {
      types: [InvalidClipRange, RecordingNotReady, RecordingUnavailable, TicketRequired, NotFound],
      dataField: { name: 'clip' },
    },
    resolve: (_query, _root, args, ctx) =>
      ctx.services.clips.create(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.recordingId), 'Recording', 'recordingId'),
        { startSeconds: args.startSeconds, endSeconds: args.endSeconds, title: args.title },
      ),
  }),
);
