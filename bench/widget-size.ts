/**
 * Where the widget's gzip bytes go. Gzip shares one dictionary across the file, so a part's
 * cost is measured as what the bundle loses when that part is left out (esbuild, minified as
 * the build does), not as the part compressed on its own.
 */
import { build, type Plugin } from 'esbuild';
import { gzipSync } from 'node:zlib';

interface Part {
  name: string;
  /** Modules replaced by a stand-in with the same exports and nothing else. */
  replace: [RegExp, string][];
}

const PARTS: Part[] = [
  { name: 'Lit templates (lit-html)', replace: [[/lit-html[\\/]lit-html\.js$/, `export const html = () => 0, nothing = 0, render = () => {};`]] },
  { name: 'the four languages', replace: [[/locales[\\/](en|zh|ms|ta)\.ts$/, `export const en = { errors: {} }, zh = en, ms = en, ta = en;`]] },
  { name: '  of which zh, ms and ta', replace: [[/locales[\\/](zh|ms|ta)\.ts$/, `export { en as zh, en as ms, en as ta } from './en.js';`]] },
  { name: 'styles', replace: [[/paysg-checkout\.styles\.ts$/, `export const styles = '';`]] },
  { name: 'payer-details form', replace: [[/payer-form\.ts$/, `export const amountInCents = Number, validatePayerForm = () => ({}), renderPayerForm = () => 0;`]] },
];

function standIns(replace: Part['replace']): Plugin {
  return {
    name: 'stand-ins',
    setup(b) {
      for (const [filter, contents] of replace) b.onLoad({ filter }, () => ({ contents, loader: 'ts' }));
    },
  };
}

async function gzipBytes(replace: Part['replace'] = []): Promise<number> {
  const result = await build({
    entryPoints: ['widget/index.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    charset: 'utf8',
    mangleProps: /^_[a-zA-Z]/,
    write: false,
    logLevel: 'silent',
    plugins: [standIns(replace)],
  });
  return gzipSync(result.outputFiles[0]!.contents, { level: 9 }).length;
}

/** `[part, bytes]` rows, the last being everything else (the element, its base and helpers). */
export async function widgetSizeBreakdown(): Promise<[string, number][]> {
  const whole = await gzipBytes();
  const rows: [string, number][] = [];
  for (const part of PARTS) rows.push([part.name, whole - (await gzipBytes(part.replace))]);
  const counted = rows.filter(([name]) => !name.startsWith(' ')).reduce((sum, [, bytes]) => sum + bytes, 0);
  rows.push(['the element, its base class, BFF client, events, helpers', whole - counted]);
  return rows;
}
