import { parse, print } from 'graphql';
import { describe, expect, it } from 'vitest';
import { selectsSameForEveryViewer } from '../../server/graphql/shared-subscription-execution.ts';
import { schema } from '../../server/schema.ts';
import { SpaceEventsSubscription } from '../../web/src/spaces/room/space.queries.ts';

describe('selectsSameForEveryViewer', () => {
  // Otherwise each signed-in watcher of a crowded room costs an execution of every event.
  it("shares the room page's own subscription between every viewer", () => {
    expect(selectsSameForEveryViewer(schema, parse(print(SpaceEventsSubscription)))).toBe(true);
  });

  it('keeps a selection that asks about the viewer, or reaches other types, to its viewer', () => {
    const asking = [
      'subscription ($id: ID!) { spaceEvents(spaceId: $id) { space { viewerParticipant { id } } } }',
      'subscription ($id: ID!) { spaceEvents(spaceId: $id) { space { title } } }',
      'subscription ($id: ID!) { spaceEvents(spaceId: $id) { ... on RecordingStarted { recording { clips { id } } } } }',
    ];
    for (const query of asking) {
      expect(selectsSameForEveryViewer(schema, parse(query))).toBe(false);
    }
  });
});
