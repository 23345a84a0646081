import { type Accessor, createEffect, createSignal, on, onCleanup } from 'solid-js';
import type { Api } from '../api/graphql-client.ts';
import { listen, run } from '../api/typed-api.ts';
import { showBrowserNotification } from './browser-notifications.ts';
import { describeNotification } from './notification-text.ts';
import {
  MarkNotificationsReadMutation,
  NotificationsSubscription,
  UnreadCountQuery,
} from './notifications.queries.ts';

export type Toast = ReturnType<typeof describeNotification> & {
  notificationId: string;
  spaceId: string;
};

/** Toasts that offer something to do stay longer than those that only tell. */
const TOAST_MS = { action: 30_000, info: 8_000 };

/**
 * The signed-in person's notifications as they arrive: an unread count, in-page toasts, and a
 * system notification when the page is in the background. `open` shows a notification's space.
 */
export function createNotificationCenter(
  api: Api,
  signedIn: Accessor<boolean>,
  open: (spaceId: string) => void,
) {
  const [unread, setUnread] = createSignal(0);
  const [toasts, setToasts] = createSignal<readonly Toast[]>([]);
  const [arrivals, setArrivals] = createSignal(0);
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const dismiss = (notificationId: string) => {
    clearTimeout(timers.get(notificationId));
    timers.delete(notificationId);
    setToasts((all) => all.filter((toast) => toast.notificationId !== notificationId));
  };

  const markRead = async (ids?: string[]) => {
    const { markNotificationsRead: result } = await run(api, MarkNotificationsReadMutation, {
      ids,
    });
    if ('markedCount' in result) setUnread((count) => Math.max(0, count - result.markedCount));
  };

  const arrive = (notification: Toast) => {
    setUnread((count) => count + 1);
    setArrivals((count) => count + 1);
    setToasts((all) => [...all, notification]);
    const ms = notification.action ? TOAST_MS.action : TOAST_MS.info;
    timers.set(
      notification.notificationId,
      setTimeout(() => dismiss(notification.notificationId), ms),
    );
    showBrowserNotification(
      notification.title,
      notification.body,
      notification.notificationId,
      () => {
        open(notification.spaceId);
        void markRead([notification.notificationId]);
      },
    );
  };

  createEffect(
    on(signedIn, (yes) => {
      if (!yes) return;
      void run(api, UnreadCountQuery).then((data) =>
        setUnread(data.viewer?.unreadNotificationCount ?? 0),
      );
      const stop = listen(api, NotificationsSubscription, {}, ({ notifications: n }) =>
        arrive({ ...describeNotification(n), notificationId: n.id, spaceId: n.space.id }),
      );
      onCleanup(stop);
    }),
  );
  onCleanup(() => {
    for (const timer of timers.values()) clearTimeout(timer);
  });

  return {
    unread,
    toasts,
    /** Counts notifications received, so lists that show spaces can re-read when one arrives. */
    arrivals,
    dismiss,
    /** Marks the given notifications (or all) read; the count follows. */
    markRead,
    /** Opens a toast's space and counts it as read. */
    act(toast: Toast) {
      dismiss(toast.notificationId);
      open(toast.spaceId);
      void markRead([toast.notificationId]);
    },
  };
}

export type NotificationCenter = ReturnType<typeof createNotificationCenter>;
