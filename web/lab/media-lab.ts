import { connectApi } from '../src/api/graphql-client.ts';
import { graphqlSignalling } from '../src/api/media-signalling.ts';
import { createRoomConnection, type RoomConnection } from '../src/media/index.ts';
import type { MediaMode, Role, RosterEntry } from '../src/media/types.ts';

type RosterQuery = {
  space: {
    mediaMode: MediaMode;
    viewerParticipant: { id: string; role: Role; muted: boolean } | null;
    participants: { edges: { node: { id: string; role: Role; muted: boolean } }[] };
  };
};

const ROSTER = /* GraphQL */ `
  query ($id: ID!) {
    space(id: $id) {
      mediaMode
      viewerParticipant { id role muted }
      participants(first: 100) { edges { node { id role muted } } }
    }
  }
`;

const params = new URLSearchParams(location.search);
const token = params.get('token') ?? undefined;
const spaceId = params.get('space') ?? '';
const status = document.querySelector('#status');
const show = (text: string) => {
  if (status) status.textContent = text;
};

const api = connectApi(token ? { token } : {});

async function loadRoster() {
  const { space } = await api.request<RosterQuery>(ROSTER, { id: spaceId });
  const roster: RosterEntry[] = space.participants.edges.map(({ node }) => ({
    participantId: node.id,
    role: node.role,
    muted: node.muted,
  }));
  return { mode: space.mediaMode, self: space.viewerParticipant, roster };
}

async function setMuted(muted: boolean) {
  await api.request(
    'mutation ($spaceId: ID!, $muted: Boolean!) { setMuted(spaceId: $spaceId, muted: $muted) { __typename } }',
    { spaceId, muted },
  );
}

/**
 * For each remote participant: packets received on the source being played, and the longest
 * stretch without new packets once audio first arrived (what a listener would hear as a gap).
 */
function watchAudibility(room: RoomConnection) {
  const seen = new Map<
    string,
    { source: string | null; packets: number; at: number; longestGap: number; total: number }
  >();
  setInterval(() => {
    const now = performance.now();
    for (const remote of room.stats().remotes) {
      const inbound =
        remote.source === 'relay' ? remote.relay : remote.source === 'mesh' ? remote.mesh : null;
      const packets = inbound?.packetsReceived ?? 0;
      const entry = seen.get(remote.participantId);
      if (!entry) {
        seen.set(remote.participantId, {
          source: remote.source,
          packets,
          at: now,
          longestGap: 0,
          total: 0,
        });
        continue;
      }
      const grew = remote.source === entry.source ? packets > entry.packets : packets > 0;
      if (grew) {
        if (entry.total > 0) entry.longestGap = Math.max(entry.longestGap, now - entry.at);
        entry.total += remote.source === entry.source ? packets - entry.packets : packets;
        entry.at = now;
      }
      entry.source = remote.source;
      entry.packets = packets;
    }
  }, 50);
  return () =>
    Object.fromEntries(
      [...seen].map(([id, entry]) => [
        id,
        { source: entry.source, packets: entry.total, longestGapMs: Math.round(entry.longestGap) },
      ]),
    );
}

/** Plays each audible participant in its own audio element, as the web client does. */
function playRemotes(room: RoomConnection) {
  const players = new Map<string, HTMLAudioElement>();
  const play = ({ participantId, stream }: { participantId: string; stream: MediaStream }) => {
    let player = players.get(participantId);
    if (!player) {
      player = document.createElement('audio');
      player.autoplay = true;
      player.dataset['participant'] = participantId;
      document.body.append(player);
      players.set(participantId, player);
    }
    player.srcObject = stream;
    void player.play().catch(() => {});
  };
  room.on('remote-added', play);
  room.on('remote-updated', play);
  room.on('remote-removed', ({ participantId }) => {
    players.get(participantId)?.remove();
    players.delete(participantId);
  });
}

async function main() {
  await api.request('mutation ($spaceId: ID!) { joinSpace(spaceId: $spaceId) { __typename } }', {
    spaceId,
  });
  let state = await loadRoster();
  if (!state.self) throw new Error('not in the space');
  const room: RoomConnection = createRoomConnection({
    signalling: graphqlSignalling(api, spaceId, state.self.id),
  });
  let publishing = false;

  async function sync() {
    state = await loadRoster();
    room.update({ mode: state.mode, roster: state.roster });
    const onStage = state.self !== null && state.self.role !== 'LISTENER';
    if (onStage && !publishing) {
      publishing = true;
      const mic = await navigator.mediaDevices.getUserMedia({ audio: true });
      const [track] = mic.getAudioTracks();
      if (track) room.publishMicrophone(track);
      if (state.self?.muted) await setMuted(false);
    }
    show(JSON.stringify({ self: state.self, mode: state.mode, remotes: room.stats() }, null, 2));
  }

  playRemotes(room);
  const audible = watchAudibility(room);
  let syncing = Promise.resolve();
  api.subscribe(
    'subscription ($id: ID!) { spaceEvents(spaceId: $id) { __typename } }',
    { id: spaceId },
    () => {
      syncing = syncing.then(sync).catch((error: unknown) => show(String(error)));
    },
  );
  await sync();
  setInterval(
    () =>
      show(JSON.stringify({ self: state.self, mode: state.mode, remotes: room.stats() }, null, 2)),
    1000,
  );
  Object.assign(window, {
    lab: { room, api, spaceId, state: () => state, audible, ready: true },
  });
}

main().catch((error: unknown) => {
  show(`failed: ${String(error)}`);
  Object.assign(window, { lab: { error: String(error) } });
});
