import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { ErrorInterface } from '../errors.schema.ts';
import { SpaceNotLive } from '../errors.ts';
import { parseGlobalId } from '../ids.ts';
import { Participant } from '../spaces/participant.schema.ts';
import { Space } from '../spaces/space.schema.ts';
import type { SpaceEventOf } from '../spaces/space-event.ts';
import { participantEvent, SpaceEvent } from '../spaces/space-events.schema.ts';
import { enterableSpaceWhere } from '../tickets/space-access.ts';
import { CaptionsUnavailable } from './captions-errors.ts';

builder.objectType(CaptionsUnavailable, {
  interfaces: [ErrorInterface],
  name: 'CaptionsUnavailable',
  description: 'This server has no speech engine or no relay, so it cannot caption.',
});

export const TranscriptSegment = builder.prismaObject('TranscriptSegment', {
  description: 'What a speaker said, as a final caption.',
  fields: (t) => ({
    speaker: t.relation('participant', { type: Participant }),
    text: t.exposeString('text'),
    startMs: t.exposeInt('startMs', { description: 'Ms since the space started.' }),
    endMs: t.exposeInt('endMs'),
  }),
});

builder.prismaObjectFields(Space, (t) => ({
  captionsOn: t.exposeBoolean('captionsOn', {
    description: 'Whether what speakers say is captioned (and kept as the transcript) now.',
  }),
  transcript: t.relatedConnection('transcript', {
    cursor: 'id',
    type: TranscriptSegment,
    description:
      'Final captions in the order they were spoken; open to whoever may listen to the space (ticket holders, for a ticketed one).',
    query: (_args, ctx) => ({
      where: { space: enterableSpaceWhere(ctx.viewer?.userId ?? null) },
      orderBy: [{ startMs: 'asc' }, { id: 'asc' }],
    }),
  }),
}));

builder.mutationField('setSpaceCaptions', (t) =>
  t.field({
    type: Space,
    description:
      'Host team: turns live captions on or off. Turning them on moves a mesh space to the relay ' +
      '(captions need the audio on the server); everyone is told through CaptionsChanged.',
    args: { spaceId: t.arg.id({ required: true }), on: t.arg.boolean({ required: true }) },
    errors: { types: [SpaceNotLive, CaptionsUnavailable], dataField: { name: 'space' } },
    resolve: (_root, args, ctx) =>
      ctx.services.captions.setCaptions(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.spaceId), 'Space', 'spaceId'),
        args.on,
      ),
  }),
);

builder.objectRef<SpaceEventOf<'CaptionsChanged'>>('CaptionsChanged').implement({
  description: 'The host team turned captions on or off: speakers, your speech is (not) captioned.',
  interfaces: [SpaceEvent],
  fields: (t) => ({ on: t.exposeBoolean('on') }),
});

const CaptionSegment = participantEvent(
  'CaptionSegment',
  'A live caption of `participant`. Partials (final: false) are the current guess for what is ' +
    'being said and are replaced by later ones; a final closes the utterance and joins the ' +
    'transcript.',
);
builder.objectFields(CaptionSegment, (t) => ({
  text: t.exposeString('text'),
  startMs: t.exposeInt('startMs', { description: 'Ms since the space started.' }),
  endMs: t.exposeInt('endMs'),
  final: t.exposeBoolean('final'),
  degraded: t.exposeBoolean('degraded', {
    description:
      'The server is too busy to keep up with this speaker: the caption is late, or words were ' +
      'skipped so captions stay within a few seconds of speech.',
  }),
}));
