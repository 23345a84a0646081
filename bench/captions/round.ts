import type { Client } from 'graphql-ws';
import { wordErrorRate } from '../../server/captions/wer.ts';
import { toGlobalId } from '../../server/ids.ts';
import { wsClient } from '../../tests/helpers/graphql-client.ts';
import { connectWrtcClient, waitFor } from '../../tests/helpers/relay-peers.ts';
import type { TestApp } from '../../tests/helpers/test-app.ts';
import { reapedChildrenCpuSeconds } from './cpu.ts';

const CAPTIONS = /* GraphQL */ `
  subscription ($spaceId: ID!) {
    spaceEvents(spaceId: $spaceId) {
      __typename
      ... on CaptionSegment { participant { id } text startMs endMs final degraded }
    }
  }
`;

type Caption = { participant: { id: string }; text: string; startMs: number; endMs: number };
type Received = Caption & { final: boolean; degraded: boolean; receivedAt: number };

export type RoundResult = {
  speakers: number;
  /** Final caption received − end of its last word, in space time. */
  finalLatencies: number[];
  /** First partial of each utterance received − start of its first word. */
  firstPartialLatencies: number[];
  wordErrorRate: number;
  /** Share of finals marked degraded (the engine fell behind: late or words dropped). */
  degradedShare: number;
  engineCpuSeconds: number;
  audioSeconds: number;
};

/**
 * One space, `speakers` people on stage each speaking `speech` (48 kHz) into the relay through
 * libwebrtc at once, captions on, one listener's subscription timing every caption.
 */
export async function runRound(
  t: TestApp,
  speakers: number,
  speech: Int16Array,
  reference: string,
): Promise<RoundResult> {
  const { services } = t.app;
  const host = await t.createUser('host', { followers: t.app.config.hosting.minFollowers });
  const space = await services.spaces.start(host.id, { title: 'Captions bench', topics: [] });
  const startedAt = space.startedAt?.getTime() ?? space.createdAt.getTime();
  const people = [];
  for (let i = 0; i < speakers; i++) {
    const user = await t.createUser(`speaker${i}`);
    await services.spaces.join(user.id, space.id);
    await services.stage.inviteToSpeak(host.id, space.id, user.id);
    await services.stage.acceptSpeakerInvitation(user.id, space.id);
    await services.stage.setMuted(user.id, space.id, false);
    people.push(user);
  }
  await services.captions.setCaptions(host.id, space.id, true);
  const listener = await t.createUser('listener');
  const client: Client = wsClient(t.url, listener.credentials);
  const received: Received[] = [];
  const unsubscribe = client.subscribe<{
    spaceEvents: Caption & { __typename: string; final: boolean; degraded: boolean };
  }>(
    { query: CAPTIONS, variables: { spaceId: toGlobalId('Space', space.id) } },
    {
      next: ({ data }) => {
        const event = data?.spaceEvents;
        if (event?.__typename === 'CaptionSegment')
          received.push({ ...event, receivedAt: Date.now() });
      },
      error: (error) => console.error('subscription failed', error),
      complete: () => {},
    },
  );
  await waitFor(() => t.app.bus.watchers('space-events', space.id) >= 2, 'the subscription');

  const cpuBefore = reapedChildrenCpuSeconds();
  const peers = await Promise.all(
    people.map(async (user) => {
      const { sessionId, offer } = await services.relaySessions!.open(user.id, space.id);
      const peer = await connectWrtcClient(offer, { speak: true, speech });
      await services.relaySessions!.answer(user.id, sessionId, peer.answer);
      return peer;
    }),
  );
  const playing = Date.now();
  await waitFor(() => Date.now() - playing > speech.length / 48, 'the speech', 120_000);
  await Promise.all(peers.map((peer) => peer.close()));
  await services.captions.setCaptions(host.id, space.id, false);
  await waitFor(() => !services.captionRunner?.isRunning(space.id), 'captions to stop', 60_000);
  const stored = await t.app.prisma.transcriptSegment.count({ where: { spaceId: space.id } });
  await waitFor(() => received.filter((r) => r.final).length >= stored, 'every final', 30_000);
  const engineCpuSeconds = reapedChildrenCpuSeconds() - cpuBefore;
  unsubscribe();
  await client.dispose();
  await services.spaces.end(host.id, space.id);

  const finals = received.filter((caption) => caption.final);
  const bySpeaker = new Map<string, Received[]>();
  for (const caption of finals) {
    bySpeaker.set(caption.participant.id, [
      ...(bySpeaker.get(caption.participant.id) ?? []),
      caption,
    ]);
  }
  const rates = [...bySpeaker.values()].map((captions) =>
    wordErrorRate(reference, captions.map((caption) => caption.text).join(' ')),
  );
  // A speaker with no caption at all counts as every word missed.
  while (rates.length < speakers) rates.push(1);
  // The first partial after a speaker's previous final opens an utterance on screen.
  const firstPartials: Received[] = [];
  const inUtterance = new Set<string>();
  for (const caption of received) {
    const speaker = caption.participant.id;
    if (caption.final) inUtterance.delete(speaker);
    else if (!inUtterance.has(speaker)) {
      inUtterance.add(speaker);
      firstPartials.push(caption);
    }
  }
  return {
    speakers,
    finalLatencies: finals.map((caption) => caption.receivedAt - startedAt - caption.endMs),
    firstPartialLatencies: firstPartials.map(
      (caption) => caption.receivedAt - startedAt - caption.startMs,
    ),
    wordErrorRate: rates.reduce((sum, rate) => sum + rate, 0) / rates.length,
    degradedShare: finals.filter((caption) => caption.degraded).length / (finals.length || 1),
    engineCpuSeconds,
    audioSeconds: (speech.length / 48_000) * speakers,
  };
}
