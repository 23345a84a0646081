import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { NotAuthenticated } from '../errors.ts';
import { parseGlobalId } from '../ids.ts';
import { Viewer } from '../users/user.schema.ts';

const NotificationKind = builder.enumType('NotificationKind', {
  values: {
    SPACE_STARTED: { description: 'A space you set a reminder for is live.' },
    SPACE_CANCELED: { description: 'A space you set a reminder for was canceled.' },
    SPACE_MISSED: { description: 'A scheduled space was not started in time and was canceled.' },
    HOST_STARTS_SOON: { description: 'Your scheduled space starts in 30 minutes.' },
    HOST_START_NOW: { description: 'Your scheduled space is due to start now.' },
  } as const,
});

export const Notification = builder.prismaNode('Notification', {
  id: { field: 'id' },
  // Query.node finds a notification for its owner only; anyone else gets null.
  findUnique: (id, ctx) => ({ id, userId: ctx.viewer?.userId ?? '' }),
  description: 'Something the signed-in user was told about a space.',
  fields: (t) => ({
    kind: t.expose('kind', { type: NotificationKind }),
    space: t.relation('space'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    readAt: t.expose('readAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.objectFields(Viewer, (t) => ({
  notifications: t.prismaConnection({
    type: 'Notification',
    cursor: 'id',
    description: "The caller's notifications, newest first.",
    args: { unreadOnly: t.arg.boolean({ defaultValue: false }) },
    resolve: (query, viewer, args, ctx) =>
      ctx.prisma.notification.findMany({
        ...query,
        where: { userId: viewer.userId, ...(args.unreadOnly ? { readAt: null } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
  unreadNotificationCount: t.int({
    resolve: (viewer, _args, ctx) =>
      ctx.prisma.notification.count({ where: { userId: viewer.userId, readAt: null } }),
  }),
}));

builder.mutationField('markNotificationsRead', (t) =>
  t.field({
    type: 'Int',
    description: 'Marks the given notifications, or all unread ones, as read; returns how many.',
    args: { ids: t.arg.idList({ description: 'Omit to mark every unread notification.' }) },
    errors: { dataField: { name: 'markedCount' } },
    resolve: (_root, args, ctx) =>
      ctx.services.notifications.markRead(
        requireViewer(ctx).userId,
        args.ids?.map((id) => parseGlobalId(String(id), 'Notification', 'ids')),
      ),
  }),
);

builder.subscriptionField('notifications', (t) =>
  t.prismaField({
    type: 'Notification',
    description: "The signed-in user's notifications as they happen.",
    subscribe: (_root, _args, ctx) => {
      if (!ctx.viewer) throw new NotAuthenticated();
      return ctx.services.notifications.subscribe(ctx.viewer.userId);
    },
    resolve: (query, message: { notificationId: string }, _args, ctx) =>
      ctx.prisma.notification.findUniqueOrThrow({
        ...query,
        where: { id: message.notificationId },
      }),
  }),
);
