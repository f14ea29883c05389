/**
 * The schedule of one chaos run, decided up front from the seed: orders (catalog or order
 * token), the browsers that ask for them, and a list of actions (creates, retries, strangers,
 * repriced and stale tokens, cancels, payments) each aimed at one of the two instances, with
 * the faults to inject along the way and the moment to kill an instance.
 * @module
 */
import type { Fault, SimulatedRoute } from '../../demo/simulator/fault-book.js';
import { signOrderToken } from '../../server/orders/order-token.js';
import type { Random } from './prng.js';

export const CATALOG_ITEM = 'licence-renewal';
export const CATALOG_AMOUNT_IN_CENTS = 12_000;
export const CATALOG = {
  items: {
    [CATALOG_ITEM]: {
      description: 'Hawker stall licence renewal (12 months)',
      amountInCents: CATALOG_AMOUNT_IN_CENTS,
    },
  },
};

export interface Browser {
  /** `X-PaySG-Browser`: the random per-browser secret the widget keeps. */
  secret: string;
  /** `X-Forwarded-For` (the BFFs trust one proxy): each browser is its own client for rate limits. */
  forwardedFor: string;
}

export interface TokenVersion {
  version: number;
  amountInCents: number;
  /** Seconds; increasing with the version, so a newer token is the newer order. */
  iat: number;
  jti: string;
  token: string;
}

export interface ChaosOrder {
  n: number;
  reference: string;
  kind: 'catalog' | 'token';
  owner: Browser;
  strangers: Browser[];
  /** Order tokens issued so far, oldest first (token orders only). */
  versions: TokenVersion[];
}

export type CreateLabel = 'first' | 'retry' | 'again' | 'stranger' | 'reprice' | 'stale';

interface ActionBase {
  index: number;
  /** Added to the simulator just before this action runs (unless enough are pending). */
  fault?: { route: SimulatedRoute; fault: Fault; count: number };
}

export interface CreateAction extends ActionBase {
  kind: 'create';
  order: ChaosOrder;
  browser: Browser;
  label: CreateLabel;
  idempotencyKey: string | undefined;
  /** Token orders: which token this request carries. */
  version: TokenVersion | undefined;
  instance: number;
}

export interface CancelAction extends ActionBase {
  kind: 'cancel';
  order: ChaosOrder;
  /** Cancels the checkout this browser was last handed for the order. */
  browser: Browser;
  instance: number;
}

export interface PayAction extends ActionBase {
  kind: 'pay';
  order: ChaosOrder;
  /** Pay a link handed out earlier than the latest one (an old tab). */
  stale: boolean;
}

export type Action = CreateAction | CancelAction | PayAction;

export interface Scenario {
  orders: ChaosOrder[];
  actions: Action[];
  /** Kill an instance when this action is taken. */
  killAtAction: number;
  killInstance: number;
}

export interface ScenarioOptions {
  orders: number;
  creates: number;
  instances: number;
  /** The agency backend's order-token secret. */
  tokenSecret: string;
  /** Seconds; tokens are issued from a little before this, so none is from the future. */
  nowSeconds: number;
}

const MAX_TOKEN_VERSIONS = 4;

