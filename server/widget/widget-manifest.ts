/**
 * `dist/widget/manifest.json`, written by the build (vite.config.ts): what the widget's files are
 * called, how big they are, and the integrity hash of each, for pinning them.
 * @module
 */
export interface WidgetManifest {
  /** `paysg-checkout.js`: served at `/widget.js`, for a page that always wants the newest. */
  file: string;
  /** `paysg-checkout.{hash}.js`: the same bytes under a name that never changes meaning. */
  hashedFile: string;
  /** `sha384-…`, for `<script integrity>`. */
  integrity: string;
  bytes: number;
  gzipBytes: number;
  brotliBytes: number;
  /** The languages fetched on demand, by language: `locales/{lang}.{hash}.json`. */
  locales: Record<string, { file: string; integrity: string; bytes: number; brotliBytes: number }>;
}
