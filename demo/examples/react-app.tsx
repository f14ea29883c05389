/**
 * A React 19 page that embeds <paysg-checkout> and reacts to a verified payment. React 19 passes
 * attributes to custom elements and wires `on<event-name>` props to their DOM events.
 */
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { PaysgPaidDetail, PaysgPaidEvent } from '../../widget/index.js';

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'paysg-checkout': React.DetailedHTMLProps<React.HTMLAttributes<HTMLElement>, HTMLElement> & {
        endpoint?: string;
        item?: string;
        'payer-name'?: string;
        'onpaysg-paid'?: (event: PaysgPaidEvent) => void;
      };
    }
  }
}

function LicenceRenewal() {
  const [receipt, setReceipt] = useState<PaysgPaidDetail | null>(null);
  return (
    <main>
      <h1>Renew your licence (React)</h1>
      <paysg-checkout endpoint="/paysg" item="licence-renewal" payer-name="Tan Ah Kow" onpaysg-paid={(event) => setReceipt(event.detail)} />
      <p id="react-status" role="status">
        {receipt ? `Thank you: payment ${receipt.referenceId} received.` : 'Not paid yet.'}
      </p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LicenceRenewal />
  </StrictMode>,
);
