import { randomUUID } from 'node:crypto';
import {
  Event,
  RTCDataChannel,
  RTCDataChannelParameters,
  type RTCDtlsTransport,
  RTCSctpTransport,
} from 'werift';
import { RELAY_CHANNEL_LABEL } from './relay-messages.ts';

/**
 * werift's SCTP heartbeat interval, in seconds, that in effect turns the relay's own heartbeats
 * off (RFC 9260 §8.3 lets the SCTP user turn them off; werift has no switch, only an interval).
 * Its timer is `(RTO + interval) * 1000` ms, which must stay under Node's largest timeout (2^31 - 1
 * ms, else it fires after 1 ms) with the RTO at its 60 s maximum: about 23 days.
 *
 * Why off: they only probe the one path the association has (over DTLS, RFC 8261), and that path's
 * liveness is already proven by the client's ICE consent checks (RFC 7675), which expire the
 * session after 30 s without one (ice-lite.ts). Each heartbeat was a timer, a DTLS record out and
 * its acknowledgement in, every ~33 s per listener: an eighth of an idle relay's datagrams. The
 * client's heartbeats are still acknowledged.
 */
const HEARTBEATS_OFF_SECONDS = 2_000_000;

export type RelayChannelInit = {
  /** Sends SCTP packets as DTLS application data. */
  send(data: Buffer): Promise<void>;
  onOpen(): void;
  /** A text message from the client (binary messages are ignored). */
  onMessage(message: string): void;
};

/**
 * The `amphi` data channel (RFC 8831/8832) on werift's SCTP, over a DTLS session of the relay's
 * own. RTCSctpTransport takes its DTLS transport as an argument but uses only the members given
 * here (an id, the ICE role, `sendData`, `dataReceiver` and `onStateChange`); relay.test.ts,
 * whose clients learn their slots over this channel, fails if it starts to need more.
 */
export function createRelayChannel(init: RelayChannelInit) {
  const stateChange = new Event<['closed']>();
  const dtls = {
    id: randomUUID(),
    // werift's SCTP "server" waits for the client's INIT (every client sends one, and a werift
    // client never answers another's INIT), whatever the ICE roles.
    iceTransport: { role: 'controlled' },
    onStateChange: stateChange,
    sendData: (data: Buffer) => init.send(data),
    dataReceiver: (_data: Buffer) => {},
  };
  const sctp = new RTCSctpTransport();
  sctp.setDtlsTransport(dtls as unknown as RTCDtlsTransport);
  sctp.sctp.setHeartbeatInterval(HEARTBEATS_OFF_SECONDS);
  // RFC 8832 §6: the DTLS server (the relay, to every browser) opens odd stream ids.
  const channel = new RTCDataChannel(
    sctp,
    new RTCDataChannelParameters({ label: RELAY_CHANNEL_LABEL, id: 1 }),
  );
  const opened = channel.stateChanged.subscribe((state) => {
    if (state === 'open') init.onOpen();
  });
  const received = channel.onMessage.subscribe((data) => {
    if (typeof data === 'string') init.onMessage(data);
  });
  let started = false;

  return {
    /** Starts the association once DTLS is up, towards the client's SCTP port. */
    start(remotePort: number): void {
      if (started) return;
      started = true;
      sctp.setRemotePort(remotePort);
      sctp.start(remotePort).catch(() => {});
    },

    /** SCTP packets that came as DTLS application data. */
    receive(data: Buffer): void {
      dtls.dataReceiver(data);
    },

    /** Sends a message if the channel is open; messages are not queued. */
    send(message: string): void {
      if (channel.readyState !== 'open') return;
      try {
        channel.send(message);
      } catch {
        // The channel closed between the check and the send; the session is going away.
      }
    },

    close(): void {
      opened.unSubscribe();
      received.unSubscribe();
      stateChange.execute('closed');
      sctp.stop().catch(() => {});
    },
  };
}

export type RelayChannel = ReturnType<typeof createRelayChannel>;
