import type { ResultOf } from 'gql.tada';
import type { Api } from '../api/graphql-client.ts';
import { run } from '../api/typed-api.ts';
import { TranscriptQuery } from '../captions/captions.queries.ts';
import type { SegmentTimes } from './replay-lines.ts';

// The largest page the operation cost limit lets through with speakers attached.
const PAGE = 50;
/** A replay shows at most this many lines (hours of speech); the downloads hold the rest. */
const MAX_PAGES = 60;

/** An ended space's whole transcript, page after page. */
export async function loadTranscript(api: Api, spaceId: string): Promise<SegmentTimes[]> {
  const segments: SegmentTimes[] = [];
  let after: string | null = null;
  for (let page = 0; page < MAX_PAGES; page++) {
    const data: ResultOf<typeof TranscriptQuery> = await run(api, TranscriptQuery, {
      id: spaceId,
      first: PAGE,
      after,
    });
    const transcript = data.space?.transcript;
    if (!transcript) break;
    for (const { node } of transcript.edges) {
      segments.push({
        text: node.text,
        startMs: node.startMs,
        endMs: node.endMs,
        speaker: node.speaker.user.displayName,
      });
    }
    if (!transcript.pageInfo.hasNextPage) break;
    after = transcript.pageInfo.endCursor ?? null;
  }
  return segments;
}
