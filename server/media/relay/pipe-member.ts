import { RelayError } from './relay-error.ts';
import type { Session } from './session.ts';

/**
 * Stands in a space for a publisher whose session lives on another relay (a relay worker holding
 * the same space): the space seats and forwards its piped packets like a local publisher's, and
 * sends it nothing, since its listeners are served where it is connected.
 */
export function createPipeMember(spaceId: string, participantId: string): Session {
  const notASession = () =>
    Promise.reject(new RelayError('UNKNOWN_SESSION', 'A piped publisher has no session here.'));
  return {
    id: `pipe:${participantId}`,
    spaceId,
    participantId,
    offer: notASession,
    answer: notASession,
    slotMids: [],
    needSlots: () => {},
    forward: () => false,
    credit: () => {},
    send: () => {},
    close: () => Promise.resolve(),
  };
}
