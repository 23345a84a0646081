/**
 * Where one speaker's packets go on the mix's timeline (samples since the mix started). Packets
 * are placed by RTP time, which keeps a speaker's own spacing (lost packets, DTX's packet every
 * 400 ms of silence, a mute) free of network jitter, anchored to arrival: the first packet, and any
 * packet whose RTP place is further than `maxDriftSamples` from its arrival (a new RTP clock after
 * a reconnection, a sender clock running fast or slow), is re-anchored to when it arrived.
 */
export function createSpeakerPlacement(maxDriftSamples: number) {
  let anchorRtp: number | undefined;
  let anchorSample = 0;

  return {
    /** The timeline sample at which a packet stamped `rtpTimestamp`, arrived at `arrivalSample`, starts. */
    place(rtpTimestamp: number, arrivalSample: number): number {
      if (anchorRtp !== undefined) {
        // RTP time wraps at 2^32; as a signed difference it is right for 12 hours either way.
        const byRtp = anchorSample + ((rtpTimestamp - anchorRtp) | 0);
        if (Math.abs(byRtp - arrivalSample) <= maxDriftSamples) return byRtp;
      }
      anchorRtp = rtpTimestamp;
      anchorSample = arrivalSample;
      return arrivalSample;
    },
  };
}
