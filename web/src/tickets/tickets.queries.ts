import { graphql } from '../api/graphql.ts';

/** What the ticket gate decides from, read with whatever else a page needs of the space. */
export const SpaceTicketingFields = graphql(`
  fragment SpaceTicketingFields on Space {
    id
    state
    host { id }
    ticketing { priceMinor currency seats seatsLeft salesEndAt }
    viewerTicket { id state checkoutUrl }
  }
`);

export const SpaceTicketingQuery = graphql(
  `
  query SpaceTicketing($id: ID!) {
    space(id: $id) { ...SpaceTicketingFields }
  }
`,
  [SpaceTicketingFields],
);

export const TicketSalesQuery = graphql(`
  query TicketSales($id: ID!) {
    space(id: $id) {
      id
      ticketSales {
        sold
        pending
        refundPending
        refunded
        grossMinor
        tickets { id state createdAt buyer { handle displayName } }
      }
    }
  }
`);

export const BuyTicketMutation = graphql(`
  mutation BuyTicket($spaceId: ID!) {
    buyTicket(spaceId: $spaceId) {
      __typename
      ... on Error { message }
      ... on MutationBuyTicketSuccess { ticket { id state checkoutUrl } }
    }
  }
`);

export const CheckoutTicketQuery = graphql(`
  query CheckoutTicket($sessionId: String!) {
    checkoutTicket(sessionId: $sessionId) { id state space { id title } }
  }
`);

export const MyTicketsQuery = graphql(`
  query MyTickets {
    myTickets {
      id
      state
      priceMinor
      currency
      createdAt
      space { id title state scheduledStart host { displayName } }
    }
  }
`);

export const ScheduleTicketedSpaceMutation = graphql(`
  mutation ScheduleTicketedSpace($input: ScheduleTicketedSpaceInput!) {
    scheduleTicketedSpace(input: $input) {
      __typename
      ... on Error { message }
      ... on NotEnoughFollowers { required current missing }
      ... on InvalidInput { issues { path message } }
      ... on MutationScheduleTicketedSpaceSuccess { space { id } }
    }
  }
`);
