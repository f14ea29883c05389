/**
 * Chaos test: two BFF instances on one PostgreSQL database against the PaySG simulator, all as
 * real processes on 127.0.0.1, driven hard while PaySG misbehaves and an instance is killed;
 * then PaySG's ledger is checked against the store.
 *
 *   node --import tsx test/chaos/run.ts [--short] [--seed N] [--keep]
 *
 * What it does (`--short` in brackets): starts the simulator and two BFFs (`server/main.ts`) on
 * a fresh database `paysg_chaos_<random>`; sends about 1,000 [250] `POST /paysg/checkouts` for
 * 150 [40] orders, 16 at a time, to either instance at random: first creates, retries with the
 * same Idempotency-Key, the same order again from the same browser (`X-PaySG-Browser`), from
 * other browsers, repriced order tokens (newer `iat`) and stale ones for the same reference,
 * cancels, and payments at the simulator of links that were handed out. Meanwhile it adds
 * 500/503/429/latency/drop_response faults on PaySG's create and cancel, and SIGKILLs one
 * instance a third of the way in (restarted on its port a few seconds later). Then it clears
 * the faults, lets the BFFs settle (re-verifying every unpaid checkout through
 * `GET /checkouts/{id}`, and waiting for the reconciler to finish checkouts whose creating
 * request died), stops them, and checks (`ledger-check.ts` has the list):
 *
 * - every order has at most one payable PaySG payment, and is paid at most once;
 * - the store never says unpaid for a payment PaySG has cancelled;
 * - every payment paid at PaySG is `paid` on its checkout, and every paid checkout matches a
 *   paid PaySG payment of the same amount; every unpaid PaySG payment is an unpaid checkout's;
 * - no 500s; a catalog order's checkout reaches only the browser that created it; a checkout is
 *   handed out only for its own amount and ended only by its holder, a newer order token, or
 *   another browser's create for the order (which supersedes it); an older order token never
 *   replaces an accepted newer one; no create hands out a link PaySG had already cancelled.
 *
 * Exit code 0: every check held (or PostgreSQL is missing and CI is not `true`: skipped);
 * 1: violations (listed), or the run itself failed; 2: inconclusive (settling did not finish in
 * time). The seed is printed; `--seed N` replays the same schedule. Logs, every request and the
 * violations are kept in a temporary directory when anything is wrong (or with `--keep`).
 * Bounded: 5 minutes [90 s] at most, every loop has a deadline, and the child processes are
 * killed on every way out (also Ctrl-C). Nothing but 127.0.0.1 is contacted.
 * @module
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SIMULATOR_API_KEY, SIMULATOR_PAYMENT_SERVICE_ID } from '../../demo/simulator/simulator.js';
import {
  createChaosDatabase,
  dropChaosDatabase,
  PG_ADMIN_URL,
  postgresProblem,
  StoreReader,
  type ChaosDatabase,
} from './database.js';
import { drive, type DriverResult } from './driver.js';
import {
  CHECKS,
  checkLedger,
  type CheckName,
  type CheckResult,
  type Violation,
} from './ledger-check.js';
import { seededRandom } from './prng.js';
import { freePorts, ManagedProcess } from './processes.js';
import { buildScenario, CATALOG } from './scenario.js';
import { settle, type SettleResult } from './settle.js';
import { SimulatorClient, type LedgerPayment } from './simulator-client.js';
import type { StoreRow } from './database.js';

const { values: args } = parseArgs({
  options: {
    short: { type: 'boolean', default: false },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
  strict: true,
});
const SHORT = args.short;
const SEED = args.seed !== undefined ? Number(args.seed) : randomBytes(4).readUInt32BE(0);
if (!Number.isInteger(SEED) || SEED < 0 || SEED > 0xffffffff) {
  console.error(`chaos: --seed must be an integer from 0 to ${0xffffffff}`);
  process.exit(1);
}

const SIZE = SHORT
  ? {
      orders: 40,
      creates: 250,
      spreadOverMs: 15_000,
      budgetMs: 90_000,
      driveUntilMs: 45_000,
      settleUntilMs: 82_000,
    }
  : {
      orders: 150,
      creates: 1_000,
      spreadOverMs: 75_000,
      budgetMs: 300_000,
      driveUntilMs: 200_000,
      settleUntilMs: 280_000,
    };
const BASE_PATH = '/paysg';
/** An origin pages are on; never contacted (`.invalid` cannot resolve). */
const ALLOWED_ORIGIN = 'https://portal.chaos.invalid';
const CONCURRENCY = 16;
const RESTART_AFTER_MS = 3_000;

