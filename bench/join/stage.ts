import { toGlobalId } from '../../server/ids.ts';
import type { TestApp } from '../../tests/helpers/test-app.ts';

/**
 * A live space with its host and one speaker on stage, set up through the services; returns the
 * Relay ids the lab page reports remote participants by.
 */
export async function stagedSpace(t: TestApp, title: string) {
  const { services, prisma } = t.app;
  const host = await t.createUser('host');
  const speaker = await t.createUser('speaker');
  const space = await services.spaces.start(host.id, { title, topics: [] });
  await services.spaces.join(speaker.id, space.id);
  await services.stage.inviteToSpeak(host.id, space.id, speaker.id);
  await services.stage.acceptSpeakerInvitation(speaker.id, space.id);
  const participantId = async (userId: string) => {
    const { id } = await prisma.participant.findUniqueOrThrow({
      where: { spaceId_userId: { spaceId: space.id, userId } },
    });
    return toGlobalId('Participant', id);
  };
  return {
    spaceId: space.id,
    spaceGlobalId: toGlobalId('Space', space.id),
    host,
    speaker,
    ids: { host: await participantId(host.id), speaker: await participantId(speaker.id) },
  };
}

export type StagedSpace = Awaited<ReturnType<typeof stagedSpace>>;

/** The media mode is chosen after a roster change commits; waits for it to settle. */
export async function waitForMode(t: TestApp, spaceId: string, mode: 'MESH' | 'RELAY') {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const space = await t.app.prisma.space.findUniqueOrThrow({ where: { id: spaceId } });
    if (space.mediaMode === mode) return;
    if (Date.now() > deadline) throw new Error(`space ${spaceId} stayed ${space.mediaMode}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
