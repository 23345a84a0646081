/**
 * Slot sections offered beyond the seats in use. Each section costs Chromium about 2 ms to apply
 * and answer (a 13-slot offer took ~37 ms, a 3-slot one ~18 ms), while a seat beyond a listener's
 * sections costs it a re-offer over the data channel (a round trip and another apply). Two spare
 * sections let a host invite two speakers before any listener renegotiates, for ~4 ms per join.
 */
export const SPARE_SLOT_SECTIONS = 2;

/** How many slot sections to offer when `seats` slots may be in use, capped at the relay's seats. */
export function slotSectionsFor(seats: number, maxSlots: number): number {
  return Math.min(maxSlots, Math.max(0, seats) + SPARE_SLOT_SECTIONS);
}
