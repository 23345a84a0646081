import { AppError } from '../errors.ts';

export class TicketingUnavailable extends AppError {
  constructor(reason = 'Ticketed spaces are not available on this server.') {
    super(reason);
  }
}

export class NotTicketed extends AppError {
  constructor() {
    super('This space is free to join; it sells no tickets.');
  }
}

export class SoldOut extends AppError {
  constructor(readonly seats: number) {
    super(`All ${seats} tickets are sold or held by buyers checking out.`);
  }
}

export class SalesClosed extends AppError {
  constructor() {
    super('Ticket sales for this space have ended.');
  }
}

export class AlreadyHoldsTicket extends AppError {
  constructor() {
    super('You already have a ticket to this space.');
  }
}
