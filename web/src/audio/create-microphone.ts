import { createSignal, onCleanup } from 'solid-js';
import { systemClock } from '../media/clock.ts';
import { captureMicrophone, MediaError, MediaErrorReason } from '../media/index.ts';
import { createLevelMeter, type LevelMeter } from '../media/level-meter.ts';
import { micErrorMessage } from './mic-errors.ts';

export type Microphone = ReturnType<typeof createMicrophone>;

/** The microphone someone chose last, so the next space and the next visit use it too. */
const CHOSEN_DEVICE_KEY = 'amphi.microphone';

const remembered = () => {
  try {
    return localStorage.getItem(CHOSEN_DEVICE_KEY) ?? '';
  } catch {
    return '';
  }
};

const remember = (id: string) => {
  try {
    localStorage.setItem(CHOSEN_DEVICE_KEY, id);
  } catch {
    // Private browsing may refuse storage; the choice then lasts for this page only.
  }
};

/**
 * The local microphone as signals: the track, its level (sampled ~10 times a second), the
 * devices to choose from and a readable error. The track is stopped when the owner is disposed.
 */
export function createMicrophone() {
  const [track, setTrack] = createSignal<MediaStreamTrack | null>(null);
  const [level, setLevel] = createSignal(0);
  const [devices, setDevices] = createSignal<MediaDeviceInfo[]>([]);
  // The remembered choice is read on the first start, not here: a page's first use of
  // localStorage waits for its storage to load (2-11 ms in Chromium here), in the room's first
  // render as its audio connects, and a listener never asks for the microphone.
  const [deviceId, setDeviceId] = createSignal<string | null>(null);
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
  const start = async (id = deviceId() ?? remembered()) => {
    setStarting(true);
    setError(null);
    try {
      const next = await capture(id);
      release();
      setTrack(next);
      const chosen = next.getSettings().deviceId ?? id;
      setDeviceId(chosen);
      if (id) remember(chosen);
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

  /** The chosen device; a remembered one that is gone falls back to the default. */
  const capture = async (id: string) => {
    const constraints = { echoCancellation: true, noiseSuppression: true, autoGainControl: true };
    if (!id) return captureMicrophone(constraints);
    try {
      return await captureMicrophone({ ...constraints, deviceId: { exact: id } });
    } catch (problem) {
      if (!(problem instanceof MediaError && problem.reason === MediaErrorReason.MicNotFound)) {
        throw problem;
      }
      return captureMicrophone(constraints);
    }
  };

  const onDeviceChange = () => void listDevices();
  navigator.mediaDevices?.addEventListener?.('devicechange', onDeviceChange);
  onCleanup(() => {
    navigator.mediaDevices?.removeEventListener?.('devicechange', onDeviceChange);
    release();
  });

  /** The device in use or last asked for; '' for the default (or before the first start). */
  const chosenDevice = () => deviceId() ?? '';
  return { track, level, devices, deviceId: chosenDevice, error, starting, start, stop: release };
}
