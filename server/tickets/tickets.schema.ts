import { requireViewer } from '../auth-guard.ts';
import { builder } from '../builder.ts';
import { BlockedByHost, LimitReached, NotEnoughFollowers } from '../errors.ts';
import { parseGlobalId, toGlobalId } from '../ids.ts';
import { Space } from '../spaces/space.schema.ts';
import {
  AlreadyHoldsTicket,
  NotTicketed,
  SalesClosed,
  SoldOut,
  TicketingUnavailable,
} from './ticket-errors.ts';
import './ticket-errors.schema.ts';
import type { TicketSales as TicketSalesService } from './ticket-sales.service.ts';

const TicketState = builder.enumType('TicketState', {
  values: {
    PENDING: { description: 'A seat held while the buyer checks out.' },
    ISSUED: { description: 'Paid: the holder may join the space.' },
    RELEASED: { description: 'The checkout expired unpaid; the seat went back on sale.' },
    REFUND_PENDING: { description: 'A refund was requested from Stripe.' },
    REFUNDED: { description: 'Stripe confirmed the refund.' },
  } as const,
});

// Not a Relay Node: Query.node would hand any ticket to anyone holding its id.
const Ticket = builder.prismaObject('Ticket', {
  description: 'A seat in a ticketed space, seen by its buyer or by the host.',
  fields: (t) => ({
    id: t.id({ resolve: (ticket) => toGlobalId('Ticket', ticket.id) }),
    state: t.expose('state', { type: TicketState }),
    space: t.relation('space'),
    buyer: t.relation('buyer'),
    priceMinor: t.exposeInt('priceMinor', { description: "In the currency's minor unit." }),
    currency: t.exposeString('currency'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime', nullable: true }),
    refundedAt: t.expose('refundedAt', { type: 'DateTime', nullable: true }),
    checkoutUrl: t.string({
      nullable: true,
      description: 'Stripe Checkout, while the seat is held for the buyer.',
      resolve: (ticket, _args, ctx) =>
        ticket.state === 'PENDING' && ticket.buyerId === ctx.viewer?.userId
          ? ticket.checkoutUrl
          : null,
    }),
  }),
});

const TicketOffer = builder.prismaObject('TicketOffer', {
  description: 'What a ticketed space sells.',
  fields: (t) => ({
    priceMinor: t.exposeInt('priceMinor', { description: "In the currency's minor unit." }),
    currency: t.exposeString('currency', { description: 'ISO 4217, lower case.' }),
    seats: t.exposeInt('seats'),
    seatsLeft: t.int({
      description: 'Seats neither sold nor held by an open checkout.',
      resolve: (offer, _args, ctx) => ctx.services.tickets.seatsLeft(offer.spaceId, offer.seats),
    }),
    salesEndAt: t.expose('salesEndAt', { type: 'DateTime' }),
  }),
});

type Sales = Awaited<ReturnType<TicketSalesService['sales']>>;

const TicketSales = builder.objectRef<Sales>('TicketSales').implement({
  description: "A ticketed space's sales, for its host.",
  fields: (t) => ({
    sold: t.exposeInt('sold'),
    pending: t.exposeInt('pending', { description: 'Seats held by open checkouts.' }),
    refundPending: t.exposeInt('refundPending'),
    refunded: t.exposeInt('refunded'),
    grossMinor: t.exposeInt('grossMinor', { description: 'Paid for issued tickets.' }),
    tickets: t.field({ type: [Ticket], resolve: (sales) => sales.tickets }),
  }),
});

builder.prismaObjectFields('Space', (t) => ({
  ticketing: t.relation('ticketOffer', {
    type: TicketOffer,
    nullable: true,
    description: 'Price and seats when the space is ticketed; null when it is free.',
  }),
  viewerTicket: t.prismaField({
    type: Ticket,
    nullable: true,
    description: "The caller's ticket (issued, or a checkout in progress), if any.",
    resolve: (query, space, _args, ctx) =>
      ctx.viewer
        ? ctx.prisma.ticket.findFirst({
            ...query,
            where: { spaceId: space.id, buyerId: ctx.viewer.userId, state: { not: 'RELEASED' } },
            orderBy: { createdAt: 'desc' },
          })
        : null,
  }),
  ticketSales: t.field({
    type: TicketSales,
    nullable: true,
    description: 'Sales of a ticketed space; host only (NotAllowed for anyone else).',
    resolve: async (space, _args, ctx) => {
      const viewer = requireViewer(ctx);
      const offer = await ctx.prisma.ticketOffer.findUnique({ where: { spaceId: space.id } });
      if (!offer) return null;
      return ctx.services.tickets.sales(viewer.userId, space);
    },
  }),
}));

builder.queryField('myTickets', (t) =>
  t.prismaField({
    type: [Ticket],
    description: "The caller's tickets, newest first (abandoned checkouts left out).",
    resolve: (_query, _root, _args, ctx) => ctx.services.tickets.mine(requireViewer(ctx).userId),
  }),
);

builder.queryField('checkoutTicket', (t) =>
  t.prismaField({
    type: Ticket,
    nullable: true,
    description:
      "The caller's ticket for a Stripe Checkout Session (the page Stripe returns to waits on it).",
    args: { sessionId: t.arg.string({ required: true }) },
    resolve: (_query, _root, args, ctx) =>
      ctx.services.tickets.forCheckout(requireViewer(ctx).userId, args.sessionId),
  }),
);

const ScheduleTicketedSpaceInput = builder.inputType('ScheduleTicketedSpaceInput', {
  fields: (t) => ({
    title: t.string({ required: true, description: '1 to 100 characters.' }),
    topics: t.stringList({ description: 'Up to 3 topics, each 1 to 30 characters.' }),
    scheduledStart: t.field({ type: 'DateTime', required: true }),
    priceMinor: t.int({
      required: true,
      description: "Price in the currency's minor unit; $1 to $999 unless configured otherwise.",
    }),
    currency: t.string({ required: true, description: 'ISO 4217: usd, eur, gbp by default.' }),
    seats: t.int({ required: true, description: 'Tickets for sale.' }),
    salesEndAt: t.field({
      type: 'DateTime',
      required: true,
      description: 'When sales stop; at most a day after the scheduled start.',
    }),
  }),
});

builder.mutationField('scheduleTicketedSpace', (t) =>
  t.field({
    type: Space,
    description:
      'Schedules a space that sells tickets through Stripe; needs 1000 followers (configurable).',
    args: { input: t.arg({ type: ScheduleTicketedSpaceInput, required: true }) },
    errors: {
      types: [NotEnoughFollowers, LimitReached, TicketingUnavailable],
      dataField: { name: 'space' },
    },
    resolve: (_root, { input }, ctx) =>
      ctx.services.tickets.scheduleTicketed(requireViewer(ctx).userId, input),
  }),
);

builder.mutationField('buyTicket', (t) =>
  t.field({
    type: Ticket,
    description:
      'Holds a seat and opens a Stripe Checkout Session: send the buyer to `ticket.checkoutUrl`. The ticket is issued when Stripe confirms the payment.',
    args: { spaceId: t.arg.id({ required: true }) },
    errors: {
      types: [
        TicketingUnavailable,
        NotTicketed,
        SoldOut,
        SalesClosed,
        AlreadyHoldsTicket,
        BlockedByHost,
      ],
      dataField: { name: 'ticket' },
    },
    resolve: (_root, args, ctx) =>
      ctx.services.tickets.buy(
        requireViewer(ctx).userId,
        parseGlobalId(String(args.spaceId), 'Space', 'spaceId'),
      ),
  }),
);
