// The page asks the agency's backend for the signed order, then places the checkout with it.
// The order is kept for this tab, as an agency keeps an application, so coming back from PaySG
// shows the same order ("Start over" forgets it).
const slot = document.getElementById('checkout-slot');
const ORDER_KEY = 'demo-permit-order';

async function fetchOrder(application) {
  const query = application ? `?application=${encodeURIComponent(application)}` : '';
  const response = await fetch(`/agency/permit-order${query}`, {
    headers: { Accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const order = await response.json();
  sessionStorage.setItem(ORDER_KEY, JSON.stringify(order));
  return order;
}

async function placeCheckout() {
  let order;
  try {
    const kept = sessionStorage.getItem(ORDER_KEY);
    order = kept ? JSON.parse(kept) : await fetchOrder();
  } catch {
    const message = document.createElement('p');
    message.setAttribute('role', 'alert');
    message.textContent = 'The order could not be loaded. Please reload the page.';
    slot.replaceChildren(message);
    return;
  }
  document.getElementById('application').textContent = order.application;
  const checkout = document.createElement('paysg-checkout');
  checkout.id = 'checkout';
  checkout.setAttribute('endpoint', '/paysg');
  checkout.setAttribute('order-token', order.orderToken);
  const lang = sessionStorage.getItem('demo-lang');
  if (lang) checkout.setAttribute('lang', lang);
  // Order tokens live minutes: when this one has expired (the payer read the page a while), the
  // agency's backend signs a fresh one for the same application and the widget quotes it again.
  checkout.addEventListener('paysg-error', async (event) => {
    if (
      event.detail.code !== 'order_token_expired' &&
      event.detail.code !== 'order_token_superseded'
    )
      return;
    try {
      checkout.orderToken = (await fetchOrder(order.application)).orderToken;
    } catch {
      // The widget already offers to reload the page.
    }
  });
  slot.replaceChildren(checkout);
}

placeCheckout();
