import type { PrismaClient } from '../prisma/generated/client/client.ts';
import { createBroadcastService } from './broadcast/broadcast.service.ts';
import { createMixHub } from './broadcast/mix-hub.ts';
import { createCaptionRunner } from './captions/caption-runner.ts';
import { createCaptionsService } from './captions/captions.service.ts';
import { engineFrom } from './captions/captions-config.ts';
import { createClipsService } from './clips/clips.service.ts';
import type { Clock } from './clock.ts';
import type { AppConfig } from './config.ts';
import { createIceServers } from './media/ice-servers.service.ts';
import { createMediaModeService } from './media/media-mode.service.ts';
import type { Relay } from './media/relay/relay.ts';
import { createRelaySessions } from './media/relay-sessions.service.ts';
import { createSignalService } from './media/signal.service.ts';
import { withSignalReplay } from './media/signal-replay.ts';
import { participantQueries } from './presence/participant-queries.ts';
import { createPresence } from './presence/presence.service.ts';
import { createMemoryPresenceStore, type PresenceStore } from './presence/presence-store.ts';
import type { EventBus } from './pubsub.ts';
import { createDiskRecordingStorage } from './recordings/disk-recording-storage.ts';
import { createRecordingRunner } from './recordings/recording-runner.ts';
import { createRecordingsService } from './recordings/recordings.service.ts';
import { createReplayService } from './recordings/replay.service.ts';
import { createCalendarService } from './scheduling/calendar.service.ts';
import { createJobRunner } from './scheduling/job-runner.ts';
import { createNotificationService } from './scheduling/notification.service.ts';
import { createReminderService } from './scheduling/reminder.service.ts';
import { createScheduledJobService } from './scheduling/scheduled-job.service.ts';
import { createSchedulingService } from './scheduling/scheduling.service.ts';
import { createModerationService } from './spaces/moderation.service.ts';
import { createParticipantCounts } from './spaces/participant-counts.ts';
import { createReactionService } from './spaces/reaction.service.ts';
import { createReactionBatcher } from './spaces/reaction-batcher.ts';
import { stageLimits } from './spaces/roles.ts';
import { createSpaceService } from './spaces/space.service.ts';
import { createSpaceEventBus } from './spaces/space-event-bus.ts';
import { createSpaceSequence } from './spaces/space-sequence.ts';
import { createSpaceTransactions } from './spaces/space-transaction.ts';
import { createStageService } from './spaces/stage.service.ts';
import { createTicketGate } from './tickets/space-access.ts';
import { createTicketService } from './tickets/tickets.service.ts';
import { createApiTokenService } from './users/api-token.service.ts';
import { createFollowService } from './users/follow.service.ts';
import { createProfileService } from './users/profile.service.ts';

export type ServiceDeps = {
  prisma: PrismaClient;
  bus: EventBus;
  clock: Clock;
  config: AppConfig;
  /** The in-process relay (SFU), or null where this instance runs none. */
  relay: Relay | null;
  /** Where presence is kept (Redis, with several instances). @default in this process's memory */
  presenceStore?: PresenceStore;
  /** Signs broadcast URLs (broadcast-signature.ts). */
  broadcastKey: Buffer;
};