const t0 = Date.now();
const elapsed = (at = Date.now()) => `${((at - t0) / 1000).toFixed(1)} s`;
const log = (line: string) => console.log(line);

// ---------------------------------------------------------------- cleanup, on every way out
const processes: ManagedProcess[] = [];
let database: ChaosDatabase | undefined;
let workDir: string | undefined;
let cleaning: Promise<void> | undefined;
/** Set when Ctrl-C or the watchdog ends the run: what breaks after that is our own doing. */
let ending = false;

function cleanUp(keepWorkDir: boolean): Promise<void> {
  cleaning ??= (async () => {
    await Promise.all(processes.map((p) => p.stop(2_000).catch(() => p.killNow())));
    if (database)
      await dropChaosDatabase(database).catch((err: Error) =>
        console.error(`chaos: could not drop ${database!.name}: ${err.message}`),
      );
    if (workDir && !keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  })();
  return cleaning;
}

process.on('exit', () => {
  for (const p of processes) p.killNow();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    ending = true;
    console.error(`\nchaos: ${signal}: stopping the processes and dropping the database`);
    void cleanUp(true).finally(() => process.exit(130));
  });
}
const watchdog = setTimeout(() => {
  ending = true;
  console.error(`chaos: FAILED: the run exceeded its budget of ${SIZE.budgetMs / 1000} s`);
  void cleanUp(true).finally(() => process.exit(1));
}, SIZE.budgetMs);
watchdog.unref();

