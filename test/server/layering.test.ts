/**
 * Which way imports run between the top-level folders. The simulator (demo/simulator) is a second,
 * independent reading of PaySG's docs: it imports only contract/ and its own files, never the BFF
 * or the widget, so a misreading in server/ cannot leak into the PaySG it is tested against.
 * Within server/, only the command knows the simulator: `paysg-checkout simulator` starts it
 * (server/cli/simulator-command.ts) and the command's entry hands it down to `links --simulator`
 * (server/cli/paysg-checkout.ts), so nothing else in the package loads it. The widget and the BFF
 * meet only in contract/, which is shared by all three and imports none of them.
 */
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { describe, it } from 'node:test';
import { importGraph, REPO } from '../helpers/source-imports.js';

/** The files under `roots` and what each imports, as paths relative to the repository. */
function arrows(roots: string[]): [string, string[]][] {
  return [...importGraph(roots)].map(([file, targets]) => [
    relative(REPO, file),
    targets.map((target) => relative(REPO, target)),
  ]);
}

/** `file → target` for every import a rule refuses. */
function refused(roots: string[], allowed: (file: string, target: string) => boolean): string[] {
  return arrows(roots).flatMap(([file, targets]) =>
    targets.filter((target) => !allowed(file, target)).map((target) => `${file} → ${target}`),
  );
}

const under = (folder: string, path: string) => path.startsWith(`${folder}/`);

/** The files of server/ that may start the simulator: the command and nothing else. */
const KNOWS_THE_SIMULATOR = new Set([
  'server/cli/paysg-checkout.ts',
  'server/cli/simulator-command.ts',
]);

describe('imports run one way between the folders', () => {
  it('the reader sees the command’s arrows to the simulator, dynamic imports included', () => {
    const graph = new Map(arrows(['server/cli']));
    assert.ok(
      graph.get('server/cli/simulator-command.ts')!.includes('demo/simulator/standalone.ts'),
    );
    assert.ok(
      graph.get('server/cli/paysg-checkout.ts')!.includes('demo/simulator/index.ts'),
      'import()',
    );
    assert.ok(
      graph.get('server/cli/paysg-checkout.ts')!.includes('server/cli/simulator-command.ts'),
    );
  });

  it('the simulator imports only contract/ and its own files, never server/ or widget/', () => {
    assert.deepEqual(
      refused(
        ['demo/simulator'],
        (_, target) => under('demo/simulator', target) || under('contract', target),
      ),
      [],
    );
  });

  it('within server/, only the command imports the simulator (or anything else of demo/)', () => {
    assert.deepEqual(
      refused(
        ['server'],
        (file, target) =>
          !under('demo', target) ||
          (KNOWS_THE_SIMULATOR.has(file) && under('demo/simulator', target)),
      ),
      [],
    );
  });

  it('the widget imports only contract/ and its own files', () => {
    assert.deepEqual(
      refused(['widget'], (_, target) => under('widget', target) || under('contract', target)),
      [],
    );
  });

  it('the BFF imports only contract/ and its own files (and, in the command, the simulator)', () => {
    assert.deepEqual(
      refused(
        ['server'],
        (_, target) =>
          under('server', target) || under('contract', target) || under('demo/simulator', target),
      ),
      [],
    );
  });

  it('contract/ imports none of the folders that share it', () => {
    assert.deepEqual(
      refused(['contract'], (_, target) => under('contract', target)),
      [],
    );
  });
});
