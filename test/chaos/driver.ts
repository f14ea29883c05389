/**
 * Runs a scenario against the BFF instances with bounded concurrency, injecting its faults into
 * the simulator, killing and restarting an instance on schedule, and recording every answer:
 * which checkout id and payment URL went to which browser for which order, and when.
 * @module
 */
import type { ManagedProcess } from './processes.js';
import { sleep } from './processes.js';
import type { Random } from './prng.js';
import {
  CATALOG_ITEM,
  expectedAmount,
  type Action,
  type CancelAction,
  type CreateAction,
  type CreateLabel,
  type PayAction,
  type Scenario,
} from './scenario.js';
import type { SimulatorClient } from './simulator-client.js';

/** A number is the HTTP status; the rest are ways of getting no answer. */
export type Outcome = number | 'refused' | 'reset' | 'timeout' | 'no_target' | `error: ${string}`;

export interface RequestRecord {
  index: number;
  kind: 'create' | 'cancel' | 'pay';
  label: CreateLabel | 'cancel' | 'pay' | 'pay-stale';
  reference: string;
  orderKind: 'catalog' | 'token';
  /** The browser's `X-PaySG-Browser` value. */
  browser?: string;
  instance?: number;
  idempotencyKey?: string;
  tokenVersion?: number;
  expectedAmountInCents?: number;
  /** Create: the one handed out; cancel: the one cancelled. */
  checkoutId?: string;
  paymentId?: string;
  paymentUrl?: string;
  /** The checkout status in a 2xx body. */
  checkoutStatus?: string;
  errorCode?: string;
  requestId?: string;
  sentAt: number;
  receivedAt: number;
  outcome: Outcome;
}

export interface FaultRecord {
  at: number;
  route: string;
  /** `status 500`, `latency`, `drop_response`, …; the delay, if any, in `ms`. */
  fault: string;
  ms?: number;
  count: number;
}

export interface InstanceEvent {
  at: number;
  instance: number;
  event: 'killed' | 'restarted' | 'restart_failed';
  detail?: string;
}

export interface DriverResult {
  records: RequestRecord[];
  faults: FaultRecord[];
  faultsSkipped: number;
  instanceEvents: InstanceEvent[];
  /** Actions never started because the driver's deadline passed. */
  notStarted: number;
}

export interface DriverOptions {
  scenario: Scenario;
  instances: ManagedProcess[];
  simulator: SimulatorClient;
  /** For choices that depend on what happened (which handed-out link a payer pays). */
  random: Random;
  allowedOrigin: string;
  basePath: string;
  concurrency: number;
  /**
   * Spread the actions over about this long, in bursts of `burst` started together (bursts
   * often hold several requests for one order: double clicks, two tabs), so that the instance
   * that is killed a third of the way in is down for a part of the run, not for most of it.
   */
  spreadOverMs: number;
  burst: number;
  deadline: number;
  restartAfterMs: number;
  /** Faults pending at the simulator per route, above which no more are added. */
  maxPendingFaults: Record<string, number>;
  log: (line: string) => void;
}

interface Handout {
  checkoutId: string;
  paymentUrl: string;
  receivedAt: number;
}

export function paymentIdOf(paymentUrl: string): string {
  return new URL(paymentUrl).pathname.split('/').filter(Boolean).at(-1)!;
}

function outcomeOfError(err: unknown): Outcome {
  const error = err as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout';
  const code = error.cause?.code ?? '';
  if (code === 'ECONNREFUSED') return 'refused';
  if (['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED'].includes(code)) return 'reset';
  return `error: ${code || error.cause?.message || error.message || String(err)}`;
}

