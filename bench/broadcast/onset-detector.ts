/**
 * What the page under test reports: whether the broadcast's <audio> element is playing, and when
 * (wall clock, ms) the tone was first heard after the benchmark armed the detector.
 */
export type PlayerState = {
  attached: boolean;
  currentTime: number;
  /** Seconds buffered ahead of the playhead. */
  ahead: number;
  paused: boolean;
  armed: boolean;
  heardAt: number | null;
  /** RMS (full scale 1) of the last analysed window. */
  level: number;
};

/** RMS above which the player's output is the tone (silence through Opus is ~0). */
export const HEARD_RMS = 0.02;

/**
 * Installed in the page before the web client runs (a string, so no bundler helper leaks into
 * it): once the web client's broadcast player adds its <audio> element, route it through WebAudio
 * (MediaElementSource → AnalyserNode → speakers) and look at what it plays every few
 * milliseconds. The analyser sees what the audio graph renders, the last step before the device.
 */
export const onsetDetectorScript = `(() => {
  const state = { attached: false, currentTime: 0, ahead: 0, paused: true, armed: false, heardAt: null, level: 0 };
  window.__amphiPlayer = state;
  const attach = (audio) => {
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaElementSource(audio).connect(analyser);
    analyser.connect(context.destination);
    const samples = new Float32Array(analyser.fftSize);
    state.attached = true;
    setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let energy = 0;
      for (const sample of samples) energy += sample * sample;
      state.level = Math.sqrt(energy / samples.length);
      state.currentTime = audio.currentTime;
      state.paused = audio.paused;
      const end = audio.buffered.length ? audio.buffered.end(audio.buffered.length - 1) : 0;
      state.ahead = Math.max(0, end - audio.currentTime);
      if (state.armed && state.heardAt === null && state.level > ${HEARD_RMS}) {
        state.heardAt = performance.timeOrigin + performance.now();
      }
    }, 4);
  };
  const waiting = setInterval(() => {
    const audio = document.querySelector('[data-testid=broadcast-audio]');
    if (!audio) return;
    clearInterval(waiting);
    attach(audio);
  }, 10);
})();`;