/** Every feature's rules, wired to one database, event bus and clock. */
export function createServices({
  prisma,
  bus,
  clock,
  config,
  relay,
  presenceStore = createMemoryPresenceStore(),
  broadcastKey,
}: ServiceDeps) {
  const ticketGate = createTicketGate();
  const spaceSequence = createSpaceSequence(config.redisUrl);
  const spaceEvents = createSpaceEventBus(bus, spaceSequence);
  const transactions = createSpaceTransactions(prisma, spaceEvents, clock);
  const participantCounts = createParticipantCounts(prisma, transactions, spaceEvents, clock);
  const reactionBatcher = createReactionBatcher(
    (event) => spaceEvents.publish(event),
    config.spaces.reactionBatchMs,
    () => clock.now(),
  );
  const mediaMode = createMediaModeService(transactions, config.media.policy, prisma);
  mediaMode.start();
  const notifications = createNotificationService(
    prisma,
    {
      publish: (message) => bus.publish('notifications', message.userId, message),
      subscribe: (userId) => bus.subscribe('notifications', userId),
    },
    clock,
  );
  const scheduledJobs = createScheduledJobService(transactions, notifications, clock);
  const scheduling = createSchedulingService(prisma, transactions, notifications, clock, {
    hosting: config.hosting,
    scheduling: config.scheduling,
  });
  const speechEngine = engineFrom(config.captions);
  const recordingStorage =
    config.recordings.dir && config.media.relay.enabled
      ? createDiskRecordingStorage(config.recordings.dir)
      : null;
  const mixes = relay ? createMixHub({ relay }) : null;
  const captionRunner =
    relay && speechEngine
      ? createCaptionRunner({ prisma, relay, bus, spaceEvents, engine: speechEngine, clock })
      : null;
  const services = {
    config,
    apiTokens: createApiTokenService(prisma, clock),
    follows: createFollowService(prisma),
    profiles: createProfileService(prisma),
    spaces: createSpaceService(prisma, transactions, spaceEvents, clock, {
      hosting: config.hosting,
      hostGraceMs: config.spaces.hostGraceMs,
      gate: ticketGate,
    }),
    scheduling,
    tickets: createTicketService(prisma, transactions, scheduling, clock, config),
    reminders: createReminderService(prisma, transactions),
    notifications,
    jobs: createJobRunner(prisma, clock, scheduledJobs.run, {
      leaseMs: config.scheduling.jobLeaseMs,
      batchSize: config.scheduling.jobBatchSize,
    }),
    calendar: createCalendarService(prisma, clock, config.publicUrl),
    stage: createStageService(transactions, clock, stageLimits),
    moderation: createModerationService(prisma, transactions, clock),
    reactions: createReactionService(prisma, reactionBatcher),
    reactionBatcher,
    /** Numbers space events; closed on shutdown. */
    spaceSequence,
    participantCounts,
    mediaMode,
    signals: createSignalService(
      prisma,
      ticketGate,
      withSignalReplay({
        publish: (message) => bus.publish('mesh-signals', message.inbox, message),
        subscribe: (inbox) => bus.subscribe('mesh-signals', inbox),
      }),
      transactions,
      () => clock.now().getTime(),
    ),
    relaySessions: relay
      ? createRelaySessions(
          prisma,
          relay,
          spaceEvents,
          mediaMode.admitRelayAudience,
          ticketGate,
          config.mediaAccess.guestRelay,
        )
      : null,
    iceServers: createIceServers(prisma, clock, {
      iceServers: config.media.iceServers,
      turn: config.mediaAccess.turn,
    }),
    captions: createCaptionsService(prisma, transactions, bus, speechEngine !== null),
    /** Runs captions where this instance has a relay and an engine. */
    captionRunner,
    /** Spaces' live mixes, where this instance has a relay (recordings and broadcasts use them). */
    mixes,
    recordings: createRecordingsService(prisma, transactions, bus, clock, recordingStorage),
    /** Records where this instance has a relay and recording storage. */
    recordingRunner:
      relay && recordingStorage
        ? createRecordingRunner({
            prisma,
            relay,
            bus,
            spaceEvents,
            storage: recordingStorage,
            clock,
            ...(mixes && { mixes }),
            ...(captionRunner && { transcriptDone: captionRunner.transcriptDone }),
          })
        : null,
  };
  const replay = createReplayService(prisma, services.spaces, recordingStorage, bus);
  return {
    ...services,
    replay,
    clips: createClipsService(prisma, replay),
    broadcast: createBroadcastService({
      prisma,
      clock,
      config: config.broadcast,
      key: broadcastKey,
      mixes,
      mayHear: services.spaces.mayHear,
      admitRelayAudience: mediaMode.admitRelayAudience,
    }),
    presence: createPresence({
      store: presenceStore,
      config: config.presence,
      ...participantQueries(prisma),
      leave: services.spaces.leave,
      connections: () => services.relaySessions?.connected() ?? [],
    }),
  };
}

export type Services = ReturnType<typeof createServices>;
