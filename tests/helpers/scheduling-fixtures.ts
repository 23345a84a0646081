import type { App } from '../../server/app.ts';
import { toGlobalId } from '../../server/ids.ts';
import type { TestApp, TestUser } from './test-app.ts';

export const MINUTE = 60_000;

/** Schedules a space `inMs` from the app's clock for a new host with enough followers. */
export async function scheduleSpace(t: TestApp, now: Date, inMs: number, title = 'Later') {
  const host = await t.createUser('host', { followers: t.app.config.hosting.minFollowers });
  const space = await t.app.services.scheduling.schedule(host.id, {
    title,
    scheduledStart: new Date(now.getTime() + inMs),
  });
  return { host, space, spaceGlobalId: toGlobalId('Space', space.id) };
}

/** A user's notifications, oldest first, as kinds. */
export async function notificationKinds(app: App, user: TestUser, spaceId?: string) {
  const rows = await app.prisma.notification.findMany({
    where: { userId: user.id, ...(spaceId ? { spaceId } : {}) },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((row) => row.kind);
}

/** Waits until this instance has `count` subscriptions to a user's notifications. */
export async function notificationWatchers(app: App, userId: string, count: number) {
  for (let i = 0; i < 200 && app.bus.watchers('notifications', userId) !== count; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (app.bus.watchers('notifications', userId) !== count) {
    throw new Error(`expected ${count} notification subscriptions for ${userId}`);
  }
}
