/**
 * Cold start: from spawning a server process to its first `200` on `/paysg/healthz`, and its
 * resident memory once idle, as medians of a few starts. The compiled BFF (`paysg-checkout bff`,
 * plain node) beside the same BFF run from TypeScript through tsx, and a bare Hono app.
 */
import { spawn } from 'node:child_process';
import { freePort } from '../test/helpers/free-ports.js';
import { rssMiB } from './process-stats.js';
import { bffEnv, ROOT } from './servers.js';

export interface ColdStart {
  name: string;
  /** Median milliseconds from spawn to the first healthy answer. */
  firstHealthyMs: number;
  /** Median resident set size, MiB, a second after that answer. */
  idleRssMiB: number;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function startOnce(
  args: string[],
  env: Record<string, string>,
): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env, PORT: String(port) },
    stdio: 'ignore',
  });
  try {
    for (let attempt = 0; attempt < 1000; attempt++) {
      const ok = await fetch(`http://127.0.0.1:${port}/paysg/healthz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) {
        const ms = performance.now() - started;
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return { ms, rss: rssMiB(child.pid!) };
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`${args.join(' ')} never answered /paysg/healthz`);
  } finally {
    child.kill('SIGKILL');
  }
}

export async function coldStarts(simulatorUrl: string, runs = 5): Promise<ColdStart[]> {
  // One SQLite file for every start: migrated by the first, as a restarted BFF finds it.
  const env = bffEnv(simulatorUrl);

  const subjects: [string, string[]][] = [
    ['bare Hono app (@hono/node-server)', ['bench/bare-hono.mjs']],
    ['BFF compiled: paysg-checkout bff', ['dist/lib/server/cli/paysg-checkout.js', 'bff']],
    ['BFF from TypeScript through tsx', ['--import', 'tsx', 'server/main.ts']],
  ];
  const results: ColdStart[] = [];
  for (const [name, args] of subjects) {
    const samples = [];
    for (let i = 0; i < runs; i++) samples.push(await startOnce(args, env));
    results.push({
      name,
      firstHealthyMs: median(samples.map((s) => s.ms)),
      idleRssMiB: median(samples.map((s) => s.rss)),
    });
  }
  return results;
}
