// When the demo runs against its PaySG simulator: buttons that make PaySG misbehave, each with a
// line saying what to expect, so every failure path can be seen in the browser. They call the
// simulator's control API (/simulator/_control). Hidden against a real PaySG.
const CONTROL = '/simulator/_control';

/** The PaySG payment of the checkout this page last sent to PaySG, from the event log. */
function lastPaymentId() {
  const event = [...(window.paysgEvents ?? [])].reverse().find((e) => e.detail?.paymentUrl);
  const kept = JSON.parse(sessionStorage.getItem('demo-event-log') ?? '[]')
    .reverse()
    .find((e) => e.detail?.paymentUrl);
  const url = (event ?? kept)?.detail.paymentUrl;
  return url ? new URL(url).pathname.split('/').pop() : undefined;
}

const fault = (rule) => ({ method: 'POST', path: '/faults', body: rule });

const CONTROLS = [
  {
    label: 'Decline the next payment',
    expect:
      'PaySG’s page declines your next Pay. Come back, and the checkout says the payment is not completed and offers to resume it.',
    request: () => fault({ fault: { kind: 'decline' }, count: 1 }),
  },
  {
    label: 'Make PaySG slow (3 s)',
    expect:
      'The next three calls to PaySG take 3 seconds: the checkout shows it is preparing the payment, and nothing is sent twice.',
    request: () => fault({ fault: { kind: 'latency', ms: 3000 }, count: 3 }),
  },
  {
    label: 'Make PaySG hang',
    expect:
      'PaySG never answers the next request to create a payment. After 20 s the checkout says it could not reach the payment service and offers Try again; while the BFF is still waiting for PaySG, it says the payment is being set up; a later try goes through, with one payment.',
    request: () => fault({ fault: { kind: 'hang' }, route: 'create', count: 1 }),
  },
  ...[429, 500, 503].map((status) => ({
    label: `PaySG answers ${status}`,
    expect: `PaySG answers the next request to create a payment with ${status}${status === 429 ? ' (too many requests)' : ''}. The checkout says PaySG is not responding and offers Try again, which sends the same request under the same key: one payment, never two.`,
    request: () => fault({ fault: { kind: 'status', status }, route: 'create', count: 1 }),
  })),
  {
    label: 'Drop PaySG’s answer',
    expect:
      'PaySG creates the next payment but its answer is lost. The BFF asks again with the same key and gets the same payment: you pay once.',
    request: () => fault({ fault: { kind: 'drop_response' }, route: 'create', count: 1 }),
  },
  {
    label: 'Pay without a browser',
    expect:
      'Pays this page’s last PaySG payment as if in another window. The checkout finds it paid at its next check (reload the page, or wait in popup mode).',
    request: () => {
      const id = lastPaymentId();
      if (!id) throw new Error('Press Pay first: there is no PaySG payment on this page yet.');
      return { method: 'POST', path: `/payments/${id}/pay` };
    },
  },
  {
    label: 'Send the last webhook again',
    expect:
      'PaySG delivers its last payment.succeeded event a second time, as it may: the BFF records the event once and changes nothing. (Needs PAYSG_WEBHOOK_SECRETS when starting the demo.)',
    request: () => ({ method: 'POST', path: '/webhooks/resend' }),
  },
  {
    label: 'Move PaySG’s clock 91 days',
    expect:
      'PaySG refunds only within 90 days: a refund in the back office is then refused, with PaySG’s reason.',
    request: () => ({
      method: 'POST',
      path: '/clock/advance',
      body: { ms: 91 * 24 * 60 * 60 * 1000 },
    }),
  },
  {
    label: 'Clear the faults',
    expect: 'PaySG behaves again.',
    request: () => ({ method: 'DELETE', path: '/faults' }),
  },
];

function build() {
  const panel = document.createElement('section');
  panel.className = 'simulator-controls';
  panel.setAttribute('aria-labelledby', 'simulator-controls-title');
  const title = document.createElement('h2');
  title.id = 'simulator-controls-title';
  title.textContent = 'Make the PaySG simulator misbehave';
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  status.className = 'hint';
  const list = document.createElement('ul');
  for (const control of CONTROLS) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = control.label;
    const line = document.createElement('p');
    line.className = 'hint';
    line.textContent = control.expect;
    button.addEventListener('click', async () => {
      try {
        const { method, path, body } = control.request();
        const response = await fetch(CONTROL + path, {
          method,
          ...(body && {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }),
        });
        if (!response.ok)
          throw new Error(
            (await response.json().catch(() => null))?.error?.message ??
              `The simulator answered ${response.status}`,
          );
        status.textContent = `Done: ${control.label}.`;
      } catch (err) {
        status.textContent = err.message;
      }
    });
    item.append(button, line);
    list.append(item);
  }
  panel.append(title, status, list);
  document.querySelector('.event-log')?.after(panel);
}

fetch('/demo/environment.json')
  .then((response) => (response.ok ? response.json() : undefined))
  .then((environment) => environment?.paysg === 'simulator' && build())
  .catch(() => {});
