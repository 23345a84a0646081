import { connectApi } from '../src/api/graphql-client.ts';
import {
  graphqlSignalling,
  RELAY_OFFER_FIELDS,
  type RelayOffer,
} from '../src/api/media-signalling.ts';
import { openMeshInbox } from '../src/api/mesh-inbox.ts';
import {
  createRoomConnection,
  type JoinOffer,
  type RoomConnection,
  warmUpWebRtc,
} from '../src/media/index.ts';
import type { MediaMode, Role, RosterEntry } from '../src/media/types.ts';
import { offerInputs, prepareStageOffers } from '../src/spaces/room/stage-offers.ts';

type SpaceState = {
  mediaMode: MediaMode;
  relayAudience: boolean;
  viewerParticipant: { id: string; role: Role; muted: boolean } | null;
  participants: { edges: { node: { id: string; role: Role; muted: boolean } }[] };
};

// 50, not the 100 a page may hold: inside joinSpace's payload the same selection sits deeper and
// costs more, and a lab space never holds that many.
const SPACE_STATE = /* GraphQL */ `
  mediaMode
  relayAudience
  viewerParticipant { id role muted }
  participants(first: 50) { edges { node { id role muted } } }
`;

const ROSTER = /* GraphQL */ `
  query ($id: ID!) { space(id: $id) { ${SPACE_STATE} } }
`;

/**
 * Joins, reads the room, opens the relay connection (in a relay space) and sends the offers made
 * for the stage (in a mesh) in one round trip: the media can start as soon as it answers. The
 * offers come first: fields resolve in the order asked, and the stage's answers wait for them.
 */
const JOIN = /* GraphQL */ `
  mutation ($spaceId: ID!, $offers: [MeshOfferInput!]!) {
    joinSpace(spaceId: $spaceId) {
      __typename
      ... on MutationJoinSpaceSuccess {
        meshOffers(offers: $offers) {
          ... on MutationJoinSpaceSuccessMeshOffersSuccess { delivered }
        }
        participant { space { ${SPACE_STATE} } }
        relay { ${RELAY_OFFER_FIELDS} }
      }
    }
  }
`;

/**
 * How long after joining the room is read once more. Sent with the media's signalling, the read
 * (the whole room) kept the server busy just as the relay's answer or the mesh offers arrived,
 * and they waited behind it; the change it looks for is rare and still found a second later.
 */
const READ_BEHIND_MEDIA_MS = 1_000;

type SpaceEvent = {
  __typename: string;
  joined?: { id: string; role: Role; muted: boolean }[];
  left?: { id: string }[];
};

type JoinResult = {
  joinSpace: {
    __typename: string;
    participant?: { space: SpaceState };
    relay?: RelayOffer | null;
    meshOffers?: { delivered?: string[] };
  };
};

const params = new URLSearchParams(location.search);
const token = params.get('token') ?? undefined;
const spaceId = params.get('space') ?? '';
const status = document.querySelector('#status');
const show = (text: string) => {
  if (status) status.textContent = text;
};

const api = connectApi(token ? { token } : {});

function toState(space: SpaceState) {
  const roster: RosterEntry[] = space.participants.edges.map(({ node }) => ({
    participantId: node.id,
    role: node.role,
    muted: node.muted,
  }));
  return {
    mode: space.mediaMode,
    relayAudience: space.relayAudience,
    self: space.viewerParticipant,
    roster,
  };
}

async function loadRoster() {
  const { space } = await api.request<{ space: SpaceState }>(ROSTER, { id: spaceId });
  return toState(space);
}

async function join(offers: JoinOffer[]) {
  const { joinSpace } = await api.request<JoinResult>(JOIN, {
    spaceId,
    offers: offerInputs(offers),
  });
  if (!joinSpace.participant) throw new Error(`joinSpace failed: ${joinSpace.__typename}`);
  return {
    state: toState(joinSpace.participant.space),
    relay: joinSpace.relay ?? null,
    delivered: joinSpace.meshOffers?.delivered ?? [],
  };
}

async function setMuted(muted: boolean) {
  await api.request(
    'mutation ($spaceId: ID!, $muted: Boolean!) { setMuted(spaceId: $spaceId, muted: $muted) { __typename } }',
    { spaceId, muted },
  );
}

/** Every peer connection this page makes (mesh peers and the relay), to read their stats. */
const peerConnections: RTCPeerConnection[] = [];
const NativePeerConnection = window.RTCPeerConnection;
window.RTCPeerConnection = class extends NativePeerConnection {
  constructor(config?: RTCConfiguration) {
    super(config);
    peerConnections.push(this);
  }
};

/** Packets received so far on each incoming audio track, by track id, across connections. */
async function packetsByTrack(): Promise<Map<string, number>> {
  const packets = new Map<string, number>();
  const open = peerConnections.filter((pc) => pc.connectionState !== 'closed');
  for (const report of await Promise.all(open.map((pc) => pc.getStats()))) {
    report.forEach((stat: { type: string; trackIdentifier?: string; packetsReceived?: number }) => {
      if (stat.type === 'inbound-rtp' && stat.trackIdentifier) {
        packets.set(stat.trackIdentifier, stat.packetsReceived ?? 0);
      }
    });
  }
  return packets;
}

/**
 * What each listener would hear: for every remote participant, packets arriving on the track
 * being played (whichever source the room chose), read from the connections' own stats every
 * 50 ms, and the longest stretch without new packets once audio first arrived.
 *
 * A stretch runs from the sample that last saw packets grow to the last sample that still saw
 * none: a sampler that is itself late (a busy renderer on a loaded host) is no silence, since
 * the packets it finds were there to be played.
 */
