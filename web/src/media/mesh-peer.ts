import './polyfills.ts';
import SimplePeer from 'simple-peer';
import type { PeerSignalData } from './mesh-signal.ts';

/** The slice of a simple-peer instance the mesh transport uses; fakes implement it in tests. */
export interface MeshPeer {
  /** The underlying connection, for `getStats()` and `restartIce()`. */
  readonly pc: RTCPeerConnection | null;
  signal(data: PeerSignalData): void;
  /** Starts, replaces or (with null) stops sending; only the first track needs negotiation. */
  setTrack(track: MediaStreamTrack | null, stream: MediaStream): void;
  /** Asks for a new offer (the initiator makes one, the other side asks the initiator). */
  negotiate(): void;
  /** Sends text on the peer's data channel; ignored until connected. */
  send(text: string): void;
  on(event: 'signal', handler: (data: PeerSignalData) => void): void;
  on(event: 'connect' | 'close', handler: () => void): void;
  on(event: 'track', handler: (track: MediaStreamTrack, stream: MediaStream) => void): void;
  on(event: 'data', handler: (text: string) => void): void;
  on(event: 'error', handler: (error: Error) => void): void;
  on(event: 'ice-state', handler: (state: RTCIceConnectionState) => void): void;
  destroy(): void;
}

export type MeshPeerOptions = { initiator: boolean; config: RTCConfiguration | undefined };

export type MeshPeerFactory = (options: MeshPeerOptions) => MeshPeer;

/** simple-peer keeps its RTCPeerConnection and `negotiate()` out of its typings. */
type SimplePeerInternals = { _pc?: RTCPeerConnection; negotiate(): void };

/** Creates a browser mesh peer with simple-peer (trickle ICE, text data channel). */
export const createSimplePeer: MeshPeerFactory = ({ initiator, config }) => {
  const peer = new SimplePeer({
    initiator,
    trickle: true,
    objectMode: true,
    // Listeners initiate without a track, and their offer must still receive audio.
    offerOptions: { offerToReceiveAudio: true },
    ...(config ? { config } : {}),
  });
  const internals = peer as unknown as SimplePeerInternals;
  let sender: RTCRtpSender | null = null;
  let failed: ((error: Error) => void) | null = null;
  const decoder = new TextDecoder();

  return {
    get pc() {
      return internals._pc ?? null;
    },
    signal(data) {
      // Our candidate init objects are what simple-peer passes to `new RTCIceCandidate()`.
      peer.signal(data as SimplePeer.SignalData);
    },
    setTrack(track, stream) {
      if (sender) {
        // replaceTrack on the sender directly: simple-peer refuses a track it has seen removed.
        sender.replaceTrack(track).catch((error: unknown) => {
          failed?.(error instanceof Error ? error : new Error(String(error)));
        });
        return;
      }
      if (!track) return;
      peer.addTrack(track, stream);
      sender = internals._pc?.getSenders().find((candidate) => candidate.track === track) ?? null;
    },
    negotiate() {
      internals.negotiate();
    },
    send(text) {
      if (peer.connected) peer.send(text);
    },
    on(event: string, handler: (...args: never[]) => void) {
      const listener = handler as (...args: unknown[]) => void;
      if (event === 'ice-state') {
        peer.on('iceStateChange', (state: RTCIceConnectionState) => listener(state));
      } else if (event === 'data') {
        peer.on('data', (chunk: unknown) =>
          listener(typeof chunk === 'string' ? chunk : decoder.decode(chunk as Uint8Array)),
        );
      } else {
        if (event === 'error') failed = listener;
        peer.on(event, listener);
      }
    },
    destroy() {
      peer.destroy();
    },
  };
};
