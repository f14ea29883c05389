/**
 * The three browser engines the widget and the payer flows are tested in, as Debian ships them:
 * Chromium and Firefox ESR (driven by Playwright; Firefox over WebDriver BiDi) and WebKitGTK,
 * Safari's engine (driven over WebDriver, which is all Debian's WebKit speaks).
 *
 * A developer's machine may lack one: its tests are then skipped with a line saying what to
 * install. In CI (`CI` set) a missing engine is an error, so an engine is never silently untested.
 * `PAYSG_ENGINES=chromium,firefox` runs a subset.
 *
 * Plain JavaScript: the web-test-runner config loads it without a TypeScript loader.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const WEBKIT_DRIVER = '/usr/bin/WebKitWebDriver';
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const XVFB_RUN = '/usr/bin/xvfb-run';

/** Chromium's flags on these machines: no background traffic to hosts this network refuses. */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** How to drive Debian's Firefox ESR: Playwright's BiDi channel (Playwright 1.64; 1.65 sends a command ESR 153 lacks). */
export const FIREFOX_LAUNCH = {
  channel: 'moz-firefox',
  executablePath: FIREFOX_PATH,
  headless: true,
};

/**
 * WebDriver capabilities for WebKitGTK's MiniBrowser, which needs `--automation` and a display;
 * `args` are more MiniBrowser flags (such as `--features=-CrossOriginOpenerPolicy`).
 * @param {string[]} [args]
 */
export function webKitCapabilities(args = []) {
  return {
    browserName: 'MiniBrowser',
    // webdriverio 9 asks for WebDriver BiDi by default, which WebKitWebDriver refuses to match.
    'wdio:enforceWebDriverClassic': true,
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', ...args] },
  };
}

/** The capabilities of a plain MiniBrowser session. */
export const WEBKIT_CAPABILITIES = webKitCapabilities();

const ENGINES = {
  chromium: { label: 'Chromium', needs: [[CHROMIUM_PATH, 'chromium']] },
  firefox: { label: 'Firefox ESR', needs: [[FIREFOX_PATH, 'firefox-esr']] },
  webkit: {
    label: 'WebKitGTK',
    needs: [
      [WEBKIT_DRIVER, 'webkit2gtk-driver'],
      [MINIBROWSER, 'webkit2gtk-driver'],
      [XVFB_RUN, 'xvfb'],
    ],
  },
};

/**
 * The engines to test in: those asked for (`PAYSG_ENGINES`, default all three) that this machine
 * has. Each one left out is said on stderr, with what to install; in CI that is an error.
 * @param {string} suite what is being run, for the message
 * @param {{ quiet?: boolean }} [options] `quiet`: say nothing (a process that loads the same
 *   configuration again, such as a Playwright worker, after its parent said it)
 * @returns {('chromium' | 'firefox' | 'webkit')[]}
 */
export function enginesToTest(suite, { quiet = false } = {}) {
  const asked = (process.env.PAYSG_ENGINES ?? 'chromium,firefox,webkit')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = asked.filter((name) => !(name in ENGINES));
  if (unknown.length)
    throw new Error(
      `PAYSG_ENGINES names ${unknown.join(', ')}; the engines are ${Object.keys(ENGINES).join(', ')}`,
    );
  const present = [];
  for (const name of asked) {
    const missing = missingEngine(name);
    if (!missing) {
      present.push(name);
      continue;
    }
    const line = `${suite}: ${ENGINES[name].label} skipped: ${missing}`;
    if (process.env.CI) throw new Error(`${line}; CI tests every engine`);
    if (!quiet) process.stderr.write(`${line}\n`);
  }
  return present;
}

/**
 * What this machine lacks to run `name`, as "… not found (apt-get install …)"; undefined when it has it all.
 * @param {'chromium' | 'firefox' | 'webkit'} name
 * @returns {string | undefined}
 */
export function missingEngine(name) {
  const missing = ENGINES[name].needs.filter(([path]) => !existsSync(path));
  if (missing.length === 0) return undefined;
  const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
  return `${missing.map(([path]) => path).join(', ')} not found (apt-get install ${packages})`;
}

/** A port no one is listening on, from the operating system. */
async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts WebKitWebDriver on a display of its own (xvfb-run: MiniBrowser has no headless mode, and
 * without a display a session request hangs), and waits until it answers.
 * @returns {Promise<{ hostname: string, port: number, stop: () => void }>}
 */
export async function startWebKitDriver() {
  const port = await freePort();
  const driver = spawn(
    XVFB_RUN,
    [
      '-a',
      '-s',
      '-screen 0 1280x1024x24',
      WEBKIT_DRIVER,
      `--port=${port}`,
      '--replace-on-new-session',
    ],
    {
      stdio: 'ignore',
      detached: true,
    },
  );
  // xvfb-run starts Xvfb and the driver in its own process group: stopping the group stops all three.
  const stop = () => {
    try {
      process.kill(-driver.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  };
  process.once('exit', stop);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (driver.exitCode !== null)
      throw new Error(`WebKitWebDriver exited at start (code ${driver.exitCode})`);
    const ready = await fetch(`http://127.0.0.1:${port}/status`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return { hostname: '127.0.0.1', port, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stop();
  throw new Error('WebKitWebDriver did not answer within 20 s');
}