// ---------------------------------------------------------------- the run
async function main(): Promise<number> {
  const pgProblem = await postgresProblem();
  if (pgProblem) {
    const line = `chaos: the chaos test needs PostgreSQL at ${PG_ADMIN_URL} (${pgProblem}); start it or set PG_TEST_URL (bash .ci/run starts one)`;
    if (process.env.CI === 'true') {
      console.error(`${line}. FAILED: CI=true`);
      return 1;
    }
    console.log(`${line}. skipped`);
    return 0;
  }

  workDir = mkdtempSync(join(tmpdir(), 'paysg-chaos-'));
  const catalogFile = join(workDir, 'catalog.json');
  writeFileSync(catalogFile, JSON.stringify(CATALOG, null, 2));
  database = await createChaosDatabase();
  const tokenSecret = randomBytes(24).toString('base64url');
  const controlToken = randomBytes(16).toString('hex');
  const [simPort, ...bffPorts] = await freePorts(3);
  const simUrl = `http://127.0.0.1:${simPort}`;

  log(
    `paysg-checkout chaos test${SHORT ? ' (short)' : ''}, seed ${SEED} (replay: --seed ${SEED}${SHORT ? ' --short' : ''})`,
  );
  log(
    `  simulator ${simUrl}, BFFs on ports ${bffPorts.join(' and ')}, database ${database.name}, logs in ${workDir}`,
  );

  const simulatorProcess = new ManagedProcess({
    name: 'simulator',
    script: 'demo/simulator/main.ts',
    port: simPort!,
    env: {
      SIMULATOR_PORT: String(simPort),
      SIMULATOR_PUBLIC_URL: simUrl,
      SIMULATOR_CONTROL_TOKEN: controlToken,
    },
    readyPath: '/',
    readyWhen200: false,
    logFile: join(workDir, 'simulator.log'),
  });
  processes.push(simulatorProcess);
  const bffs = bffPorts.map(
    (port, i) =>
      new ManagedProcess({
        name: `bff-${i}`,
        script: 'server/main.ts',
        port: port!,
        env: {
          PORT: String(port),
          // One public address for both, as behind a load balancer; PaySG never calls it here.
          PUBLIC_URL: `http://127.0.0.1:${bffPorts[0]}`,
          ALLOWED_ORIGINS: ALLOWED_ORIGIN,
          PAYSG_API_KEY: SIMULATOR_API_KEY,
          PAYSG_PAYMENT_SERVICE_ID: SIMULATOR_PAYMENT_SERVICE_ID,
          PAYSG_API_URL: simUrl,
          PAYSG_PAYMENT_PAGE_ORIGIN: simUrl,
          CATALOG_FILE: catalogFile,
          DATABASE_URL: database!.url,
          ORDER_TOKEN_SECRETS: tokenSecret,
          // Each simulated browser sends its own X-Forwarded-For, so rate limits are per browser.
          TRUST_PROXY: '1',
          RECONCILE_EVERY_SECONDS: '5',
          // What a killed instance left behind is finished within seconds, not a minute.
          RECONCILE_QUIET_SECONDS: '5',
        },
        readyPath: `${BASE_PATH}/healthz`,
        readyWhen200: true,
        logFile: join(workDir!, `bff-${i}.log`),
      }),
  );
  processes.push(...bffs);

  const simulator = new SimulatorClient({
    baseUrl: simUrl,
    controlToken,
    apiKey: SIMULATOR_API_KEY,
    serviceId: SIMULATOR_PAYMENT_SERVICE_ID,
  });
  const store = new StoreReader(database);
  try {
    await simulatorProcess.start(30_000);
    await Promise.all(bffs.map((b) => b.start(40_000)));
    const startedAt = Date.now();
    log(`  started in ${elapsed()}`);

    // ---- drive
    const scenario = await buildScenario(seededRandom(SEED), {
      orders: SIZE.orders,
      creates: SIZE.creates,
      instances: bffs.length,
      tokenSecret,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    const creates = scenario.actions.filter((a) => a.kind === 'create').length;
    log(
      `  driving ${scenario.actions.length} actions (${creates} creates) over ${scenario.orders.length} orders, ${CONCURRENCY} at a time`,
    );
    const driven = await drive({
      scenario,
      instances: bffs,
      simulator,
      random: seededRandom(SEED ^ 0x5eed),
      allowedOrigin: ALLOWED_ORIGIN,
      basePath: BASE_PATH,
      concurrency: CONCURRENCY,
      spreadOverMs: SIZE.spreadOverMs,
      burst: CONCURRENCY / 2,
      deadline: t0 + SIZE.driveUntilMs,
      restartAfterMs: RESTART_AFTER_MS,
      maxPendingFaults: { create: 2, cancel: 1 },
      log,
    });
    const drivenAt = Date.now();
    const pendingFaults = await simulator.pendingFaults();
    await simulator.clearFaults();
    log(
      `  driven in ${((drivenAt - startedAt) / 1000).toFixed(1)} s${driven.notStarted ? ` (deadline: ${driven.notStarted} actions not started)` : ''}; faults cleared`,
    );

    // ---- settle
    const browserOf = new Map<string, string>();
    for (const r of driven.records)
      if (r.kind === 'create' && r.checkoutId && r.browser && !browserOf.has(r.checkoutId))
        browserOf.set(r.checkoutId, r.browser);
    const settled = await settle({
      store,
      simulator,
      instances: bffs,
      basePath: BASE_PATH,
      deadline: t0 + SIZE.settleUntilMs,
      browserOf,
      log,
    });
    log(
      `  ${settled.settled ? 'settled' : 'NOT settled'} in ${(settled.tookMs / 1000).toFixed(1)} s`,
    );

    // ---- stop the BFFs (their reconcilers too), then read both ledgers: nothing moves any more
    await Promise.all(bffs.map((b) => b.stop(3_000)));
    const checkedFrom = Date.now();
    const rows = await store.checkouts();
    const payments = await simulator.allPayments(Date.now() + 20_000);
    const result = checkLedger({
      payments,
      rows,
      records: driven.records,
      pending: settled.pending,
    });
    const checkMs = Date.now() - checkedFrom;

    const unexpectedExits = processes.flatMap((p) => p.unexpectedExits);
    const restartFailed = driven.instanceEvents.filter((e) => e.event === 'restart_failed');
    printSummary({
      driven,
      settled,
      pendingFaults: pendingFaults.length,
      rows,
      payments,
      result,
      unexpectedExits,
      startedAt,
      drivenAt,
      checkMs,
    });

    const failed =
      result.violations.length > 0 || unexpectedExits.length > 0 || restartFailed.length > 0;
    const verdict = failed ? 1 : result.unsettled.length > 0 || !settled.settled ? 2 : 0;
    if (verdict !== 0 || args.keep) {
      writeFileSync(
        join(workDir, 'requests.jsonl'),
        `${driven.records.map((r) => JSON.stringify(r)).join('\n')}\n`,
      );
      writeFileSync(join(workDir, 'violations.json'), JSON.stringify(result, null, 2));
    }
    log(
      verdict === 0
        ? `\nchaos: PASSED in ${elapsed()}`
        : verdict === 1
          ? `\nchaos: FAILED in ${elapsed()}: ${result.violations.length} violations` +
            `${unexpectedExits.length ? `, ${unexpectedExits.length} unexpected process exits` : ''}${restartFailed.length ? ', a restart failed' : ''}` +
            ` (seed ${SEED}; requests.jsonl, violations.json and the logs are in ${workDir})`
          : `\nchaos: INCONCLUSIVE in ${elapsed()}: settling did not finish before its deadline (seed ${SEED}; logs in ${workDir})`,
    );
    return verdict;
  } finally {
    await store.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- the summary
interface SummaryInput {
  driven: DriverResult;
  settled: SettleResult;
  pendingFaults: number;
  rows: StoreRow[];
  payments: LedgerPayment[];
  result: CheckResult;
  unexpectedExits: string[];
  startedAt: number;
  drivenAt: number;
  checkMs: number;
}

function countBy<T>(items: readonly T[], key: (item: T) => string): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return (
    [...counts]
      .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
      .map(([k, n]) => `${k}: ${n}`)
      .join(', ') || 'none'
  );
}

function printSummary(s: SummaryInput): void {
  const { driven } = s;
  log(`\nRequests (${driven.records.length}):`);
  for (const kind of ['create', 'cancel', 'pay'] as const) {
    const records = driven.records.filter((r) => r.kind === kind);
    log(
      `  ${kind.padEnd(7)} ${String(records.length).padStart(5)}  ${countBy(records, (r) => String(r.outcome))}`,
    );
  }
  log('  creates by kind of request:');
  for (const label of ['first', 'retry', 'again', 'stranger', 'reprice', 'stale'] as const) {
    const records = driven.records.filter((r) => r.kind === 'create' && r.label === label);
    log(
      `    ${label.padEnd(9)} ${String(records.length).padStart(4)}  ${countBy(records, (r) => String(r.outcome) + (r.errorCode ? ` ${r.errorCode}` : ''))}`,
    );
  }
  const connectionErrors = driven.records.filter(
    (r) => typeof r.outcome === 'string' && r.outcome !== 'no_target',
  ).length;
  log(`  no answer (instance down, connection reset, timeout): ${connectionErrors}`);

  const requests = driven.faults.reduce((sum, f) => sum + f.count, 0);
  log(
    `\nFaults injected at PaySG: ${driven.faults.length} rules, for ${requests} requests in all:`,
  );
  for (const route of [...new Set(driven.faults.map((f) => f.route))].sort()) {
    const rules = driven.faults.filter((f) => f.route === route);
    const kinds = [...new Set(rules.map((f) => f.fault))].sort();
    log(
      `  ${route.padEnd(7)} ${kinds.map((k) => `${k}: ${rules.filter((f) => f.fault === k).reduce((sum, f) => sum + f.count, 0)}`).join(', ')}`,
    );
  }
  log(
    `  ${driven.faultsSkipped} not added (enough pending), ${s.pendingFaults} still pending when cleared`,
  );
  log(
    `Instances: ${driven.instanceEvents.map((e) => `${e.event} #${e.instance} at ${elapsed(e.at)}${e.detail ? ` (${e.detail})` : ''}`).join(', ') || 'no kill (the driver stopped first)'}`,
  );
  for (const exit of s.unexpectedExits) log(`  UNEXPECTED: ${exit}`);
  log(
    `Settling found ${s.settled.initially.unverified} unpaid checkouts to re-verify and ` +
      `${s.settled.initially.onUnfinishedCheckouts} PaySG payments whose checkout was left unfinished (created) for the reconciler`,
  );
  log(
    `  ${s.settled.rounds} rounds, ${(s.settled.tookMs / 1000).toFixed(1)} s; GET /checkouts/{id} answered ${[...s.settled.reads].map(([status, n]) => `${status}: ${n}`).join(', ') || 'nothing'}`,
  );
  if (!s.settled.settled) {
    log(
      `  still to settle: ${s.settled.pending.unverified.length} unpaid checkouts not re-verified, ${s.settled.pending.onUnfinishedCheckouts.length} payments whose checkout is unfinished`,
    );
  }
  log(
    `Timing: start ${((s.startedAt - t0) / 1000).toFixed(1)} s, drive ${((s.drivenAt - s.startedAt) / 1000).toFixed(1)} s, settle ${(s.settled.tookMs / 1000).toFixed(1)} s, check ${(s.checkMs / 1000).toFixed(1)} s`,
  );

  log(`\nPaySG payments: ${s.payments.length} (${countBy(s.payments, (p) => p.latest_status)})`);
  log(`Store checkouts: ${s.rows.length} (${countBy(s.rows, (r) => r.status)})`);
  const errorEvents = processes.flatMap((p) => errorLogEvents(p.spec.logFile));
  if (errorEvents.length) log(`BFF/simulator error log lines: ${countBy(errorEvents, (e) => e)}`);

  log('\nChecks:');
  const byCheck = new Map<CheckName, Violation[]>();
  for (const v of s.result.violations) byCheck.set(v.check, [...(byCheck.get(v.check) ?? []), v]);
  for (const [check, description] of Object.entries(CHECKS) as [CheckName, string][]) {
    const found = byCheck.get(check) ?? [];
    log(`  ${found.length ? 'FAIL' : 'ok  '} ${check} (${found.length}): ${description}`);
    for (const v of found.slice(0, 12)) log(`         - ${v.message}`);
    if (found.length > 12) log(`         … and ${found.length - 12} more (violations.json)`);
  }
  if (s.result.unsettled.length) {
    log(`  unsettled (${s.result.unsettled.length}), not judged:`);
    for (const v of s.result.unsettled.slice(0, 12)) log(`         - [${v.check}] ${v.message}`);
  }
}

/** `level: error` events of the BFFs' JSON logs, and the simulator's unexpected errors. */
function errorLogEvents(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const events: string[] = [];
  for (const line of text.split('\n')) {
    if (line.includes('simulator: unexpected error')) events.push('simulator unexpected_error');
    if (!line.startsWith('{') || !line.includes('"level":"error"')) continue;
    try {
      const entry = JSON.parse(line) as { event?: unknown; status?: unknown };
      events.push(
        entry.event === 'request'
          ? `request answered ${String(entry.status)}`
          : String(entry.event),
      );
    } catch {
      // not one of ours
    }
  }
  return events;
}

let exitCode = 1;
let keep = true;
try {
  exitCode = await main();
  keep = exitCode !== 0 || args.keep;
} catch (err) {
  if (ending) await new Promise(() => {}); // the signal handler or the watchdog exits
  console.error(`chaos: FAILED: the run itself broke: ${(err as Error).stack ?? String(err)}`);
  exitCode = 1;
} finally {
  clearTimeout(watchdog);
  await cleanUp(keep);
}
process.exit(exitCode);
