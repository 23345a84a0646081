import { builder } from './builder.ts';
import {
  AlreadyHosting,
  type AppError,
  BlockedByHost,
  InvalidInput,
  LimitReached,
  NotAllowed,
  NotAuthenticated,
  NotEnoughFollowers,
  NotFound,
  RemovedFromSpace,
  SpaceNotLive,
  SpaceNotScheduled,
  TicketRequired,
} from './errors.ts';
import { Unavailable } from './outages/unavailable.ts';

export const ErrorInterface = builder.interfaceRef<AppError>('Error').implement({
  description: 'An expected outcome the client can act on, returned in place of a result.',
  fields: (t) => ({ message: t.exposeString('message') }),
});

export const asError = { interfaces: [ErrorInterface] };

builder.objectType(NotAuthenticated, {
  ...asError,
  name: 'NotAuthenticated',
  description: 'The operation needs a signed-in user or an API token.',
});

builder.objectType(NotAllowed, {
  ...asError,
  name: 'NotAllowed',
  description: 'The caller may not do this here.',
  fields: (t) => ({ action: t.exposeString('action') }),
});

builder.objectType(NotFound, {
  ...asError,
  name: 'NotFound',
  description: 'Nothing has the given id.',
  fields: (t) => ({ resource: t.exposeString('resource'), id: t.exposeString('id') }),
});

const InputIssue = builder.objectRef<{ path: string; message: string }>('InputIssue').implement({
  fields: (t) => ({ path: t.exposeString('path'), message: t.exposeString('message') }),
});

builder.objectType(InvalidInput, {
  ...asError,
  name: 'InvalidInput',
  description: 'Some arguments were invalid; nothing was changed.',
  fields: (t) => ({ issues: t.field({ type: [InputIssue], resolve: (error) => error.issues }) }),
});

builder.objectType(NotEnoughFollowers, {
  ...asError,
  name: 'NotEnoughFollowers',
  description: 'Hosting is follower-gated; this says how far off the caller is.',
  fields: (t) => ({
    required: t.exposeInt('required'),
    current: t.exposeInt('current'),
    missing: t.int({ resolve: (error) => error.missing }),
  }),
});

const LimitKind = builder.enumType('LimitKind', {
  values: ['COHOSTS', 'SPEAKERS', 'SCHEDULED_SPACES'] as const,
});

builder.objectType(LimitReached, {
  ...asError,
  name: 'LimitReached',
  description: 'A limit is full (2 co-hosts, 10 speakers, 10 upcoming scheduled spaces).',
  fields: (t) => ({
    kind: t.field({ type: LimitKind, resolve: (error) => error.what }),
    limit: t.exposeInt('limit'),
  }),
});

builder.objectType(SpaceNotLive, {
  ...asError,
  name: 'SpaceNotLive',
  description: 'The space is scheduled, ended or canceled.',
});

builder.objectType(SpaceNotScheduled, {
  ...asError,
  name: 'SpaceNotScheduled',
  description: 'The space has started, ended or was canceled; only scheduled spaces allow this.',
});

builder.objectType(RemovedFromSpace, {
  ...asError,
  name: 'RemovedFromSpace',
  description: 'The caller was removed from this space and cannot rejoin it.',
});

builder.objectType(BlockedByHost, {
  ...asError,
  name: 'BlockedByHost',
  description: "The space's host has blocked the caller.",
});

builder.objectType(AlreadyHosting, {
  ...asError,
  name: 'AlreadyHosting',
  description: 'The caller is hosting another live space.',
});

builder.objectType(TicketRequired, {
  ...asError,
  name: 'TicketRequired',
  description:
    'The space is ticketed and the caller holds no ticket (and is not on the host team).',
});

builder.objectType(Unavailable, {
  ...asError,
  name: 'Unavailable',
  description:
    'A service the server depends on (database, payments) is briefly unreachable; nothing was ' +
    'wrong with the request. Retry after `retryAfterSeconds`.',
  fields: (t) => ({ retryAfterSeconds: t.exposeInt('retryAfterSeconds') }),
});
