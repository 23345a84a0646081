import { describe, expect, it } from 'vitest';
import { warmUpWebRtc } from './warm-up.ts';

/** As much of a peer connection as warming touches. */
class FakePc {
  closed = false;
  described = false;
  constructor(private readonly failing = false) {}
  addTransceiver() {}
  async createOffer() {
    if (this.failing) throw new Error('refused');
    return { type: 'offer' as const, sdp: 'v=0\r\n' };
  }
  async setLocalDescription() {
    this.described = true;
  }
  close() {
    this.closed = true;
  }
}

describe('warmUpWebRtc', () => {
  it('sets a local offer and closes the connection it made', async () => {
    const pc = new FakePc();
    await warmUpWebRtc(() => pc as unknown as RTCPeerConnection);
    expect(pc.described).toBe(true);
    expect(pc.closed).toBe(true);
  });

  it('closes the connection and does not throw when the browser refuses the offer', async () => {
    const pc = new FakePc(true);
    await expect(warmUpWebRtc(() => pc as unknown as RTCPeerConnection)).resolves.toBeUndefined();
    expect(pc.closed).toBe(true);
  });

  it('does nothing where no peer connection can be made', async () => {
    await expect(
      warmUpWebRtc(() => {
        throw new ReferenceError('RTCPeerConnection is not defined');
      }),
    ).resolves.toBeUndefined();
  });
});
