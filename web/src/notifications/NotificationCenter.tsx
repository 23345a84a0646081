import { useLocation, useNavigate } from '@solidjs/router';
import { createContext, For, type ParentProps, Show, useContext } from 'solid-js';
import { useSession } from '../app/session.tsx';
import { BellIcon } from '../ui/icons.tsx';
import { createNotificationCenter, type NotificationCenter } from './create-notification-center.ts';
import './notifications.css';

const NotificationContext = createContext<NotificationCenter>();

/** Listens for the signed-in person's notifications for the whole page and shows toasts. */
export function NotificationProvider(props: ParentProps) {
  const { api, viewer } = useSession();
  const navigate = useNavigate();
  const center = createNotificationCenter(
    api,
    () => Boolean(viewer()),
    (spaceId) => navigate(`/spaces/${spaceId}`),
  );
  return (
    <NotificationContext.Provider value={center}>
      {props.children}
      <NotificationToasts center={center} />
    </NotificationContext.Provider>
  );
}

export function useNotifications(): NotificationCenter {
  const center = useContext(NotificationContext);
  if (!center) throw new Error('useNotifications outside NotificationProvider');
  return center;
}

function NotificationToasts(props: { center: NotificationCenter }) {
  const location = useLocation();
  return (
    <section class="notification-toasts" aria-label="Notifications" aria-live="polite">
      <For each={props.center.toasts()}>
        {(toast) => (
          <div class="notification-toast" data-testid="notification-toast">
            <BellIcon size={18} />
            <div class="notification-toast-text">
              <strong>{toast.title}</strong>
              <span>{toast.body}</span>
            </div>
            {/* On the space's own page, the page offers the action itself. */}
            <Show when={toast.action && location.pathname !== `/spaces/${toast.spaceId}`}>
              <button
                type="button"
                class="button small primary"
                onClick={() => props.center.act(toast)}
              >
                {toast.action}
              </button>
            </Show>
            <button
              type="button"
              class="icon-button"
              aria-label="Dismiss"
              onClick={() => props.center.dismiss(toast.notificationId)}
            >
              ×
            </button>
          </div>
        )}
      </For>
    </section>
  );
}
