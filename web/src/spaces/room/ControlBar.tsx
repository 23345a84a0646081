import { createSignal, Show } from 'solid-js';
import type { Role } from '../../media/types.ts';
import {
  ArrowDownIcon,
  HandIcon,
  LeaveIcon,
  MicIcon,
  MicOffIcon,
  StopIcon,
} from '../../ui/icons.tsx';
import { MIC_PROMPT_ID } from './MicPromptBanner.tsx';
import { ReactionPicker } from './ReactionPicker.tsx';

export type ControlBarProps = {
  role: Role;
  muted: boolean;
  handRaised: boolean;
  micReady: boolean;
  /** The "You are muted" prompt is up: the Unmute button draws the eye and points at it. */
  mutedPrompt?: boolean;
  emojis: readonly string[];
  onToggleMute: () => void;
  onToggleHand: () => void;
  onLeaveStage: () => void;
  onReact: (emoji: string) => void;
  onLeave: () => void;
  onEnd: () => void;
};

/** The viewer's own controls, pinned to the bottom of the space. */
export function ControlBar(props: ControlBarProps) {
  const onStage = () => props.role !== 'LISTENER';
  // Ending is for everyone and final: the first press arms it, a second within 4 s ends.
  const [armed, setArmed] = createSignal(false);
  const end = () => {
    if (armed()) return props.onEnd();
    setArmed(true);
    setTimeout(() => setArmed(false), 4000);
  };
  return (
    <div class="control-bar" role="toolbar" aria-label="Your controls">
      <Show
        when={onStage()}
        fallback={
          <button
            type="button"
            class="control"
            classList={{ active: props.handRaised }}
            aria-pressed={props.handRaised}
            onClick={props.onToggleHand}
          >
            <span class="control-icon">
              <HandIcon />
            </span>
            <span class="control-label">{props.handRaised ? 'Lower hand' : 'Raise hand'}</span>
          </button>
        }
      >
        <button
          type="button"
          class="control mic"
          classList={{ live: !props.muted, attention: props.mutedPrompt }}
          aria-pressed={!props.muted}
          aria-describedby={props.mutedPrompt ? MIC_PROMPT_ID : undefined}
          disabled={!props.micReady}
          onClick={props.onToggleMute}
        >
          <span class="control-icon">{props.muted ? <MicOffIcon /> : <MicIcon />}</span>
          <span class="control-label">{props.muted ? 'Unmute' : 'Mute'}</span>
        </button>
        <Show when={props.role !== 'HOST'}>
          <button type="button" class="control" onClick={props.onLeaveStage}>
            <span class="control-icon">
              <ArrowDownIcon />
            </span>
            <span class="control-label">Leave stage</span>
          </button>
        </Show>
      </Show>
      <ReactionPicker emojis={props.emojis} onReact={props.onReact} />
      <span class="control-spacer" />
      <Show
        when={props.role === 'HOST'}
        fallback={
          <button type="button" class="control leave" onClick={props.onLeave}>
            <span class="control-icon">
              <LeaveIcon />
            </span>
            <span class="control-label">Leave quietly</span>
          </button>
        }
      >
        <button type="button" class="control leave" onClick={props.onLeave}>
          <span class="control-icon">
            <LeaveIcon />
          </span>
          <span class="control-label">Leave</span>
        </button>
        <button type="button" class="control end" classList={{ armed: armed() }} onClick={end}>
          <span class="control-icon">
            <StopIcon />
          </span>
          <span class="control-label">{armed() ? 'Tap again to end' : 'End space'}</span>
        </button>
      </Show>
    </div>
  );
}
