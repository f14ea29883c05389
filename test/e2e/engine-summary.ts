/**
 * After the list reporter's lines, one line per engine (Playwright project): how many tests ran
 * there and how they ended, and the time from its first test's start to its last test's end
 * (projects run one after another on the one worker, so that is the engine's share of the run).
 */
import type { Reporter, Suite } from '@playwright/test/reporter';

const OUTCOME = {
  expected: 'passed',
  unexpected: 'failed',
  flaky: 'flaky',
  skipped: 'skipped',
} as const;

const duration = (ms: number) =>
  ms >= 60_000
    ? `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`
    : `${(ms / 1000).toFixed(1)}s`;

export default class EngineSummary implements Reporter {
  #root: Suite | undefined;

  onBegin(_config: unknown, suite: Suite): void {
    this.#root = suite;
  }

  onEnd(): void {
    const projects = this.#root?.suites ?? [];
    if (projects.length === 0) return;
    const lines = ['', 'Per engine:'];
    for (const project of projects) {
      const tests = project.allTests();
      const counts = new Map<string, number>();
      let notRun = 0;
      let start = Infinity;
      let end = 0;
      for (const test of tests) {
        const results = test.results;
        if (results.length === 0) {
          notRun++;
          continue;
        }
        const outcome = OUTCOME[test.outcome()];
        counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
        for (const result of results) {
          start = Math.min(start, result.startTime.getTime());
          end = Math.max(end, result.startTime.getTime() + result.duration);
        }
      }
      const ran = tests.length - notRun;
      const outcomes = [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ') || 'none';
      const time = end > 0 ? `, ${duration(end - start)}` : '';
      lines.push(
        `  ${project.title.padEnd(9)} ${String(ran).padStart(3)} tests: ${outcomes}${notRun ? ` (${notRun} not run)` : ''}${time}`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
