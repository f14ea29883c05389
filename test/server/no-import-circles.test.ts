/**
 * No two files of the BFF or the widget need each other, directly or round a longer loop: every
 * import runs one way, so a file can be read (and a call followed) without coming back to where
 * it started. Type-only imports count too: a circle of types is still two files that each need
 * the other.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const REPO = resolve(import.meta.dirname, '../..');
const ROOTS = ['server', 'widget'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * The relative specifiers a file imports: `import … from`, `export … from`, bare `import '…'`
 * and `import('…')`, across lines. A mention in a comment may add an arrow that is not there,
 * never hide one that is: the test errs towards strict.
 */
function relativeImports(source: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"](\.[^'"]+)['"]/gm,
    /^\s*import\s*['"](\.[^'"]+)['"]/gm,
    /\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]!));
}

/** The file a specifier names: TypeScript's `./x.js` is `./x.ts` in the tree. */
function fileOf(from: string, specifier: string): string | undefined {
  const target = resolve(dirname(from), specifier);
  const candidates = [
    target,
    target.replace(/\.js$/, '.ts'),
    target.replace(/\.mjs$/, '.mts'),
    join(target, 'index.ts'),
  ];
  return candidates.find((path) => existsSync(path) && !path.endsWith('/'));
}

function importGraph(roots: string[]): Map<string, string[]> {
  const files = roots.flatMap((root) => sourceFiles(join(REPO, root)));
  const inside = new Set(files);
  return new Map(
    files.map((file) => {
      const targets = relativeImports(readFileSync(file, 'utf8'))
        .map((specifier) => fileOf(file, specifier))
        .filter((target): target is string => target !== undefined && inside.has(target));
      return [file, [...new Set(targets)]];
    }),
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
