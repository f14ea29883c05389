/**
 * The licence page for a stall of its own: the stall makes the order's reference, and each test
 * pays its own order in the run's one database.
 */
const run = 10 + Math.floor(Math.random() * 90);
let stall = 0;

export function licencePage(): string {
  stall++;
  return `/?stall=${run}-${String(stall).padStart(3, '0')}`;
}
