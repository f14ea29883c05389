/**
 * Faults the simulator can inject, for tests and the demo: per payment service or for the next
 * N requests of a kind, set through the control API, or by magic values in `reference_id`.
 * @module
 */
import { z } from 'zod';

export const ROUTES = [
  'create',
  'retrieve',
  'list',
  'cancel',
  'send_email',
  'refund',
  'form_submission',
  'subscription_submission',
] as const;
export type SimulatedRoute = (typeof ROUTES)[number];

export const faultSchema = z.discriminatedUnion('kind', [
  /** Answer after this delay. */
  z.object({ kind: z.literal('latency'), ms: z.number().int().min(0).max(60_000) }),
  /** Never answer (until the client gives up, or `maxHangMs` passes). */
  z.object({ kind: z.literal('hang') }),
  /** Answer with this HTTP status and PaySG's error envelope. */
  z.object({
    kind: z.literal('status'),
    status: z.union([z.literal(429), z.literal(500), z.literal(503)]),
  }),
  /** Do the work (commit), then drop the connection without an answer. */
  z.object({ kind: z.literal('drop_response') }),
  /**
   * Do the work (commit), then hold the answer this long: PaySG has refunded (or created), and
   * the caller is still waiting when it crashes or gives up. The answer is replayed to the same key.
   */
  z.object({ kind: z.literal('hold'), ms: z.number().int().min(0).max(120_000) }),
  /** The payer's payment is declined on the hosted page. */
  z.object({ kind: z.literal('decline') }),
]);

export type Fault = z.infer<typeof faultSchema>;

export const faultRuleSchema = z
  .object({
    fault: faultSchema,
    /** Only requests on this payment service; all when absent. */
    paymentServiceId: z.string().optional(),
    /** Only this kind of request; all when absent. `decline` applies to the hosted page. */
    route: z.enum(ROUTES).optional(),
    /** How many requests it applies to; until cleared when absent. */
    count: z.number().int().min(1).optional(),
  })
  .strict();

export type FaultRule = z.infer<typeof faultRuleSchema>;

/**
 * Magic `reference_id` substrings, so a fault can be chosen from any client without the
 * control API. They apply to the create call of that payment, and `SIM-DECLINE` to its page.
 * A payment-form submission's `nonce` is its payment's reference, and works the same way.
 */
export const MAGIC_REFERENCES: Record<string, Fault> = {
  'SIM-DECLINE': { kind: 'decline' },
  'SIM-429': { kind: 'status', status: 429 },
  'SIM-500': { kind: 'status', status: 500 },
  'SIM-503': { kind: 'status', status: 503 },
  'SIM-HANG': { kind: 'hang' },
  'SIM-DROP': { kind: 'drop_response' },
  'SIM-SLOW': { kind: 'latency', ms: 2_000 },
};

/**
 * A magic value counts only as whole parts of the reference between dashes (`SIM-500`,
 * `LIC-SIM-500`, `SIM-500-7`): a real-looking `ORDER-SIM-5001` is an ordinary order.
 */
export function magicFaults(referenceId: string): Fault[] {
  const upper = referenceId.toUpperCase();
  return Object.entries(MAGIC_REFERENCES)
    .filter(([token]) => new RegExp(`(^|-)${token}(-|$)`).test(upper))
    .map(([, fault]) => fault);
}

interface ActiveRule extends FaultRule {
  id: number;
}

export class FaultBook {
  #rules: ActiveRule[] = [];
  #nextId = 1;

  add(rule: FaultRule): number {
    const id = this.#nextId++;
    this.#rules.push({ ...rule, id });
    return id;
  }

  clear(): void {
    this.#rules = [];
  }

  list(): ActiveRule[] {
    return this.#rules.map((r) => ({ ...r }));
  }

  /** The faults for one request, using up counted rules. */
  take(route: SimulatedRoute | 'page', paymentServiceId: string | undefined): Fault[] {
    const hits: Fault[] = [];
    for (const rule of this.#rules) {
      // A decline happens on the hosted page; every other fault on API requests.
      const forPage = rule.fault.kind === 'decline';
      if (forPage !== (route === 'page')) continue;
      if (!forPage && rule.route !== undefined && rule.route !== route) continue;
      if (rule.paymentServiceId !== undefined && rule.paymentServiceId !== paymentServiceId)
        continue;
      hits.push(rule.fault);
      if (rule.count !== undefined) rule.count--;
    }
    this.#rules = this.#rules.filter((r) => r.count === undefined || r.count > 0);
    return hits;
  }
}
