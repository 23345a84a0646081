import { afterEach, describe, expect, it } from 'vitest';
import { RTCPeerConnection, useOPUS } from 'werift';
import { hostAddress, useSharedSocket } from './shared-ice-socket.ts';
import { createUdpMux, type UdpMux } from './udp-mux.ts';

/** UDP handles Node holds open in this process. */
const udpHandles = () =>
  process.getActiveResourcesInfo().filter((kind) => kind === 'UDPWrap').length;

// This test is the tripwire for the werift internals shared-ice-socket.ts relies on: if werift
// renames them, useSharedSocket throws or werift binds sockets of its own, and this fails.
describe('useSharedSocket', () => {
  let mux: UdpMux | undefined;
  const pcs: RTCPeerConnection[] = [];

  afterEach(async () => {
    await Promise.all(pcs.splice(0).map((pc) => pc.close()));
    await mux?.close();
    mux = undefined;
  });

  it('offers one host candidate on the shared port and binds no socket of its own', async () => {
    mux = await createUdpMux(0);
    const address = hostAddress();
    expect(address).toBeDefined();
    const before = udpHandles();
    const offers: string[] = [];
    for (let index = 0; index < 3; index++) {
      const pc = new RTCPeerConnection({
        iceServers: [],
        iceUseIpv6: false,
        iceInterfaceAddresses: { udp4: address },
        bundlePolicy: 'max-bundle',
        codecs: { audio: [useOPUS()] },
      });
      pcs.push(pc);
      pc.addTransceiver('audio', { direction: 'sendonly' });
      pc.createDataChannel('amphi');
      useSharedSocket(pc, mux, address ?? '');
      await pc.setLocalDescription(await pc.createOffer());
      offers.push(pc.localDescription?.sdp ?? '');
    }

    const endpointUfrags = offers.map((sdp) => /a=ice-ufrag:(\S+)/.exec(sdp)?.[1]);
    for (const sdp of offers) {
      const candidates = sdp.match(/^a=candidate:.*$/gm) ?? [];
      expect(new Set(candidates.map((line) => line.split(' ').slice(4, 6).join(' ')))).toEqual(
        new Set([`${address} ${mux.port}`]),
      );
    }
    expect(new Set(endpointUfrags).size).toBe(3);
    expect(udpHandles()).toBe(before);
    expect(mux.stats().endpoints).toBe(3);

    await Promise.all(pcs.splice(0).map((pc) => pc.close()));
    expect(mux.stats()).toMatchObject({ endpoints: 0, routes: 0 });
  });
});
