/**
 * PaySG calls per payment: one payer's create, return and ten tabs reading the status every
 * second for a minute, counted at the BFF's PaySG client (the in-process simulator, a test
 * clock moved one second at a time). PaySG is asked at most once per 3 s per checkout
 * (`verify-checkout.ts`), however many tabs ask.
 */
import { SIMULATOR_PAYMENT_SERVICE_ID } from '../demo/simulator/simulator.js';
import { createHarness } from '../test/helpers/bff-harness.js';

export interface PaysgCalls {
  creates: number;
  /** GETs from the payer's return. */
  returnGets: number;
  /** GETs while 10 tabs read an unpaid checkout's status every second for 60 s. */
  pollingGets: number;
  pollingSeconds: number;
  tabs: number;
  /** GETs once it is paid, as the same tabs keep reading. */
  paidGets: number;
}

export async function paysgCallsPerPayment(tabs = 10, seconds = 60): Promise<PaysgCalls> {
  const h = createHarness();
  try {
    const { json } = await h.createCheckout({}, { 'Idempotency-Key': 'paysg-calls' });
    const creates = h.paysgTraffic.posts;
    const paymentId = h.paymentIdOf(json.paymentUrl);
    let gets = h.paysgTraffic.gets;
    await h.get(
      `/return/${json.checkoutId}?paysg_payment_id=${paymentId}&paysg_payment_service_id=${SIMULATOR_PAYMENT_SERVICE_ID}`,
    );
    const returnGets = h.paysgTraffic.gets - gets;
    gets = h.paysgTraffic.gets;
    for (let second = 0; second < seconds; second++) {
      h.clock.advance(1000);
      await Promise.all(Array.from({ length: tabs }, () => h.get(`/checkouts/${json.checkoutId}`)));
    }
    const pollingGets = h.paysgTraffic.gets - gets;
    await h.payOnSimulator(paymentId);
    h.clock.advance(3000);
    await h.get(`/checkouts/${json.checkoutId}`);
    gets = h.paysgTraffic.gets;
    for (let second = 0; second < seconds; second++) {
      h.clock.advance(1000);
      await Promise.all(Array.from({ length: tabs }, () => h.get(`/checkouts/${json.checkoutId}`)));
    }
    return {
      creates,
      returnGets,
      pollingGets,
      pollingSeconds: seconds,
      tabs,
      paidGets: h.paysgTraffic.gets - gets,
    };
  } finally {
    await h.store.close();
  }
}
