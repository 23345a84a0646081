import { Match, Show, Switch } from 'solid-js';
import { MicIcon, MicOffIcon } from '../../ui/icons.tsx';
import type { MicPrompt } from './mic-prompt.ts';

/** The id the Unmute button points at, so screen readers hear why it matters. */
export const MIC_PROMPT_ID = 'mic-prompt';

/** "You are muted", in words, above the controls, with the one step that fixes it. */
export function MicPromptBanner(props: { prompt: MicPrompt; onAllow: () => void }) {
  const failure = () => (props.prompt.kind === 'failed' ? props.prompt.reason : null);
  return (
    <div class="mic-prompt" id={MIC_PROMPT_ID} role="status" data-testid="mic-prompt">
      <span class="mic-prompt-icon" aria-hidden="true">
        <MicOffIcon size={18} />
      </span>
      <p class="mic-prompt-text">
        <strong>You are muted.</strong>{' '}
        <Switch>
          <Match when={props.prompt.kind === 'asking'}>
            Allow the microphone when your browser asks, so people can hear you once you unmute.
          </Match>
          <Match when={props.prompt.kind === 'off'}>Your microphone is off.</Match>
          <Match when={failure()}>{(reason) => reason()}</Match>
          <Match when={props.prompt.kind === 'muted'}>
            No one hears you until you press Unmute.
          </Match>
        </Switch>
      </p>
      <Show when={props.prompt.kind === 'off' || props.prompt.kind === 'failed'}>
        <button type="button" class="button small primary" onClick={() => props.onAllow()}>
          <MicIcon size={16} /> Allow microphone
        </button>
      </Show>
    </div>
  );
}
