/**
 * The status fields of a PaySG payment as the simulator answers them (paysg-api.md §3.2, §4):
 * the values PaySG has been seen to send, and the simulator's choice where PaySG's is unknown.
 *
 *   create ──▶ payment unpaid, latest unpaid, refund not_refunded, e-mail unsent
 *   pay ──▶ payment paid, latest paid          cancel (unpaid only) ──▶ latest cancelled
 *   refund (paid only) ──▶ refund and latest partially_refunded or fully_refunded
 *   send-email (unpaid only) ──▶ e-mail sent
 *
 * The simulator reads PaySG's docs on its own and shares no status values with the BFF.
 * @module
 */

/** `payment_status`: whether the payer has paid (seen: `unpaid`, `paid`). */
export const PAYMENT_STATUS = {
  unpaid: 'unpaid',
  paid: 'paid',
} as const;

export type PaymentStatus = (typeof PAYMENT_STATUS)[keyof typeof PAYMENT_STATUS];

/**
 * `refund_status` (seen: `not_refunded`, `fully_refunded`). PaySG's partial value is unknown
 * (§3.2: the dashboard says "Partial refunded"); the simulator answers `partially_refunded`.
 */
export const REFUND_STATUS = {
  notRefunded: 'not_refunded',
  partiallyRefunded: 'partially_refunded',
  fullyRefunded: 'fully_refunded',
} as const;

export type RefundStatus = (typeof REFUND_STATUS)[keyof typeof REFUND_STATUS];

/**
 * `latest_status`: the payment's last change (seen: `unpaid`, `paid`, `cancelled`). After a
 * refund PaySG's value is unknown (§3.2); the simulator answers the refund status.
 */
export const LATEST_STATUS = {
  unpaid: PAYMENT_STATUS.unpaid,
  paid: PAYMENT_STATUS.paid,
  cancelled: 'cancelled',
  partiallyRefunded: REFUND_STATUS.partiallyRefunded,
  fullyRefunded: REFUND_STATUS.fullyRefunded,
} as const;

export type LatestStatus = (typeof LATEST_STATUS)[keyof typeof LATEST_STATUS];

/** `email_delivery_status`: whether the link was e-mailed (seen: `unsent`, `sent`). */
export const EMAIL_DELIVERY_STATUS = {
  unsent: 'unsent',
  sent: 'sent',
} as const;

export type EmailDeliveryStatus =
  (typeof EMAIL_DELIVERY_STATUS)[keyof typeof EMAIL_DELIVERY_STATUS];
