/**
 * Singapore time, as PaySG, its payout reports and finance staff count it: UTC+8 all year (no
 * daylight saving since 1982), so the offset is fixed and needs no time-zone database.
 * @module
 */
const OFFSET_MS = 8 * 60 * 60 * 1000;

/** `2026-12-06T17:30:00.000Z` → `2026-12-07T01:30:00+08:00`. */
export function singaporeTime(iso: string): string {
  const shifted = new Date(Date.parse(iso) + OFFSET_MS).toISOString();
  return `${shifted.slice(0, 19)}+08:00`;
}

/** The Singapore day an instant falls on: `2026-12-06T17:30:00Z` → `2026-12-07`. */
export function singaporeDay(iso: string): string {
  return new Date(Date.parse(iso) + OFFSET_MS).toISOString().slice(0, 10);
}

/** A Singapore day `YYYY-MM-DD` → its first instant in UTC (`2026-12-07` → `2026-12-06T16:00:00.000Z`); undefined when not a real date. */
export function singaporeDayStart(day: string): string | undefined {
  if (!/^\d{4}-\d\d-\d\d$/.test(day)) return undefined;
  const midnight = Date.parse(`${day}T00:00:00.000Z`);
  if (Number.isNaN(midnight) || new Date(midnight).toISOString().slice(0, 10) !== day)
    return undefined;
  return new Date(midnight - OFFSET_MS).toISOString();
}

/** The first instant after a Singapore day (the start of the next one), in UTC. */
export function singaporeDayEnd(day: string): string | undefined {
  const start = singaporeDayStart(day);
  return start && new Date(Date.parse(start) + 24 * 60 * 60 * 1000).toISOString();
}