export async function drive(options: DriverOptions): Promise<DriverResult> {
  const { scenario, instances, simulator } = options;
  const records: RequestRecord[] = [];
  const faults: FaultRecord[] = [];
  const instanceEvents: InstanceEvent[] = [];
  let faultsSkipped = 0;
  /** What each browser was last handed for each order, and every link handed out per order. */
  const lastCheckout = new Map<string, Handout>();
  const handouts = new Map<number, Handout[]>();
  let restart: Promise<void> | undefined;
  let faultLock: Promise<void> = Promise.resolve();

  const returnTo = `${options.allowedOrigin}/page`;
  const post = async (
    instance: number,
    path: string,
    browser: { secret: string; forwardedFor: string },
    body: unknown,
    key?: string,
  ) => {
    const headers: Record<string, string> = {
      Origin: options.allowedOrigin,
      'Content-Type': 'application/json',
      'X-PaySG-Checkout': '1',
      'X-PaySG-Browser': browser.secret,
      'X-Forwarded-For': browser.forwardedFor,
      ...(key !== undefined && { 'Idempotency-Key': key }),
    };
    return fetch(`${instances[instance]!.url}${options.basePath}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  };

  const readAnswer = async (response: Response) => {
    const body = (await response.json().catch(() => undefined)) as
      | {
          checkoutId?: string;
          status?: string;
          paymentUrl?: string;
          error?: { code?: string; requestId?: string };
        }
      | undefined;
    return {
      body,
      requestId: response.headers.get('x-request-id') ?? body?.error?.requestId ?? undefined,
    };
  };

  async function create(action: CreateAction): Promise<RequestRecord> {
    const { order, browser } = action;
    const record: RequestRecord = {
      index: action.index,
      kind: 'create',
      label: action.label,
      reference: order.reference,
      orderKind: order.kind,
      browser: browser.secret,
      instance: action.instance,
      ...(action.idempotencyKey !== undefined && { idempotencyKey: action.idempotencyKey }),
      ...(action.version && { tokenVersion: action.version.version }),
      expectedAmountInCents: expectedAmount(action),
      sentAt: Date.now(),
      receivedAt: 0,
      outcome: 0,
    };
    const body = action.version
      ? { orderToken: action.version.token, returnTo }
      : { item: CATALOG_ITEM, reference: order.reference, payer: { name: 'Tan Ah Kow' }, returnTo };
    try {
      const response = await post(
        action.instance,
        '/checkouts',
        browser,
        body,
        action.idempotencyKey,
      );
      const { body: answer, requestId } = await readAnswer(response);
      record.receivedAt = Date.now();
      record.outcome = response.status;
      if (requestId) record.requestId = requestId;
      if (response.ok && answer?.checkoutId) {
        record.checkoutId = answer.checkoutId;
        if (answer.status) record.checkoutStatus = answer.status;
        if (answer.paymentUrl) {
          record.paymentUrl = answer.paymentUrl;
          record.paymentId = paymentIdOf(answer.paymentUrl);
          const handout = {
            checkoutId: answer.checkoutId,
            paymentUrl: answer.paymentUrl,
            receivedAt: record.receivedAt,
          };
          lastCheckout.set(`${order.n}|${browser.secret}`, handout);
          handouts.set(order.n, [...(handouts.get(order.n) ?? []), handout]);
        }
      } else if (answer?.error?.code) {
        record.errorCode = answer.error.code;
      }
    } catch (err) {
      record.receivedAt = Date.now();
      record.outcome = outcomeOfError(err);
    }
    return record;
  }

  async function cancel(action: CancelAction): Promise<RequestRecord> {
    const { order, browser } = action;
    const target = lastCheckout.get(`${order.n}|${browser.secret}`);
    const record: RequestRecord = {
      index: action.index,
      kind: 'cancel',
      label: 'cancel',
      reference: order.reference,
      orderKind: order.kind,
      browser: browser.secret,
      instance: action.instance,
      sentAt: Date.now(),
      receivedAt: Date.now(),
      outcome: 'no_target',
    };
    if (!target) return record;
    record.checkoutId = target.checkoutId;
    try {
      const response = await post(
        action.instance,
        `/checkouts/${encodeURIComponent(target.checkoutId)}/cancel`,
        browser,
        {},
      );
      const { body: answer, requestId } = await readAnswer(response);
      record.receivedAt = Date.now();
      record.outcome = response.status;
      if (requestId) record.requestId = requestId;
      if (response.ok && answer?.status) record.checkoutStatus = answer.status;
      if (!response.ok && answer?.error?.code) record.errorCode = answer.error.code;
    } catch (err) {
      record.receivedAt = Date.now();
      record.outcome = outcomeOfError(err);
    }
    return record;
  }

  async function pay(action: PayAction): Promise<RequestRecord> {
    const { order } = action;
    const all = [...(handouts.get(order.n) ?? [])].sort((a, b) => a.receivedAt - b.receivedAt);
    const latest = all.at(-1);
    const older = all.filter((h) => latest && h.paymentUrl !== latest.paymentUrl);
    const target = action.stale && older.length ? options.random.pick(older) : latest;
    const record: RequestRecord = {
      index: action.index,
      kind: 'pay',
      label: action.stale && older.length ? 'pay-stale' : 'pay',
      reference: order.reference,
      orderKind: order.kind,
      sentAt: Date.now(),
      receivedAt: Date.now(),
      outcome: 'no_target',
    };
    if (!target) return record;
    record.checkoutId = target.checkoutId;
    record.paymentUrl = target.paymentUrl;
    record.paymentId = paymentIdOf(target.paymentUrl);
    try {
      const result = await simulator.pay(record.paymentId);
      record.outcome = result.status;
      if (result.code) record.errorCode = result.code;
    } catch (err) {
      record.outcome = outcomeOfError(err);
    }
    record.receivedAt = Date.now();
    return record;
  }

  /** One at a time, so "how many are pending" and "add one" do not interleave. */
  function injectFault(action: Action): Promise<void> {
    const plan = action.fault;
    if (!plan) return faultLock;
    faultLock = faultLock.then(async () => {
      const pending = (await simulator.pendingFaults()).filter(
        (r) => r.route === plan.route,
      ).length;
      if (pending >= (options.maxPendingFaults[plan.route] ?? 1)) {
        faultsSkipped++;
        return;
      }
      await simulator.addFault(plan);
      const fault = plan.fault.kind === 'status' ? `status ${plan.fault.status}` : plan.fault.kind;
      faults.push({
        at: Date.now(),
        route: plan.route,
        fault,
        ...(plan.fault.kind === 'latency' && { ms: plan.fault.ms }),
        count: plan.count,
      });
    });
    return faultLock;
  }

  /**
   * Slows PaySG's creates down first, so the kill is likely to catch some in flight: PaySG then
   * makes payments the victim never stores ("a crash between PaySG created it and we stored it").
   */
  async function killAndRestart(): Promise<void> {
    const victim = instances[scenario.killInstance]!;
    const slow = {
      route: 'create' as const,
      fault: { kind: 'latency' as const, ms: 2_000 },
      count: 4,
    };
    await simulator.addFault(slow);
    faults.push({
      at: Date.now(),
      route: slow.route,
      fault: 'latency, just before the kill',
      ms: slow.fault.ms,
      count: slow.count,
    });
    await sleep(600);
    await victim.kill();
    instanceEvents.push({ at: Date.now(), instance: scenario.killInstance, event: 'killed' });
    options.log(
      `  SIGKILL instance ${scenario.killInstance} (port ${victim.spec.port}) after action ${scenario.killAtAction}`,
    );
    restart = (async () => {
      await sleep(options.restartAfterMs);
      try {
        await victim.start(30_000);
        instanceEvents.push({
          at: Date.now(),
          instance: scenario.killInstance,
          event: 'restarted',
        });
        options.log(`  restarted instance ${scenario.killInstance} on port ${victim.spec.port}`);
      } catch (err) {
        instanceEvents.push({
          at: Date.now(),
          instance: scenario.killInstance,
          event: 'restart_failed',
          detail: (err as Error).message,
        });
      }
    })();
  }

  let next = 0;
  const startedAt = Date.now();
  const bursts = Math.ceil(scenario.actions.length / options.burst);
  const startOf = (index: number) =>
    startedAt + Math.floor(index / options.burst) * (options.spreadOverMs / bursts);
  const worker = async () => {
    while (next < scenario.actions.length && Date.now() < options.deadline) {
      const action = scenario.actions[next++]!;
      const wait = Math.min(startOf(action.index), options.deadline) - Date.now();
      if (wait > 0) await sleep(wait);
      if (action.index === scenario.killAtAction) await killAndRestart();
      await injectFault(action);
      const record =
        action.kind === 'create'
          ? await create(action)
          : action.kind === 'cancel'
            ? await cancel(action)
            : await pay(action);
      records.push(record);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  await restart;
  await faultLock;
  return {
    records,
    faults,
    faultsSkipped,
    instanceEvents,
    notStarted: scenario.actions.length - next,
  };
}
