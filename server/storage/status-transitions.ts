/**
 * The one shape of a status table, shared by checkouts (`checkout-status.ts`) and refunds
 * (`refund-status.ts`): the statuses as an `as const` object, and beside them one table of which
 * status may follow which. Both stores apply the table before every status change: a change it
 * does not list is a bug in the caller, never a race (a race shows as a compare and set that
 * finds nothing).
 * @module
 */

/** Which status may follow which. */
export type Transitions<S extends string> = Readonly<Record<S, readonly S[]>>;

/** Whether `to` may follow `from`. A status may always stay what it is (other fields change). */
export function mayFollow<S extends string>(table: Transitions<S>, from: S, to: S): boolean {
  return from === to || table[from].includes(to);
}

/** Throws `illegal(from, to)` when `to` is given and may not follow `from`. */
export function assertMayFollow<S extends string>(
  table: Transitions<S>,
  from: S,
  to: S | undefined,
  illegal: new (from: S, to: S) => Error,
): void {
  if (to !== undefined && !mayFollow(table, from, to)) throw new illegal(from, to);
}
