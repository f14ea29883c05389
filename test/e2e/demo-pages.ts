/**
 * The licence page for a stall of its own: the stall makes the order's reference, and each test
 * pays its own order in the run's one database. Each engine's tests run in workers of their own
 * (Playwright numbers every worker of a run differently), so the worker's number leads the stall:
 * no two engines pay the same licence.
 */
const run = 10 + (Number(process.env.TEST_WORKER_INDEX ?? 0) % 90);
let stall = 0;

export function licencePage(): string {
  stall++;
  return `/?stall=${run}-${String(stall).padStart(3, '0')}`;
}
