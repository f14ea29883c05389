/**
 * The simulator and the BFF instances as real child processes on 127.0.0.1: free ports, logs in
 * files, readiness by polling, SIGKILL and restart on the same port, and a cleanup that always
 * runs (also from a `process.on('exit')` handler, where only synchronous calls work).
 * @module
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export { freePorts } from '../helpers/free-ports.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface ProcessSpec {
  name: string;
  /** A TypeScript entry point, relative to the repository root; run with `node --import tsx`. */
  script: string;
  env: Record<string, string>;
  port: number;
  /** Polled on 127.0.0.1 until it answers (with 200, when `readyWhen200`). */
  readyPath: string;
  readyWhen200: boolean;
  logFile: string;
}

/** Variables that would reach a child from the caller's shell and change what it does. */
const INHERITED_PREFIXES = ['PAYSG_', 'SIMULATOR_', 'DATABASE_', 'ORDER_TOKEN_', 'RECONCILE_'];
const INHERITED_NAMES = ['PORT', 'PUBLIC_URL', 'ALLOWED_ORIGINS', 'CATALOG_FILE', 'TRUST_PROXY'];

function childEnv(own: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (INHERITED_PREFIXES.some((p) => key.startsWith(p)) || INHERITED_NAMES.includes(key))
      continue;
    env[key] = value;
  }
  return { ...env, ...own };
}

export class ManagedProcess {
  readonly spec: ProcessSpec;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  /** Set while we are the ones stopping it, so its exit is not reported as a crash. */
  #stopping = false;
  readonly unexpectedExits: string[] = [];
  starts = 0;

  constructor(spec: ProcessSpec) {
    this.spec = spec;
  }

  get url(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }

  get alive(): boolean {
    return (
      this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null
    );
  }

  get pid(): number | undefined {
    return this.alive ? this.#child!.pid : undefined;
  }

  /** Starts the process and waits until `readyPath` answers 200. */
  async start(deadlineMs: number): Promise<void> {
    if (this.alive) throw new Error(`${this.spec.name} is already running`);
    this.starts++;
    const fd = openSync(this.spec.logFile, 'a');
    writeSync(
      fd,
      `\n===== chaos: start #${this.starts} of ${this.spec.name} on port ${this.spec.port} at ${new Date().toISOString()}\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', this.spec.script], {
      cwd: REPO_ROOT,
      env: childEnv({ ...this.spec.env }),
      stdio: ['ignore', fd, fd],
    });
    closeSync(fd);
    this.#child = child;
    this.#stopping = false;
    this.#exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (!this.#stopping)
          this.unexpectedExits.push(
            `${this.spec.name} exited on its own (code ${code}, signal ${signal})`,
          );
        resolve();
      });
      child.once('error', (err) => {
        this.unexpectedExits.push(`${this.spec.name} could not be started: ${err.message}`);
        resolve();
      });
    });
    await this.#waitReady(deadlineMs);
  }

  async #waitReady(deadlineMs: number): Promise<void> {
    const until = Date.now() + deadlineMs;
    while (Date.now() < until) {
      if (!this.alive) break;
      try {
        const response = await fetch(this.url + this.spec.readyPath, {
          signal: AbortSignal.timeout(2_000),
        });
        await response.body?.cancel();
        if (response.status === 200 || !this.spec.readyWhen200) return;
      } catch {
        // not listening yet
      }
      await sleep(150);
    }
    const why = this.alive ? `not ready within ${deadlineMs} ms` : 'exited while starting';
    throw new Error(
      `${this.spec.name} ${why}; the end of ${this.spec.logFile}:\n${this.logTail(15)}`,
    );
  }

  /** SIGKILL: no graceful shutdown, in-flight requests die with it. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.#stopping = true;
    this.#child!.kill('SIGKILL');
    await this.#exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 2_000): Promise<void> {
    if (!this.alive) return;
    this.#stopping = true;
    this.#child!.kill('SIGTERM');
    const timer = setTimeout(() => this.#child?.kill('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
  }

  /** For `process.on('exit')`: synchronous, no waiting. */
  killNow(): void {
    if (!this.alive) return;
    this.#stopping = true;
    try {
      this.#child!.kill('SIGKILL');
    } catch {
      // already gone
    }
  }

  logTail(lines: number): string {
    try {
      return readFileSync(this.spec.logFile, 'utf8')
        .trimEnd()
        .split('\n')
        .slice(-lines)
        .map((l) => `    ${l}`)
        .join('\n');
    } catch {
      return '    (no log)';
    }
  }
}
