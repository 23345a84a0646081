import Hls from 'hls.js';
import { createSignal, onCleanup } from 'solid-js';

/**
 * Plays a space's HLS broadcast in an <audio> element: natively where the browser plays HLS
 * itself (Safari), else through hls.js (Media Source Extensions; fMP4 Opus in Chromium and
 * Firefox). hls.js retries the playlist while the server answers 503 (the broadcast starting).
 */
export function createBroadcastPlayer() {
  const [playing, setPlaying] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);
  let audio: HTMLAudioElement | null = null;
  let hls: Hls | null = null;

  function stop() {
    hls?.destroy();
    hls = null;
    if (audio) {
      audio.pause();
      audio.removeAttribute('src');
      audio.load();
    }
    audio = null;
    setPlaying(false);
  }

  function play(url: string) {
    stop();
    setError(null);
    const element = new Audio();
    audio = element;
    element.addEventListener('playing', () => setPlaying(true));
    element.addEventListener('pause', () => setPlaying(false));
    if (element.canPlayType('application/vnd.apple.mpegurl')) {
      element.src = url;
    } else if (Hls.isSupported()) {
      const player = new Hls({ manifestLoadingMaxRetry: 10, manifestLoadingRetryDelay: 1000 });
      hls = player;
      player.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) setError('The broadcast stopped playing.');
      });
      player.loadSource(url);
      player.attachMedia(element);
    } else {
      setError('This browser cannot play the broadcast.');
      return;
    }
    element.play().catch(() => setError('Press play to hear the broadcast.'));
  }

  onCleanup(stop);
  return { play, stop, playing, error };
}
