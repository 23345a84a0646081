import type { PrismaClient } from '../prisma/generated/client/client.ts';
import type { Clock } from './clock.ts';
import type { AppConfig } from './config.ts';
import { createModerationService } from './spaces/moderation.service.ts';
import { createReactionService } from './spaces/reaction.service.ts';
import { createReactionBatcher } from './spaces/reaction-batcher.ts';
import { stageLimits } from './spaces/roles.ts';
import { createSpaceService } from './spaces/space.service.ts';
import type { SpaceEventBus } from './spaces/space-event.ts';
import { createSpaceTransactions } from './spaces/space-transaction.ts';
import { createStageService } from './spaces/stage.service.ts';
import { createApiTokenService } from './users/api-token.service.ts';
import { createFollowService } from './users/follow.service.ts';
import { createProfileService } from './users/profile.service.ts';

export type ServiceDeps = {
  prisma: PrismaClient;
  bus: SpaceEventBus;
  clock: Clock;
  config: AppConfig;
};

/** Every feature's rules, wired to one database, event bus and clock. */
export function createServices({ prisma, bus, clock, config }: ServiceDeps) {
  const transactions = createSpaceTransactions(prisma, bus, clock);
  const reactionBatcher = createReactionBatcher(
    (event) => bus.publish(event),
    config.spaces.reactionBatchMs,
    () => clock.now(),
  );
  return {
    config,
    apiTokens: createApiTokenService(prisma, clock),
    follows: createFollowService(prisma),
    profiles: createProfileService(prisma),
    spaces: createSpaceService(prisma, transactions, bus, clock, {
      hosting: config.hosting,
      hostGraceMs: config.spaces.hostGraceMs,
    }),
    stage: createStageService(transactions, clock, stageLimits),
    moderation: createModerationService(prisma, transactions, clock),
    reactions: createReactionService(prisma, reactionBatcher),
    reactionBatcher,
  };
}

export type Services = ReturnType<typeof createServices>;
