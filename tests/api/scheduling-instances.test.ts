import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../server/app.ts';
import { defaultConfig } from '../../server/config.ts';
import { channelOf } from '../../server/pubsub.ts';
import { collect, wsClient } from '../helpers/graphql-client.ts';
import { MINUTE, notificationWatchers } from '../helpers/scheduling-fixtures.ts';
import { createTestClock } from '../helpers/test-clock.ts';
import { canRunTwoInstances, startTwoInstances } from '../helpers/test-instances.ts';

async function createUser(app: App, name: string) {
  const id = crypto.randomUUID();
  const handle = `${name}_${id.slice(0, 6)}`;
  return app.prisma.user.create({ data: { id, handle, name, email: `${handle}@x.invalid` } });
}

describe.skipIf(!canRunTwoInstances)('scheduled jobs on two instances', () => {
  const clock = createTestClock();
  let instances: Awaited<ReturnType<typeof startTwoInstances>>;

  beforeAll(async () => {
    // The test runs both instances' jobs itself, at the same moment.
    instances = await startTwoInstances(
      { spaces: { ...defaultConfig.spaces, sweepIntervalMs: 3_600_000 } },
      { clock },
    );
  });

  afterAll(() => instances?.stop());

  it('delivers each notification once, whichever instance runs the job', async () => {
    const [first, second] = instances.apps;
    const host = await createUser(first, 'host');
    const { secret } = await first.services.apiTokens.create(host.id, 'tests');
    const spaces = await Promise.all(
      [1, 2, 3].map((i) =>
        first.services.scheduling.schedule(host.id, {
          title: `Space ${i}`,
          scheduledStart: new Date(clock.now().getTime() + 2 * 60 * MINUTE),
        }),
      ),
    );

    const client = wsClient(instances.urls[1] ?? '', { token: secret });
    const told = collect<{ notifications: { kind: string } }>(
      client,
      'subscription { notifications { kind } }',
    );
    await notificationWatchers(second, host.id, 1);
    const channel = channelOf('notifications', host.id);
    for (let i = 0; i < 200; i++) {
      const [, subscribers] = (await instances.redis.pubsub('NUMSUB', channel)) as [string, number];
      if (subscribers > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }

    clock.advance(91 * MINUTE);
    const ran = await Promise.all([
      first.services.jobs.runDue(),
      second.services.jobs.runDue(),
      first.services.jobs.runDue(),
      second.services.jobs.runDue(),
    ]);
    expect(ran.reduce((sum, count) => sum + count, 0)).toBe(3);
    clock.advance(30 * MINUTE);
    await Promise.all([first.services.jobs.runDue(), second.services.jobs.runDue()]);

    const rows = await first.prisma.notification.findMany({ where: { userId: host.id } });
    const perSpace = spaces.map((space) =>
      rows
        .filter((row) => row.spaceId === space.id)
        .map((row) => row.kind)
        .sort(),
    );
    expect(perSpace).toEqual(spaces.map(() => ['HOST_STARTS_SOON', 'HOST_START_NOW']));

    // A last notification, sent after the jobs ran: once it arrives, any duplicate would have too.
    const other = await createUser(first, 'other');
    const sentinel = await first.services.scheduling.schedule(other.id, {
      title: 'Sentinel',
      scheduledStart: new Date(clock.now().getTime() + 60 * MINUTE),
    });
    await first.services.reminders.set(host.id, sentinel.id);
    await first.services.scheduling.start(other.id, sentinel.id);
    await told.until((results) =>
      results.some((r) => r.data?.notifications.kind === 'SPACE_STARTED'),
    );
    const kinds = told.results.map((result) => result.data?.notifications.kind);
    expect(kinds.at(-1)).toBe('SPACE_STARTED');
    expect(kinds.slice(0, -1).sort()).toEqual([
      'HOST_STARTS_SOON',
      'HOST_STARTS_SOON',
      'HOST_STARTS_SOON',
      'HOST_START_NOW',
      'HOST_START_NOW',
      'HOST_START_NOW',
    ]);
    await client.dispose();
  });
});
