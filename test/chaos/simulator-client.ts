/**
 * What the chaos test asks of the simulator over HTTP: faults through `/_control/faults`,
 * paying a payment as its payer would (`/_control/payments/{id}/pay`), and PaySG's own list of
 * payments (`GET /v1/payment-services/{sid}/payments`, every page), which is the ledger the
 * store is checked against.
 * @module
 */
import type { Fault, SimulatedRoute } from '../../demo/simulator/fault-book.js';

/** The fields of a PaySG payment the check reads (paysg-api.md, the payment object). */
export interface LedgerPayment {
  id: string;
  reference_id: string;
  amount_in_cents: number;
  payment_status: string;
  latest_status: string;
  return_url: string | null;
  payment_url: string;
  created_at: string;
  payment_succeeded_timestamp: string | null;
  payment_cancelled_timestamp: string | null;
}

export interface FaultRuleRequest {
  fault: Fault;
  route: SimulatedRoute;
  count: number;
}

export type PayOutcome = { status: number; code?: string };

export class SimulatorClient {
  readonly #baseUrl: string;
  readonly #controlToken: string;
  readonly #apiKey: string;
  readonly #serviceId: string;

  constructor(options: {
    baseUrl: string;
    controlToken: string;
    apiKey: string;
    serviceId: string;
  }) {
    this.#baseUrl = options.baseUrl;
    this.#controlToken = options.controlToken;
    this.#apiKey = options.apiKey;
    this.#serviceId = options.serviceId;
  }

  async #control(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.#baseUrl}/_control${path}`, {
      method,
      headers: {
        'X-Simulator-Control': this.#controlToken,
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  }

  async addFault(rule: FaultRuleRequest): Promise<void> {
    const response = await this.#control('POST', '/faults', {
      ...rule,
      paymentServiceId: this.#serviceId,
    });
    if (response.status !== 201)
      throw new Error(`adding a fault answered ${response.status}: ${await response.text()}`);
  }

  /** The rules not used up yet. */
  async pendingFaults(): Promise<{ route?: SimulatedRoute; count?: number; fault: Fault }[]> {
    const response = await this.#control('GET', '/faults');
    if (response.status !== 200) throw new Error(`listing faults answered ${response.status}`);
    return (
      (await response.json()) as {
        faults: { route?: SimulatedRoute; count?: number; fault: Fault }[];
      }
    ).faults;
  }

  async clearFaults(): Promise<void> {
    const response = await this.#control('DELETE', '/faults');
    if (response.status !== 204) throw new Error(`clearing faults answered ${response.status}`);
  }

  /** Pays as the payer would on the hosted page; 409 when it is cancelled or already paid. */
  async pay(paymentId: string): Promise<PayOutcome> {
    const response = await this.#control('POST', `/payments/${encodeURIComponent(paymentId)}/pay`);
    const body = (await response.json().catch(() => undefined)) as
      | { error?: { code?: string } }
      | undefined;
    return { status: response.status, ...(body?.error?.code && { code: body.error.code }) };
  }

  /** Every payment of the payment service, through PaySG's list endpoint, page by page. */
  async allPayments(deadline: number): Promise<LedgerPayment[]> {
    const payments: LedgerPayment[] = [];
    let after: string | undefined;
    for (;;) {
      if (Date.now() > deadline) throw new Error('listing PaySG payments took too long');
      const query = new URLSearchParams({ limit: '100', ...(after && { after }) });
      const response = await fetch(
        `${this.#baseUrl}/v1/payment-services/${this.#serviceId}/payments?${query}`,
        {
          headers: { 'x-api-key': this.#apiKey },
          signal: AbortSignal.timeout(10_000),
        },
      );
      if (response.status !== 200)
        throw new Error(
          `listing PaySG payments answered ${response.status}: ${await response.text()}`,
        );
      const page = (await response.json()) as {
        data: LedgerPayment[];
        page_info: { has_next_page: boolean; end_cursor: string | null };
      };
      payments.push(...page.data);
      if (!page.page_info.has_next_page || !page.page_info.end_cursor) break;
      after = page.page_info.end_cursor;
    }
    if (new Set(payments.map((p) => p.id)).size !== payments.length)
      throw new Error('PaySG listed a payment twice');
    return payments;
  }
}
