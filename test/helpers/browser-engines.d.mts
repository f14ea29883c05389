// Types of browser-engines.mjs, which stays plain JavaScript for web-test-runner's config.
export type EngineName = 'chromium' | 'firefox' | 'webkit';

export const CHROMIUM_PATH: string;
export const FIREFOX_PATH: string;
export const CHROMIUM_ARGS: string[];
export const FIREFOX_LAUNCH: { channel: string; executablePath: string; headless: boolean };

export interface WebKitCapabilities {
  browserName: 'MiniBrowser';
  'wdio:enforceWebDriverClassic': true;
  'webkitgtk:browserOptions': { binary: string; args: string[] };
}
export function webKitCapabilities(args?: string[]): WebKitCapabilities;
export const WEBKIT_CAPABILITIES: WebKitCapabilities;

export function enginesToTest(suite: string, options?: { quiet?: boolean }): EngineName[];
export function missingEngine(name: EngineName): string | undefined;
export function startWebKitDriver(): Promise<{ hostname: string; port: number; stop: () => void }>;
