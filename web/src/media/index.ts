// First: simple-peer's dependencies read Node globals while they load.
import './polyfills.ts';

export { MediaError, MediaErrorReason } from './errors.ts';
export {
  destroyPrepared,
  type JoinOffer,
  type MeshOffers,
  type PreparedPeer,
  prepareMeshOffers,
} from './mesh-offers.ts';
export { isOnStage, type MeshLink, planMeshConnections } from './mesh-plan.ts';
export {
  encodeMeshSignal,
  type MeshWireSignal,
  type PeerSignalData,
  parseMeshSignal,
} from './mesh-signal.ts';
export { captureMicrophone, microphoneError } from './microphone.ts';
export { createRoomConnection } from './room-connection.ts';
export type {
  InboundSnapshot,
  RoomConnection,
  RoomConnectionEvents,
  RoomConnectionOptions,
  RoomStats,
} from './room-types.ts';
export type {
  MediaMode,
  MediaSignalling,
  MeshSignal,
  RemoteAudio,
  RemoteHealth,
  Role,
  RosterEntry,
  SourceKind,
} from './types.ts';
export { warmUpWebRtc } from './warm-up.ts';
