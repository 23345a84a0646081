import { type JSX, Show } from 'solid-js';

export type AvatarUser = { handle: string; displayName: string; avatarUrl?: string | null };

const hue = (text: string) =>
  [...text].reduce((sum, char) => sum + char.charCodeAt(0) * 7, 0) % 360;

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]?.toUpperCase())
    .join('') || '?';

/**
 * A round avatar: the user's image, or their initials on a colour derived from the handle.
 * `decorative` when the name is written next to it, so screen readers do not hear it twice;
 * otherwise the name is its tooltip, as initials alone do not say who it is.
 */
export function Avatar(props: { user: AvatarUser; size?: number; decorative?: boolean }) {
  const size = () => props.size ?? 48;
  const style = (): JSX.CSSProperties => ({
    width: `${size()}px`,
    height: `${size()}px`,
    'font-size': `${Math.round(size() * 0.38)}px`,
    background: `hsl(${hue(props.user.handle)} 45% 38%)`,
  });
  const face = () => (
    <Show when={props.user.avatarUrl} fallback={initials(props.user.displayName)}>
      {(url) => <img src={url()} alt="" width={size()} height={size()} loading="lazy" />}
    </Show>
  );
  return (
    <Show
      when={!props.decorative}
      fallback={
        <span class="avatar" style={style()} aria-hidden="true">
          {face()}
        </span>
      }
    >
      <span
        class="avatar"
        style={style()}
        role="img"
        aria-label={props.user.displayName}
        title={props.user.displayName}
      >
        {face()}
      </span>
    </Show>
  );
}
