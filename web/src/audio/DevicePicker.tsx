import { For, Show } from 'solid-js';
import type { Microphone } from './create-microphone.ts';

/** Chooses the microphone; hidden until the browser has revealed the device list. */
export function DevicePicker(props: { mic: Microphone; id?: string }) {
  return (
    <Show when={props.mic.devices().length > 0}>
      <label class="field compact">
        <span>Microphone</span>
        <select
          id={props.id}
          value={props.mic.deviceId()}
          onChange={(event) => void props.mic.start(event.currentTarget.value)}
        >
          <For each={props.mic.devices()}>
            {(device, index) => (
              <option value={device.deviceId}>{device.label || `Microphone ${index() + 1}`}</option>
            )}
          </For>
        </select>
      </label>
    </Show>
  );
}
