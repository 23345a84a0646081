export type NotificationKind =
  | 'SPACE_STARTED'
  | 'SPACE_CANCELED'
  | 'SPACE_MISSED'
  | 'HOST_STARTS_SOON'
  | 'HOST_START_NOW';

type About = { kind: NotificationKind; space: { title: string; host: { displayName: string } } };

/** What a notification says, and the one thing it lets you do. */
export function describeNotification(notification: About): {
  title: string;
  body: string;
  action: 'Join' | 'Open' | null;
} {
  const { title, host } = notification.space;
  switch (notification.kind) {
    case 'SPACE_STARTED':
      return { title: `${host.displayName} is live`, body: title, action: 'Join' };
    case 'SPACE_CANCELED':
      return {
        title: 'Space canceled',
        body: `${host.displayName} canceled “${title}”.`,
        action: null,
      };
    case 'SPACE_MISSED':
      return {
        title: 'Space didn’t happen',
        body: `“${title}” was not started in time and was canceled.`,
        action: null,
      };
    case 'HOST_STARTS_SOON':
      return { title: 'Your space starts in 30 minutes', body: title, action: 'Open' };
    case 'HOST_START_NOW':
      return { title: 'Time to start your space', body: title, action: 'Open' };
  }
}
