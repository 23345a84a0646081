import Hls from 'hls.js';
import { createSignal, onCleanup } from 'solid-js';

/**
 * Plays a space's HLS broadcast in an <audio> element: through hls.js wherever it runs (Media
 * Source Extensions, or Safari's ManagedMediaSource; fMP4 Opus in Chromium and Firefox), else
 * natively (older iOS Safari). hls.js goes first because Chromium now answers "maybe" to
 * canPlayType for HLS and then cannot demux fMP4 Opus playlists natively. hls.js retries the
 * playlist while the server answers 503 (the broadcast starting).
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
      audio.remove();
    }
    audio = null;
    setPlaying(false);
  }

  function play(url: string) {
    stop();
    setError(null);
    const element = new Audio();
    // In the document (unseen), so assistive tools and tests find what is playing.
    element.dataset['testid'] = 'broadcast-audio';
    element.hidden = true;
    document.body.append(element);
    audio = element;
    element.addEventListener('playing', () => setPlaying(true));
    element.addEventListener('pause', () => setPlaying(false));
    if (Hls.isSupported()) {
      // hls.js's default live sync (3 target durations behind, RFC 8216 §6.3.3) is most of the
      // ~7.5 s a listener lags (bench/broadcast); 2 measured ~5.3 s but left ~2 s buffered.
      const player = new Hls({ manifestLoadingMaxRetry: 10, manifestLoadingRetryDelay: 1000 });
      hls = player;
      player.on(Hls.Events.ERROR, (_event, data) => {
        if (data.fatal) setError('The broadcast stopped playing.');
      });
      player.loadSource(url);
      player.attachMedia(element);
    } else if (element.canPlayType('application/vnd.apple.mpegurl')) {
      element.src = url;
    } else {
      setError('This browser cannot play the broadcast.');
      return;
    }
    element.play().catch(() => setError('Press play to hear the broadcast.'));
  }

  onCleanup(stop);
  return { play, stop, playing, error };
}
