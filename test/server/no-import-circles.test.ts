/**
 * No two files of the BFF or the widget need each other, directly or round a longer loop: every
 * import runs one way, so a file can be read (and a call followed) without coming back to where
 * it started. Type-only imports count too: a circle of types is still two files that each need
 * the other.
 */
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { importGraph as fullImportGraph, REPO } from '../helpers/source-imports.js';

const ROOTS = ['server', 'widget'];

/** The imports among the files under `roots` only: a circle never leaves them. */
function importGraph(roots: string[]): Map<string, string[]> {
  const graph = fullImportGraph(roots);
  return new Map(
    [...graph].map(([file, targets]) => [file, targets.filter((target) => graph.has(target))]),
  );
}

/** Every loop, once each, as the files round it (the first repeated at the end). */
function circles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (file: string) => {
    path.push(file);
    onPath.add(file);
    for (const next of graph.get(file) ?? []) {
      if (onPath.has(next)) found.push([...path.slice(path.indexOf(next)), next]);
      else if (!done.has(next)) visit(next);
    }
    path.pop();
    onPath.delete(file);
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return found;
}

describe('imports run one way', () => {
  it('the reader sees real arrows, type-only and multi-line ones included', () => {
    const graph = importGraph(ROOTS);
    const arrowsOf = (file: string) =>
      graph.get(join(REPO, file))!.map((target) => relative(REPO, target));
    assert.ok(
      arrowsOf('server/checkouts/create-payment.ts').includes('server/checkouts/paysg-key.ts'),
    );
    assert.ok(
      arrowsOf('server/checkouts/create-payment.ts').includes('server/storage/checkout-store.ts'),
      'import type',
    );
    assert.ok(arrowsOf('server/app.ts').length > 3);
    assert.deepEqual(
      circles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
        ]),
      ),
      [['a', 'b', 'c', 'a']],
    );
  });

  for (const root of ROOTS) {
    it(`no import circle in ${root}/`, () => {
      const found = circles(importGraph([root])).map((loop) =>
        loop.map((file) => relative(REPO, file)).join(' → '),
      );
      assert.deepEqual(found, []);
    });
  }
});
