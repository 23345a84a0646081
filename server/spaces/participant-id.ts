import { v7 } from 'uuid';

/**
 * A new place's id. Time-ordered (UUIDv7, as Prisma's `uuid(7)` default), so ids sort in the order
 * places were first taken: of two people in a browser mesh the newer place offers, which lets a
 * joiner carry its offers in its join (JoinSpaceSuccess.meshOffers).
 */
export const newParticipantId = (): string => v7();

/** Whether place `a` was taken after place `b` (a rejoin keeps its place, and so its id). */
export const takenAfter = (a: string, b: string): boolean => a > b;
