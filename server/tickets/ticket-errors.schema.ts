import { builder } from '../builder.ts';
import { asError } from '../errors.schema.ts';
import {
  AlreadyHoldsTicket,
  NotTicketed,
  SalesClosed,
  SoldOut,
  TicketingUnavailable,
} from './ticket-errors.ts';

builder.objectType(TicketingUnavailable, {
  ...asError,
  name: 'TicketingUnavailable',
  description: 'This server takes no payments (no Stripe keys), or Stripe could not be reached.',
});

builder.objectType(NotTicketed, {
  ...asError,
  name: 'NotTicketed',
  description: 'The space is free; there is no ticket to buy.',
});

builder.objectType(SoldOut, {
  ...asError,
  name: 'SoldOut',
  description: 'Every seat is sold or held by an open checkout; held seats come back if unpaid.',
  fields: (t) => ({ seats: t.exposeInt('seats') }),
});

builder.objectType(SalesClosed, {
  ...asError,
  name: 'SalesClosed',
  description: 'The sales end time has passed, or the space ended or was canceled.',
});

builder.objectType(AlreadyHoldsTicket, {
  ...asError,
  name: 'AlreadyHoldsTicket',
  description: 'The caller already has a ticket to this space; one per person.',
});
