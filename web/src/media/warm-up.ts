/**
 * Readies the browser's WebRTC stack while the user has not asked for audio yet: a page's first
 * peer connection costs Chromium tens of milliseconds more than the next ones (media engine,
 * network and transport setup), which a listener would otherwise wait through between their
 * click and their first audio. Makes one connection, sets a local offer (the offer alone warms
 * less) and closes it: nothing is sent and no server is involved. Never throws.
 */
export async function warmUpWebRtc(
  create: () => RTCPeerConnection = () => new RTCPeerConnection(),
): Promise<void> {
  let pc: RTCPeerConnection;
  try {
    pc = create();
  } catch {
    // No WebRTC here (or it is switched off): the room reports that when it connects.
    return;
  }
  try {
    pc.addTransceiver('audio', { direction: 'recvonly' });
    await pc.setLocalDescription(await pc.createOffer());
  } catch {
    // Warming is a head start, never a requirement.
  } finally {
    pc.close();
  }
}
