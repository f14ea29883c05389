/**
 * axe-core run in a Playwright page: the rule ids it finds, for `toEqual([])`. Evaluated through
 * the browser's debugging protocol, as the demo's CSP rightly refuses inline scripts.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/** WCAG 2.2 AA; `bestPractice` adds axe's best practices (landmarks, `region`, …). */
export async function axeViolations(
  page: Page,
  options: { bestPractice?: boolean } = {},
): Promise<string[]> {
  await page.evaluate(axeSource);
  const tags = [
    'wcag2a',
    'wcag2aa',
    'wcag21aa',
    'wcag22aa',
    ...(options.bestPractice ? ['best-practice'] : []),
  ];
  const result = await page.evaluate(
    (runOnly) =>
      (window as unknown as { axe: typeof import('axe-core') }).axe.run(document, { runOnly }),
    tags,
  );
  return result.violations.map((v) => v.id);
}
