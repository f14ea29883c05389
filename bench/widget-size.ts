/**
 * Where the widget's brotli bytes go. Brotli shares one dictionary across the file, so a part's
 * cost is measured as what the bundle loses when that part is left out (esbuild, minified as
 * the build does), not as the part compressed on its own.
 */
import { build, type Plugin } from 'esbuild';
import { brotliCompressSync, gzipSync } from 'node:zlib';

interface Part {
  name: string;
  /** Modules replaced by a stand-in with the same exports and nothing else. */
  replace: [RegExp, string][];
}

const PARTS: Part[] = [
  {
    name: 'Lit templates (lit-html)',
    replace: [
      [
        /lit-html[\\/]lit-html\.js$/,
        `export const html = () => 0, nothing = 0, noChange = 0, render = () => {};`,
      ],
    ],
  },
  {
    name: "@lit/task (the texts of the payer's language)",
    replace: [
      [
        /@lit[\\/]task[\\/]index\.js$/,
        `export class Task { constructor() {} }; export const initialState = 0;`,
      ],
    ],
  },
  {
    name: 'English texts',
    replace: [[/locales[\\/]en\.ts$/, `export const en = { errors: {} };`]],
  },
  { name: 'styles', replace: [[/paysg-checkout\.styles\.ts$/, `export const styles = '';`]] },
  {
    name: 'checkout flow (controller and transition table)',
    replace: [
      [
        /internal[\\/]checkout-flow\.ts$/,
        `export class CheckoutFlow { constructor(h) { h.addController(this); } }; export const quoteDetail = () => ({});`,
      ],
    ],
  },
  {
    name: 'payer-details form',
    replace: [
      [
        /payer-form\.ts$/,
        `export const amountInCents = Number, validatePayerForm = () => ({}), renderPayerForm = () => 0;`,
      ],
    ],
  },
];

function standIns(replace: Part['replace']): Plugin {
  return {
    name: 'stand-ins',
    setup(b) {
      for (const [filter, contents] of replace)
        b.onLoad({ filter }, () => ({ contents, loader: 'ts' }));
    },
  };
}

async function brotliBytes(replace: Part['replace'] = []): Promise<number> {
  const result = await build({
    entryPoints: ['widget/index.ts'],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
    plugins: [standIns(replace)],
  });
  return brotliCompressSync(result.outputFiles[0]!.contents).length;
}

/** `[part, bytes]` rows, the last being everything else (the element, its base and helpers). */
export async function widgetSizeBreakdown(): Promise<[string, number][]> {
  const whole = await brotliBytes();
  const rows: [string, number][] = [];
  for (const part of PARTS) rows.push([part.name, whole - (await brotliBytes(part.replace))]);
  const counted = rows
    .filter(([name]) => !name.startsWith(' '))
    .reduce((sum, [, bytes]) => sum + bytes, 0);
  rows.push([
    'everything else: LitElement, the element, BFF client, events, helpers',
    whole - counted,
  ]);
  return rows;
}

/** The yardstick: the smallest useful LitElement (styles, one template), built as `brotliBytes` builds. */
export async function minimalLitElementBytes(): Promise<{ brotli: number; gzip: number }> {
  const result = await build({
    stdin: {
      contents: `import { LitElement, html, css } from 'lit';
        class MinimalElement extends LitElement {
          static styles = css\`:host { display: block; }\`;
          static properties = { name: {} };
          render() { return html\`<p>Hello, \${this.name}</p>\`; }
        }
        customElements.define('minimal-element', MinimalElement);`,
      resolveDir: process.cwd(),
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const bytes = result.outputFiles[0]!.contents;
  return { brotli: brotliCompressSync(bytes).length, gzip: gzipSync(bytes, { level: 9 }).length };
}
