import { A } from '@solidjs/router';
import { createResource, For, Show } from 'solid-js';
import { run } from '../api/typed-api.ts';
import { useSession } from '../app/session.tsx';
import { formatStart } from '../scheduling/start-time.ts';
import { useNotifications } from './NotificationCenter.tsx';
import { describeNotification } from './notification-text.ts';
import { NotificationsQuery } from './notifications.queries.ts';
import './notifications.css';

/** Everything the signed-in person was told, newest first; opening the page reads them all. */
export function NotificationsPage() {
  const { api, viewer } = useSession();
  const center = useNotifications();
  const [list] = createResource(
    () => viewer(),
    async () => {
      const data = await run(api, NotificationsQuery);
      const items = data.viewer?.notifications.edges.map((edge) => edge.node) ?? [];
      if (items.some((item) => !item.readAt)) void center.markRead();
      return items;
    },
  );
  const now = new Date();

  return (
    <section class="page narrow">
      <h1>Notifications</h1>
      <Show
        when={viewer() || viewer.loading}
        fallback={
          <div class="card empty-state">
            <p class="muted">Sign in to see your notifications.</p>
            <A class="button primary" href="/signin?next=/notifications">
              Sign in
            </A>
          </div>
        }
      >
        <Show when={list()} fallback={<div class="card skeleton" aria-busy="true" />}>
          {(items) => (
            <Show
              when={items().length > 0}
              fallback={
                <div class="card empty-state">
                  <p class="muted">
                    Nothing yet. Set a reminder on an upcoming space and you’ll hear when it starts.
                  </p>
                </div>
              }
            >
              <ul class="notification-list">
                <For each={items()}>
                  {(item) => {
                    const text = describeNotification(item);
                    const openable = () =>
                      (text.action === 'Join' && item.space.state === 'LIVE') ||
                      (text.action === 'Open' && item.space.state === 'SCHEDULED');
                    return (
                      <li
                        class={`card notification-item${item.readAt ? '' : ' unread'}`}
                        data-testid="notification"
                      >
                        <div class="notification-toast-text">
                          <strong>{text.title}</strong>
                          <span>{text.body}</span>
                          <time class="muted" datetime={item.createdAt}>
                            {formatStart(new Date(item.createdAt), now)}
                          </time>
                        </div>
                        <Show when={openable()}>
                          <A class="button small primary" href={`/spaces/${item.space.id}`}>
                            {text.action}
                          </A>
                        </Show>
                      </li>
                    );
                  }}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </Show>
    </section>
  );
}
