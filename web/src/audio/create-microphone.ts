import { createSignal, onCleanup } from 'solid-js';
import { systemClock } from '../media/clock.ts';
import { captureMicrophone } from '../media/index.ts';
import { createLevelMeter, type LevelMeter } from '../media/level-meter.ts';
import { micErrorMessage } from './mic-errors.ts';

export type Microphone = ReturnType<typeof createMicrophone>;

/**
 * The local microphone as signals: the track, its level (sampled ~10 times a second), the
 * devices to choose from and a readable error. The track is stopped when the owner is disposed.
 */
export function createMicrophone() {
  const [track, setTrack] = createSignal<MediaStreamTrack | null>(null);
  const [level, setLevel] = createSignal(0);
  const [devices, setDevices] = createSignal<MediaDeviceInfo[]>([]);
  const [deviceId, setDeviceId] = createSignal<string>('');
  const [error, setError] = createSignal<string | null>(null);
  const [starting, setStarting] = createSignal(false);
  let meter: LevelMeter | null = null;
  let timer: ReturnType<typeof setInterval> | undefined;

  const listDevices = async () => {
    const all = await navigator.mediaDevices?.enumerateDevices().catch(() => []);
    setDevices((all ?? []).filter((device) => device.kind === 'audioinput'));
  };

  const release = () => {
    clearInterval(timer);
    meter?.close();
    meter = null;
    track()?.stop();
    setTrack(null);
    setLevel(0);
  };

  /** Asks for the microphone (a chosen device, or the default); replaces any earlier track. */
  const start = async (id = deviceId()) => {
    setStarting(true);
    setError(null);
    try {
      const next = await captureMicrophone({
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
        ...(id ? { deviceId: { exact: id } } : {}),
      });
      release();
      setTrack(next);
      setDeviceId(next.getSettings().deviceId ?? id);
      meter = createLevelMeter(next, { clock: systemClock() });
      timer = setInterval(() => setLevel(meter?.level() ?? 0), 100);
      next.addEventListener('ended', () => setError(micErrorMessage(null)));
      await listDevices();
      return next;
    } catch (problem) {
      setError(micErrorMessage(problem));
      return null;
    } finally {
      setStarting(false);
    }
  };

  const onDeviceChange = () => void listDevices();
  navigator.mediaDevices?.addEventListener?.('devicechange', onDeviceChange);
  onCleanup(() => {
    navigator.mediaDevices?.removeEventListener?.('devicechange', onDeviceChange);
    release();
  });

  return { track, level, devices, deviceId, error, starting, start, stop: release };
}
