import { A } from '@solidjs/router';
import { For, Show } from 'solid-js';
import type { ResultOf } from '../api/graphql.ts';
import { TicketChip } from '../tickets/TicketChip.tsx';
import { Avatar } from '../ui/Avatar.tsx';
import { HeadphonesIcon } from '../ui/icons.tsx';
import { Topics } from '../ui/Topics.tsx';
import type { HomeQuery } from './home.queries.ts';

export type SpaceCardData = ResultOf<typeof HomeQuery>['live']['edges'][number]['node'];

const MAX_FACES = 5;

/** `onIntent`: the viewer points at the card or focuses it, a moment before they may open it. */
export function SpaceCard(props: { space: SpaceCardData; live?: boolean; onIntent?: () => void }) {
  const listeners = () => Math.max(0, props.space.participantCount - props.space.stage.length);
  const faces = () => props.space.stage.slice(0, MAX_FACES);
  return (
    <li class="space-card">
      <A
        href={`/spaces/${props.space.id}`}
        class="space-card-link"
        onPointerEnter={() => props.onIntent?.()}
        onFocus={() => props.onIntent?.()}
      >
        <div class="space-card-top">
          <Show when={props.live}>
            <span class="live-badge">
              <span class="live-dot" aria-hidden="true" />
              Live
            </span>
          </Show>
          <TicketChip ticketing={props.space.ticketing} />
          <Show when={props.space.host.viewerIsFollowing}>
            <span class="chip subtle">Following</span>
          </Show>
        </div>
        <h3 class="space-card-title">{props.space.title}</h3>
        <Topics topics={props.space.topics} />
        <ul class="space-card-faces" aria-label="On stage">
          <For each={faces()}>
            {(participant) => (
              <li>
                <Avatar user={participant.user} size={36} />
              </li>
            )}
          </For>
          <Show when={props.space.stage.length > MAX_FACES}>
            <li class="more-faces">+{props.space.stage.length - MAX_FACES}</li>
          </Show>
        </ul>
        <div class="space-card-meta">
          <span>
            Hosted by{' '}
            <strong title={props.space.host.displayName}>{props.space.host.displayName}</strong>
          </span>
          <span class="listener-count">
            <HeadphonesIcon size={16} /> {listeners()}{' '}
            {listeners() === 1 ? 'listener' : 'listeners'}
          </span>
        </div>
      </A>
    </li>
  );
}
