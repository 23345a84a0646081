import { toGlobalId } from '../../server/ids.ts';
import type { TestApp, TestUser } from './test-app.ts';

export type SpaceCast = {
  spaceId: string;
  /** The Relay id the API takes. */
  spaceGlobalId: string;
  host: TestUser;
  cohost: TestUser;
  speaker: TestUser;
  listener: TestUser;
  outsider: TestUser;
};

/**
 * A live space with one person in each role, set up through the services (the rules under test
 * elsewhere), plus a signed-in outsider who has not joined.
 */
export async function liveSpaceWithCast(t: TestApp): Promise<SpaceCast> {
  const { services } = t.app;
  const host = await t.createUser('host', { followers: t.app.config.hosting.minFollowers });
  const [cohost, speaker, listener, outsider] = await Promise.all([
    t.createUser('cohost'),
    t.createUser('speaker'),
    t.createUser('listener'),
    t.createUser('outsider'),
  ]);
  const space = await services.spaces.start(host.id, { title: 'Cast', topics: [] });
  for (const user of [cohost, speaker, listener]) await services.spaces.join(user.id, space.id);
  await services.stage.addCoHost(host.id, space.id, cohost.id);
  await services.stage.acceptCoHostInvitation(cohost.id, space.id);
  await services.stage.inviteToSpeak(host.id, space.id, speaker.id);
  await services.stage.acceptSpeakerInvitation(speaker.id, space.id);
  return {
    spaceId: space.id,
    spaceGlobalId: toGlobalId('Space', space.id),
    host,
    cohost,
    speaker,
    listener,
    outsider,
  };
}

/** Creates a host with enough followers and starts a space through the service. */
export async function startSpace(t: TestApp, title = 'A space') {
  const host = await t.createUser('host', { followers: t.app.config.hosting.minFollowers });
  const space = await t.app.services.spaces.start(host.id, { title, topics: [] });
  return { host, space, spaceGlobalId: toGlobalId('Space', space.id) };
}
