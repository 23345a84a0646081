/** What `firstSoundTap` puts on `window`. */
export type FirstSoundWindow = {
  /**
   * Calls `onSound` once with the page time (`performance.now()`) at which the first non-zero
   * sample of `track` reaches the audio output.
   */
  firstSound?: (track: MediaStreamTrack, onSound: (at: number) => void) => void;
};

/**
 * An init script: the time a remote track's first sound is played, read on the audio rendering
 * thread rather than by polling getStats() on the page's main thread. A poll sees audio late by
 * however long the page is busy (a room rendering as it connects), plus up to the 50 ms for which
 * Chromium serves a cached stats report; neither delays the sound. An AudioWorklet fed by the
 * track (muted, beside the page's own <audio> element) stamps the first non-zero sample with the
 * context's clock, which `getOutputTimestamp()` maps to the page's clock as the output plays it.
 * The context and its module are made as the page opens, before any click.
 */
export function firstSoundTap() {
  const processor = `
    class FirstSound extends AudioWorkletProcessor {
      process(inputs) {
        const channel = inputs[0] && inputs[0][0];
        if (!channel) return true;
        for (let i = 0; i < channel.length; i++) {
          if (channel[i] !== 0) {
            this.port.postMessage(currentTime + i / sampleRate);
            return false;
          }
        }
        return true;
      }
    }
    registerProcessor('first-sound', FirstSound);`;
  const context = new AudioContext();
  const moduleUrl = URL.createObjectURL(new Blob([processor], { type: 'text/javascript' }));
  const loaded = context.audioWorklet.addModule(moduleUrl);
  (window as FirstSoundWindow).firstSound = (track, onSound) => {
    void loaded.then(() => {
      void context.resume();
      const source = context.createMediaStreamSource(new MediaStream([track]));
      const tap = new AudioWorkletNode(context, 'first-sound');
      const silence = context.createGain();
      silence.gain.value = 0;
      source.connect(tap).connect(silence).connect(context.destination);
      tap.port.onmessage = ({ data }: MessageEvent<number>) => {
        const { contextTime = 0, performanceTime = 0 } = context.getOutputTimestamp();
        onSound(performanceTime - (contextTime - data) * 1000);
        source.disconnect();
        tap.disconnect();
      };
    });
  };
}
