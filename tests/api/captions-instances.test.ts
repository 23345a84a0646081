import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../server/ids.ts';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { connectWrtcClient } from '../helpers/relay-peers.ts';
import { canRunTwoInstances, startTwoInstances } from '../helpers/test-instances.ts';
import { synthesiseAll, TEST_SENTENCES } from '../helpers/test-speech.ts';

const CAPTION_EVENTS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    spaceEvents(spaceId: $spaceId) {
      __typename
      ... on CaptionsChanged { on }
      ... on CaptionSegment { text final }
    }
  }
`;

type CaptionEvent = { __typename: string; on?: boolean; text?: string; final?: boolean };

describe.skipIf(!canRunTwoInstances)('captions across instances', () => {
  let instances: Awaited<ReturnType<typeof startTwoInstances>>;

  beforeAll(async () => {
    instances = await startTwoInstances();
  });

  afterAll(() => instances?.stop());

  it('captions a speaker on the other instance once the host turns captions on here', async () => {
    const [first, second] = instances.apps;
    const person = (name: string) =>
      first.prisma.user.create({
        data: {
          id: crypto.randomUUID(),
          handle: `${name}${Date.now()}`,
          name,
          email: `${name}${Date.now()}@x.invalid`,
        },
      });
    const host = await person('host');
    const speaker = await person('speaker');
    const space = await first.services.spaces.start(host.id, { title: 'Two relays', topics: [] });
    await first.services.spaces.join(speaker.id, space.id);
    await first.services.stage.inviteToSpeak(host.id, space.id, speaker.id);
    await first.services.stage.acceptSpeakerInvitation(speaker.id, space.id);
    await first.services.stage.setMuted(speaker.id, space.id, false);

    // A listener on the first instance; the speaker's audio reaches only the second's relay.
    const client = wsClient(instances.urls[0] ?? '');
    const events = collect<{ spaceEvents: CaptionEvent }>(client, CAPTION_EVENTS, {
      spaceId: toGlobalId('Space', space.id),
    });
    const seen = () => events.results.map((result) => result.data?.spaceEvents);
    for (let i = 0; i < 200 && first.bus.watchers('space-events', space.id) < 1; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await first.services.captions.setCaptions(host.id, space.id, true);
    await events.until(() => seen().some((event) => event?.__typename === 'CaptionsChanged'));

    const sentence = TEST_SENTENCES[0]!;
    const speech = await synthesiseAll([sentence], 48_000);
    const relaySessions = second.services.relaySessions!;
    const { sessionId, offer } = await relaySessions.open(speaker.id, space.id);
    const peer = await connectWrtcClient(offer, { speak: true, speech });
    try {
      await relaySessions.answer(speaker.id, sessionId, peer.answer);
      await events.until(
        () => seen().some((event) => event?.__typename === 'CaptionSegment' && event.final),
        60_000,
      );
      const final = seen().find((event) => event?.__typename === 'CaptionSegment' && event.final);
      // What crossed instances is the caption, not its accuracy (tests/api/captions.test.ts holds
      // the word error bound): some of the sentence's words are enough.
      const spoken = new Set(sentence.split(' '));
      const heard = new Set((final?.text ?? '').split(' ').filter((word) => spoken.has(word)));
      expect(heard.size).toBeGreaterThanOrEqual(3);
    } finally {
      await peer.close();
      events.unsubscribe();
      await client.dispose();
    }
  });
});
