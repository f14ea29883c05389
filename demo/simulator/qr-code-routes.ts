/**
 * `GET /v1/public/payments/{id}-qr.png`: the image behind `payment_qr_code_url`, which PaySG
 * returns though its guide does not document it (paysg-api.md §16.5; the path follows the
 * example Plumber shows). Public like PaySG's: no API key, the payment id is in the URL.
 * The QR code holds the hosted payment page's address.
 * @module
 */
import { Hono } from 'hono';
import QRCode from 'qrcode';
import { paysgError, type SimulatorState } from './simulator-state.js';

export function qrCodeRoutes(state: SimulatorState) {
  return new Hono().get('/payments/:file', async (c) => {
    const id = /^([A-Za-z0-9_-]{1,64})-qr\.png$/.exec(c.req.param('file'))?.[1];
    const payment = id ? state.ledger.find(id) : undefined;
    if (!payment)
      return paysgError(c, 404, 'not_found_error', 'payment_not_found', 'No such payment');
    const png = await QRCode.toBuffer(payment.payment_url, { type: 'png', margin: 2, width: 256 });
    c.header('Content-Type', 'image/png');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(new Uint8Array(png));
  });
}
