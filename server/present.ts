/**
 * A value the code around it guarantees but TypeScript cannot see (a regular expression's
 * required group, the row a statement has just written, a checkout, which is never deleted):
 * the value itself, or an error that says what was missing, where a `!` would let `undefined`
 * run on.
 * @module
 */

export function present<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`Missing ${what}`);
  return value;
}
