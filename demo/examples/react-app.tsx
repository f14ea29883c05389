/**
 * A React 19 page that embeds <paysg-checkout> and reacts to a verified payment. React 19 sets
 * the element's properties (`item`) and wires `onpaysg-*` props to its DOM events; the typings
 * come from the package (`paysg-checkout/react`), not from this page. The service chosen is kept
 * in the address bar, so coming back from PaySG shows the same one.
 */
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type {} from '../../widget/react.js';
import type { PaysgPaidDetail } from '../../widget/index.js';
import { chosenService, SERVICES, useService } from './services.js';

function LicenceServices() {
  const [item, setItem] = useState(chosenService);
  const [receipt, setReceipt] = useState<PaysgPaidDetail | null>(null);
  return (
    <main>
      <h1>Licence services (React)</h1>
      <label htmlFor="service">Service</label>
      <select
        id="service"
        value={item}
        onChange={(event) => setItem(useService(event.target.value))}
      >
        {Object.entries(SERVICES).map(([id, name]) => (
          <option key={id} value={id}>
            {name}
          </option>
        ))}
      </select>
      <paysg-checkout
        endpoint="/paysg"
        item={item}
        payerName="Tan Ah Kow"
        onpaysg-paid={(event) => setReceipt(event.detail)}
      />
      <p id="react-status" role="status">
        {receipt ? `Thank you: payment ${receipt.referenceId} received.` : 'Not paid yet.'}
      </p>
    </main>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('react-app: the page has no #root element');
createRoot(root).render(
  <StrictMode>
    <LicenceServices />
  </StrictMode>,
);
