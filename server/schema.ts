import { builder } from './builder.ts';
import './errors.schema.ts';
import './users/user.schema.ts';
import './users/follow.schema.ts';
import './spaces/participant.schema.ts';
import './spaces/space.schema.ts';
import './spaces/stage.schema.ts';
import './spaces/moderation.schema.ts';
import './spaces/reaction.schema.ts';
import './spaces/space-events.schema.ts';
import './media/media.schema.ts';
import './presence/presence.schema.ts';
import './scheduling/scheduling.schema.ts';
import './scheduling/notification.schema.ts';
import './tickets/tickets.schema.ts';
import './captions/captions.schema.ts';
import './recordings/recording.schema.ts';
import './clips/clip.schema.ts';
import './recordings/recording-events.schema.ts';
import './broadcast/broadcast.schema.ts';
import './graphql/node-fields.ts';

/** The public contract; `npm run schema:print` writes it to schema/schema.graphql. */
export const schema = builder.toSchema({ sortSchema: true });
