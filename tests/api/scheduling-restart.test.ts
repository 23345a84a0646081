import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE, notificationKinds, scheduleSpace } from '../helpers/scheduling-fixtures.ts';
import { startTestApp, type TestApp } from '../helpers/test-app.ts';
import { createTestClock } from '../helpers/test-clock.ts';

const clock = createTestClock();
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp(
    { hosting: { minFollowers: 1, minFollowersTicketed: 1 } },
    { clock, restartable: true },
  );
});
afterAll(() => t?.stop());

describe('scheduled jobs across a restart', () => {
  it('a restart between scheduling and the start loses no reminder', async () => {
    const { host, space } = await scheduleSpace(t, clock.now(), 2 * 60 * MINUTE);
    const fan = await t.createUser('fan');
    await t.app.services.reminders.set(fan.id, space.id);

    await t.restart();
    clock.advance(91 * MINUTE);
    await t.app.services.jobs.runDue();
    expect(await notificationKinds(t.app, host, space.id)).toEqual(['HOST_STARTS_SOON']);

    await t.restart();
    clock.advance(30 * MINUTE);
    await t.app.services.jobs.runDue();
    await t.app.services.scheduling.start(host.id, space.id);
    expect(await notificationKinds(t.app, host, space.id)).toEqual([
      'HOST_STARTS_SOON',
      'HOST_START_NOW',
    ]);
    expect(await notificationKinds(t.app, fan, space.id)).toEqual(['SPACE_STARTED']);
  });
});
