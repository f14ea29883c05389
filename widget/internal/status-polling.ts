/**
 * When to ask the BFF again about a payment that is not final: soon at first, then every
 * 10 seconds, and not forever. The BFF itself asks PaySG at most once every few seconds per
 * checkout, however many pages poll.
 */
const DELAYS_MS = [1_000, 2_000, 4_000, 8_000];
const THEN_EVERY_MS = 10_000;

/** Give up polling after this long; the payer can still check with a button. */
export const POLL_FOR_MS = 30 * 60 * 1000;

export function pollDelay(attempt: number): number {
  return DELAYS_MS[attempt] ?? THEN_EVERY_MS;
}