export async function buildScenario(random: Random, options: ScenarioOptions): Promise<Scenario> {
  let browsers = 0;
  const newBrowser = (): Browser => {
    const k = ++browsers;
    return {
      secret: random.token(24),
      forwardedFor: `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`,
    };
  };
  const tokenBase = options.nowSeconds - 300;
  const issue = async (order: ChaosOrder): Promise<TokenVersion> => {
    const version = order.versions.length + 1;
    const amountInCents = 3_000 + 500 * version + 10 * (order.n % 10);
    const iat = tokenBase + 20 * version;
    const jti = `chaos-${order.reference}-v${version}`;
    const token = await signOrderToken(
      {
        reference_id: order.reference,
        amount_in_cents: amountInCents,
        description: `Renovation permit fee (quote ${version})`,
        payer: { name: 'Lim Bee Leng' },
        jti,
      },
      options.tokenSecret,
      { now: iat, ttlSeconds: 600 },
    );
    const issued = { version, amountInCents, iat, jti, token };
    order.versions.push(issued);
    return issued;
  };

  const orders: ChaosOrder[] = [];
  const actions: Action[] = [];
  const createsOf = new Map<ChaosOrder, CreateAction[]>();
  let creates = 0;
  const instance = () => random.int(0, options.instances - 1);
  const freshKey = () => (random.chance(0.7) ? `chaos-${random.token(20)}` : undefined);

  const pushCreate = (
    order: ChaosOrder,
    browser: Browser,
    label: CreateLabel,
    version: TokenVersion | undefined,
    key: string | undefined,
  ) => {
    const action: CreateAction = {
      kind: 'create',
      index: actions.length,
      order,
      browser,
      label,
      idempotencyKey: key,
      version,
      instance: instance(),
    };
    actions.push(action);
    createsOf.get(order)!.push(action);
    creates++;
  };

  while (creates < options.creates) {
    const ordersLeft = options.orders - orders.length;
    const createsLeft = options.creates - creates;
    if (
      ordersLeft > 0 &&
      (orders.length === 0 ||
        ordersLeft >= createsLeft ||
        random.chance((1.6 * ordersLeft) / createsLeft))
    ) {
      const n = orders.length + 1;
      const order: ChaosOrder = {
        n,
        reference: `CHAOS-${n}`,
        kind: random.chance(0.45) ? 'token' : 'catalog',
        owner: newBrowser(),
        strangers: [],
        versions: [],
      };
      orders.push(order);
      createsOf.set(order, []);
      pushCreate(
        order,
        order.owner,
        'first',
        order.kind === 'token' ? await issue(order) : undefined,
        freshKey(),
      );
      continue;
    }

    // Mostly the orders opened lately (bursts on one order), sometimes any.
    const order = random.chance(0.7) ? random.pick(orders.slice(-8)) : random.pick(orders);
    const previous = createsOf.get(order)!;
    const kind = random.weighted<
      'retry' | 'again' | 'stranger' | 'reprice' | 'stale' | 'cancel' | 'pay'
    >([
      [25, 'retry'],
      [15, 'again'],
      [15, 'stranger'],
      [8, 'reprice'],
      [5, 'stale'],
      [12, 'cancel'],
      [6, 'pay'],
    ]);
    const latest = order.versions.at(-1);
    switch (kind) {
      case 'retry': {
        // The same request again: same browser, same body, same Idempotency-Key.
        const original = random.pick(previous);
        pushCreate(order, original.browser, 'retry', original.version, original.idempotencyKey);
        break;
      }
      case 'again':
        pushCreate(order, random.pick(previous).browser, 'again', latest, freshKey());
        break;
      case 'stranger': {
        if (order.strangers.length === 0 || (order.strangers.length < 2 && random.chance(0.5)))
          order.strangers.push(newBrowser());
        // For a token order, the other browser holds the same token (another device of the payer's).
        pushCreate(order, random.pick(order.strangers), 'stranger', latest, freshKey());
        break;
      }
      case 'reprice':
        if (order.kind === 'token' && order.versions.length < MAX_TOKEN_VERSIONS) {
          pushCreate(order, order.owner, 'reprice', await issue(order), freshKey());
        } else {
          pushCreate(order, random.pick(previous).browser, 'again', latest, freshKey());
        }
        break;
      case 'stale':
        if (order.kind === 'token' && order.versions.length >= 2) {
          const older = random.pick(order.versions.slice(0, -1));
          pushCreate(
            order,
            random.chance(0.7) ? order.owner : random.pick([order.owner, ...order.strangers]),
            'stale',
            older,
            freshKey(),
          );
        } else {
          pushCreate(order, random.pick(previous).browser, 'again', latest, freshKey());
        }
        break;
      case 'cancel':
        actions.push({
          kind: 'cancel',
          index: actions.length,
          order,
          browser: random.pick(previous).browser,
          instance: instance(),
        });
        break;
      case 'pay':
        actions.push({ kind: 'pay', index: actions.length, order, stale: random.chance(0.2) });
        break;
    }
  }

  for (const action of actions) {
    if (!random.chance(0.12)) continue;
    const route: SimulatedRoute = random.chance(0.6) ? 'create' : 'cancel';
    const fault = random.weighted<Fault>([
      [1, { kind: 'status', status: 500 }],
      [1, { kind: 'status', status: 503 }],
      [1, { kind: 'status', status: 429 }],
      [1, { kind: 'latency', ms: random.int(200, 2_500) }],
      [1, { kind: 'drop_response' }],
    ]);
    action.fault = { route, fault, count: random.int(1, 2) };
  }

  return {
    orders,
    actions,
    killAtAction: Math.floor(actions.length / 3),
    killInstance: instance(),
  };
}

/** What a create request for this action should be charged, as the agency decided it. */
export function expectedAmount(action: CreateAction): number {
  return action.version?.amountInCents ?? CATALOG_AMOUNT_IN_CENTS;
}
