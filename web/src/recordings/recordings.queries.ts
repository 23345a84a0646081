import { graphql } from '../api/graphql.ts';

export const ReplayQuery = graphql(`
  query Replay($id: ID!) {
    space(id: $id) {
      id
      title
      recording { id state playbackUrl durationSeconds startMs }
    }
  }
`);

export const RecordingSettled = graphql(`
  subscription RecordingSettled($spaceId: ID!) {
    recordingSettled(spaceId: $spaceId) { id state playbackUrl durationSeconds startMs }
  }
`);

export const CreateClip = graphql(`
  mutation CreateClip($recordingId: ID!, $start: Float!, $end: Float!, $title: String) {
    createClip(recordingId: $recordingId, startSeconds: $start, endSeconds: $end, title: $title) {
      __typename
      ... on MutationCreateClipSuccess { clip { id shareUrl } }
      ... on Error { message }
    }
  }
`);

export const ClipQuery = graphql(`
  query Clip($id: ID!) {
    clip(id: $id) {
      id
      title
      startSeconds
      endSeconds
      playbackUrl
      shareUrl
      recording { startMs space { id title } }
      transcript { text startMs endMs speaker { id user { displayName } } }
    }
  }
`);
