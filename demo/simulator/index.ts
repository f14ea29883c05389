/**
 * `paysg-checkout/simulator`: a stateful stand-in for PaySG (API, payment pages, webhooks and a
 * control API to make it decline, slow down or fail), for an agency's own tests. Its `handle` is
 * a fetch handler: serve it on a port, or pass it as the PaySG client's `fetch`.
 * @module
 */
export {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
  type Simulator,
  type SimulatorOptions,
} from './simulator.js';
