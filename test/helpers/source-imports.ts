/**
 * Reads which files of the tree import which, from the source text: for the tests that keep
 * imports running one way (test/server/no-import-circles.test.ts, test/server/layering.test.ts).
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../..');

/** The TypeScript and JavaScript sources under `dir` (declarations left out), recursively. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/**
 * The relative specifiers a file imports: `import … from`, `export … from`, bare `import '…'`
 * and `import('…')`, across lines. A mention in a comment may add an arrow that is not there,
 * never hide one that is: the reader errs towards strict.
 */
export function relativeImports(source: string): string[] {
  const patterns = [
    /^\s*(?:import|export)\b[^;]*?\bfrom\s*['"](\.[^'"]+)['"]/gm,
    /^\s*import\s*['"](\.[^'"]+)['"]/gm,
    /\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...source.matchAll(pattern)].map((match) => match[1]!));
}

/** The file a specifier names: TypeScript's `./x.js` is `./x.ts` in the tree. */
export function fileOf(from: string, specifier: string): string | undefined {
  const target = resolve(dirname(from), specifier);
  const candidates = [
    target,
    target.replace(/\.js$/, '.ts'),
    target.replace(/\.mjs$/, '.mts'),
    join(target, 'index.ts'),
  ];
  return candidates.find((path) => existsSync(path) && !path.endsWith('/'));
}

/**
 * Every source file under `roots` (folders of the repository), and the files it imports,
 * wherever they are (a specifier that names no file stays as the path it names).
 */
export function importGraph(roots: string[]): Map<string, string[]> {
  const files = roots.flatMap((root) => sourceFiles(join(REPO, root)));
  return new Map(
    files.map((file) => {
      const targets = relativeImports(readFileSync(file, 'utf8')).map(
        (specifier) => fileOf(file, specifier) ?? resolve(dirname(file), specifier),
      );
      return [file, [...new Set(targets)]];
    }),
  );
}