function watchAudibility(room: RoomConnection) {
  type Seen = {
    trackId: string;
    source: string;
    packets: number;
    at: number;
    silentUntil: number;
    longestGap: number;
    total: number;
  };
  const seen = new Map<string, Seen>();
  let sampling = false;
  setInterval(async () => {
    if (sampling) return;
    sampling = true;
    try {
      const now = performance.now();
      const byTrack = await packetsByTrack();
      for (const remote of room.remotes().values()) {
        const trackId = remote.stream.getAudioTracks()[0]?.id;
        if (!trackId) continue;
        const packets = byTrack.get(trackId) ?? 0;
        const entry = seen.get(remote.participantId);
        if (!entry) {
          const first = {
            trackId,
            source: remote.source,
            packets,
            at: now,
            silentUntil: now,
            longestGap: 0,
            total: packets,
          };
          seen.set(remote.participantId, first);
          continue;
        }
        const sameTrack = entry.trackId === trackId;
        const grew = sameTrack ? packets > entry.packets : packets > 0;
        if (grew) {
          if (entry.total > 0) {
            entry.longestGap = Math.max(entry.longestGap, entry.silentUntil - entry.at);
          }
          entry.total += sameTrack ? packets - entry.packets : packets;
          entry.at = now;
        }
        entry.silentUntil = now;
        Object.assign(entry, { trackId, source: remote.source, packets });
      }
    } finally {
      sampling = false;
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

/**
 * The space's events from before joining, as the room page subscribes when it opens: those that
 * come before the room connection exists wait for it.
 */
function subscribeSpaceEvents() {
  const early: SpaceEvent[] = [];
  let handler: ((event: SpaceEvent) => void) | null = null;
  api.subscribe<{ spaceEvents: SpaceEvent }>(
    /* GraphQL */ `
      subscription ($id: ID!) {
        spaceEvents(spaceId: $id) {
          __typename
          ... on ListenersChanged { joined { id role muted } left { id } }
        }
      }
    `,
    { id: spaceId },
    ({ spaceEvents }) => (handler ? handler(spaceEvents) : early.push(spaceEvents)),
  );
  return {
    take(next: (event: SpaceEvent) => void) {
      handler = next;
      for (const event of early.splice(0)) next(event);
    },
  };
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
      player.hidden = true;
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

/**
 * With `?start=click` the page joins only when its Listen button is clicked, the socket already
 * open and WebRTC warmed up, as a user joins from an app already running (the app warms up
 * when it opens); for bench/join, which times from the click.
 */
async function listenClicked() {
  await Promise.all([api.request('{ __typename }'), warmUpWebRtc()]);
  const button = document.createElement('button');
  button.id = 'listen';
  button.textContent = 'Listen';
  document.body.prepend(button);
  Object.assign(window, { lab: { waiting: true } });
  await new Promise((resolve) => button.addEventListener('click', resolve, { once: true }));
  button.remove();
}

async function main() {
  // Before joining, as the room page does when it opens: the offers the join sets off on stage
  // then reach this page as they are sent.
  const inbox = openMeshInbox(api, spaceId);
  const events = subscribeSpaceEvents();
  // In a mesh, an offer to each person on stage, made before the Listen button is clicked, to go
  // with the join. (The room page makes them once its first read, which it needs for the ticket
  // gate anyway, has named the stage.)
  const offers = await prepareStageOffers(api, spaceId);
  if (params.get('start') === 'click') await listenClicked();
  const joined = await join(offers?.take() ?? []);
  let { state } = joined;
  performance.mark('lab:joined');
  if (!state.self) throw new Error('not in the space');
  // A relay space never goes back to the mesh.
  if (state.mode === 'RELAY') inbox.close();
  const room: RoomConnection = createRoomConnection({
    signalling: graphqlSignalling(api, spaceId, state.self.id, joined.relay, inbox),
    preparedMesh: offers?.handOver(joined.delivered),
  });
  let publishing = false;

  async function apply() {
    room.update({ mode: state.mode, roster: state.roster, relayAudience: state.relayAudience });
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

  async function applyListeners(event: SpaceEvent) {
    const gone = new Set([...(event.left ?? []), ...(event.joined ?? [])].map(({ id }) => id));
    const came = (event.joined ?? []).map(({ id, role, muted }) => ({
      participantId: id,
      role,
      muted,
    }));
    state = {
      ...state,
      roster: [...state.roster.filter((entry) => !gone.has(entry.participantId)), ...came],
    };
    await apply();
  }

  async function sync() {
    state = await loadRoster();
    await apply();
  }

  playRemotes(room);
  const audible = watchAudibility(room);
  let syncing = Promise.resolve();
  const resync = () => {
    syncing = syncing.then(sync).catch((error: unknown) => show(String(error)));
  };
  events.take((event) => {
    // Listeners coming and going carry all the media needs, as the room page applies them:
    // re-reading the room for each would load the server just as the newcomer connects.
    if (event.joined && event.left) {
      syncing = syncing.then(() => applyListeners(event));
    } else if (event.__typename !== 'ParticipantCountChanged') {
      // The room page shows a new count without reading the room; the media does not need it.
      resync();
    }
  });
  await apply();
  // Read once more behind the media: a change between the join and the subscription (the space
  // moving to the relay as we join, say) sends an event nobody here was listening for yet.
  setTimeout(resync, READ_BEHIND_MEDIA_MS);
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
