import { GraphQLError } from 'graphql';

/**
 * Expected outcomes a client can act on. In mutation results each class is a GraphQL object type
 * implementing the `Error` interface (errors.schema.ts). Elsewhere (queries, subscriptions) it
 * reaches the client as a GraphQL error whose `extensions.code` is the class name. Anything else
 * thrown is masked as an internal error and logged.
 */
export class AppError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: new.target.name } });
  }
}

export class NotAuthenticated extends AppError {
  constructor() {
    super('Sign in to do this.');
  }
}

export class NotAllowed extends AppError {
  constructor(readonly action: string) {
    super(`You are not allowed to ${action}.`);
  }
}

export class NotFound extends AppError {
  constructor(
    readonly resource: string,
    readonly id: string,
  ) {
    super(`${resource} ${id} was not found.`);
  }
}

export type InputIssue = { path: string; message: string };

export class InvalidInput extends AppError {
  constructor(readonly issues: InputIssue[]) {
    super(issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '));
  }

  static of(path: string, message: string) {
    return new InvalidInput([{ path, message }]);
  }
}

export class NotEnoughFollowers extends AppError {
  constructor(
    readonly required: number,
    readonly current: number,
  ) {
    super(`Hosting needs ${required} followers; you have ${current}, ${required - current} to go.`);
  }

  get missing() {
    return this.required - this.current;
  }
}

export class LimitReached extends AppError {
  constructor(
    readonly what: 'COHOSTS' | 'SPEAKERS' | 'SCHEDULED_SPACES',
    readonly limit: number,
  ) {
    super(
      what === 'SCHEDULED_SPACES'
        ? `You already have ${limit} upcoming scheduled spaces; start or cancel one first.`
        : `This space already has ${limit} ${what.toLowerCase()}.`,
    );
  }
}

export class SpaceNotLive extends AppError {
  constructor(readonly state: string) {
    super(`This space is ${state.toLowerCase()}, not live.`);
  }
}

export class SpaceNotScheduled extends AppError {
  constructor(readonly state: string) {
    super(`This space is ${state.toLowerCase()}, not scheduled.`);
  }
}

export class RemovedFromSpace extends AppError {
  constructor() {
    super('You were removed from this space and cannot rejoin it.');
  }
}

export class BlockedByHost extends AppError {
  constructor() {
    super('The host has blocked you; you cannot join their spaces.');
  }
}

export class AlreadyHosting extends AppError {
  constructor(readonly spaceId: string) {
    super('You are already hosting a live space; end it before starting another.');
  }
}

export class TicketRequired extends AppError {
  constructor() {
    super('This is a ticketed space: only ticket holders and the host team can join it.');
  }
}

/**
 * Ends a subscription whose client read its events too slowly: the events it had not read were
 * dropped, so it must fetch the current state and subscribe again.
 */
export class SubscriptionLagging extends AppError {
  constructor(readonly maxQueued: number) {
    super(
      `This subscription fell more than ${maxQueued} events behind and was ended; its unread events were dropped. Fetch the current state and subscribe again.`,
    );
  }
}
