/**
 * English: built into the widget, so a payer who reads English downloads nothing more. The other
 * languages are JSON files of the same shape, fetched on demand (load-messages.ts).
 */
import type { Messages } from './messages.js';

export const en: Messages = {
  loading: 'Loading payment details…',
  amount: 'Amount',
  pay: 'Pay {amount}',
  submitting: 'Preparing your payment…',
  redirecting: 'Taking you to PaySG to pay…',
  verifying: 'Confirming your payment with PaySG…',
  paidTitle: 'Payment received',
  paidBody: 'Thank you. Your payment has been confirmed.',
  reference: 'Reference',
  paidAt: 'Paid on',
  unpaidTitle: 'Payment not completed',
  unpaidBody:
    'You have not completed this payment. You can resume it; you will only be charged once.',
  resume: 'Resume payment',
  cancel: 'Cancel payment',
  cancelling: 'Cancelling your payment…',
  startAgain: 'Start a new payment',
  cancelledTitle: 'Payment cancelled',
  cancelledBody: 'This payment was cancelled. You have not been charged.',
  errorTitle: 'Something went wrong',
  retry: 'Try again',
  reload: 'Reload page',
  securedBy: 'Payments are processed securely by PaySG.',
  disabled: 'Payment is not available right now.',
  notConfigured: 'This payment is not set up correctly. Please contact the agency.',
  errors: {
    network_error: 'We could not reach the payment service. Check your connection and try again.',
    upstream_unavailable: 'PaySG is not responding right now. Please try again in a moment.',
    rate_limited: 'Too many attempts. Please wait a moment and try again.',
    checkout_in_progress: 'Your payment is still being set up. Please try again in a moment.',
    order_already_paid: 'This has already been paid. You have not been charged again.',
    order_token_expired: 'This page has expired. Reload it to see the current amount and pay.',
    order_token_superseded: 'This page has expired. Reload it to see the current amount and pay.',
  },
  genericError: 'The payment could not be started. Please try again.',
  errorReference: 'Reference for the agency: {id}',
  statusUnknown:
    'We could not confirm your payment yet. Do not pay again: if you have paid, your payment is safe. Check again in a moment.',
  statusUnknownTitle: 'We are checking your payment',
  checkAgain: 'Check again',
  awaitingTitle: 'Complete your payment in the PaySG window',
  awaitingBody: 'This page will update by itself once PaySG confirms your payment.',
  reopen: 'Show the payment window',
  nameLabel: 'Full name',
  nameError: 'Enter your full name.',
  emailLabel: 'Email address (optional)',
  emailHint: 'For your receipt.',
  emailError: 'Enter an email address like name@example.com.',
  chooseAmountLabel: 'Amount to pay (SGD)',
  amountError: 'Enter an amount from {min} to {max}.',
  payerChoosesAmount: 'You choose the amount',
};
