/**
 * PaySG's documented samples (paysg-api.md §3.2, §5, §7, §8.1), rebuilt field by field, so the
 * client's schemas are checked against what PaySG says it sends, doc slips included.
 */

/** The create-a-payment response, as in the guide (copied into Plumber's tests). */
export const CREATE_RESPONSE_SAMPLE = {
  id: 'ZbzTvadjmP0wd7RRxhWtj',
  payment_service_id: 'payment_service_fe5b1b0b-065a-43b8-939d-03ab2b67ede9',
  reference_id: 'PAYMENT_001',
  payer_name: 'Andy Lau',
  payer_address: 'Blk 123, Yishun Avenue 2, #08-88, Singapore 123456',
  payer_identifier: 'S1234567A',
  payer_email: 'abc@gmail.com',
  description: 'Payment for XXX',
  amount_in_cents: 1100,
  due_date: null,
  metadata: { 'product code': '123' },
  return_url: 'https://open.gov.sg',
  payment_url: 'http://pay.gov.sg/payments/ZbzTvadjmP0wd7RRxhWtj',
  payment_status: 'unpaid',
  latest_status: 'unpaid',
  refund_status: 'not_refunded',
  email_delivery_status: 'unsent',
  stripe_payment_intent_id: 'pi_xxx',
  payout_id: null,
  creator_id: 'user_xxx',
  created_at: '2023-08-03T17:36:52.634+08:00',
  updated_at: '2023-08-03T17:36:52.634+08:00',
  payment_sent_timestamp: null,
  payment_succeeded_timestamp: null,
  payment_cancelled_timestamp: null,
  payment_fully_refunded_timestamp: null,
  paid_out_timestamp: null,
  payment_qr_code_url: 'https://api-staging.pay.gov.sg/v1/public/payments/ZbzTvadjmP0wd7RRxhWtj-qr.png',
};

const EVENT_PAYMENT = {
  id: 'wLAnFWQLYyYNKBimc2ZkA',
  payment_service_id: 'payment_service_fd724c82-786b-43ba-b7d7-1eecab0388e1',
  reference_id: 'INV001',
  payer_name: 'John Doe',
  payer_identifier: 'S1234567A',
  payer_address: '36 Robinson Road, Singapore 068877',
  payer_email: 'john@example.com',
  description: 'Payment for XXX',
  // The guide's sample shows a fraction here, a doc slip; tolerated, never paid.
  amount_in_cents: 12.34,
  metadata: {},
  due_date: null,
  payment_url: 'https://pay.gov.sg/payments/wLAnFWQLYyYNKBimc2ZkA',
  payment_status: 'paid',
  latest_status: 'paid',
  refund_status: 'not_refunded',
  email_delivery_status: 'sent',
  // The guide's sample misspells this key.
  stripe_payment_intentId: 'pi_3NwXXX',
  payout_id: null,
  paid_out_timestamp: null,
  payment_cancelled_timestamp: null,
  payment_fully_refunded_timestamp: null,
  payment_sent_timestamp: '2023-07-31T10:01:48.761+08:00',
  payment_succeeded_timestamp: '2023-10-02T16:17:08.164+08:00',
  created_at: '2023-07-31T10:01:00.000+08:00',
  updated_at: '2023-10-02T16:17:08.164+08:00',
};

/** The `payment.succeeded` sample (webhooks/set-up/events, newer snake_case copy). */
export const EVENT_SAMPLE = {
  id: 'evt_752ced1f-00ce-4905-8c46-367371dd78e6',
  type: 'payment.succeeded',
  object: 'event',
  created_at: '2023-10-02T16:17:08.210+08:00',
  payment_service_id: 'payment_service_fd724c82-786b-43ba-b7d7-1eecab0388e1',
  data: { object: EVENT_PAYMENT },
};

/** The event object page's shape: `created` in epoch milliseconds instead of `created_at`. */
export const EVENT_OBJECT_SAMPLE = {
  id: 'evt_752ced1f-00ce-4905-8c46-367371dd78e6',
  type: 'payment.succeeded',
  object: 'event',
  created: 1696234628210,
  payment_service_id: 'payment_service_fd724c82-786b-43ba-b7d7-1eecab0388e1',
  data: { object: EVENT_PAYMENT },
};

/** The older webhooks page: the same event, camelCase keys inside `data.object`. */
export const EVENT_CAMEL_CASE_SAMPLE = {
  ...EVENT_SAMPLE,
  data: {
    object: {
      id: 'wLAnFWQLYyYNKBimc2ZkA',
      paymentServiceId: 'payment_service_fd724c82-786b-43ba-b7d7-1eecab0388e1',
      referenceId: 'INV001',
      payerName: 'John Doe',
      payerEmail: 'john@example.com',
      payerAddress: '36 Robinson Road, Singapore 068877',
      description: 'Payment for XXX',
      amountInCents: 1234,
      dueDate: null,
      paymentUrl: 'https://pay.gov.sg/payments/wLAnFWQLYyYNKBimc2ZkA',
      paymentStatus: 'paid',
      latestStatus: 'paid',
      payoutId: null,
      creatorId: 'user_xxx',
      createdAt: '2023-07-31T10:01:00.000+08:00',
      updatedAt: '2023-10-02T16:17:08.164+08:00',
    },
  },
};

/** The errors page's envelope; its sample body is not available, so a plausible one. */
export const ERROR_SAMPLE = {
  error: { type: 'invalid_request_error', code: 'parameter_invalid', message: 'payer_email is not a valid email', data: { param: 'payer_email' } },
};

/** The pagination page's envelope. Its sample cursor decodes to a `[created_at, …]` array. */
export const PAGE_SAMPLE = {
  data: [CREATE_RESPONSE_SAMPLE],
  page_info: {
    has_next_page: true,
    has_previous_page: false,
    start_cursor: 'WyIyMDIzLTA1LTEyVDE1OjA1OjQ3LjIxNCswODowMCIsIlpienpUdmFkam1QMHdkN1JSeGhXdGoiXQ==',
    end_cursor: 'WyIyMDIzLTA1LTEyVDE1OjA1OjQ3LjIxNCswODowMCIsIlpienpUdmFkam1QMHdkN1JSeGhXdGoiXQ==',
  },
};
