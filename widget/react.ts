/**
 * `<paysg-checkout>` in React 19's JSX: its properties, its attributes and an `onpaysg-*` handler
 * per event, typed. A TypeScript React app adds one line and declares nothing of its own:
 *
 *     import type {} from 'paysg-checkout/react';
 *
 * React 19 sets a custom element's known properties as properties, and wires `onpaysg-paid` to
 * the `paysg-paid` event.
 * @module
 */
import type { DetailedHTMLProps as ReactProps, HTMLAttributes as ReactAttributes } from 'react';
import type {
  PaysgCancelEvent,
  PaysgErrorEvent,
  PaysgPaidEvent,
  PaysgPendingEvent,
  PaysgReadyEvent,
  PaysgRedirectEvent,
  PaysgSubmitEvent,
} from './events.js';
import type { PaysgCheckout } from './paysg-checkout.js';

export interface PaysgCheckoutJsxProps
  extends Partial<
    Pick<
      PaysgCheckout,
      | 'endpoint'
      | 'item'
      | 'orderToken'
      | 'reference'
      | 'payerName'
      | 'payerEmail'
      | 'payerIdentifier'
      | 'payerAddress'
      | 'mode'
      | 'disabled'
    >
  > {
  'order-token'?: string;
  'payer-name'?: string;
  'payer-email'?: string;
  'payer-identifier'?: string;
  'payer-address'?: string;
  'onpaysg-ready'?: (event: PaysgReadyEvent) => void;
  'onpaysg-submit'?: (event: PaysgSubmitEvent) => void;
  'onpaysg-redirect'?: (event: PaysgRedirectEvent) => void;
  'onpaysg-paid'?: (event: PaysgPaidEvent) => void;
  'onpaysg-pending'?: (event: PaysgPendingEvent) => void;
  'onpaysg-cancel'?: (event: PaysgCancelEvent) => void;
  'onpaysg-error'?: (event: PaysgErrorEvent) => void;
}

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'paysg-checkout': ReactProps<ReactAttributes<PaysgCheckout>, PaysgCheckout> &
        PaysgCheckoutJsxProps;
    }
  }
}
