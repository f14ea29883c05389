// The licence page's checkout. The stall (from the address, ?stall=01-23) and the licence period
// make the reference, so every tab of this page is the same order: one payment however many tabs
// are open, and a paid licence is not paid twice. Placed before demo.js applies the switches.
const stall =
  /^\d{2}-\d{2,3}$/.exec(new URLSearchParams(location.search).get('stall') ?? '')?.[0] ?? '01-23';
document.getElementById('stall').textContent = stall;
const checkout = document.createElement('paysg-checkout');
checkout.id = 'checkout';
checkout.setAttribute('endpoint', '/paysg');
checkout.setAttribute('item', 'stall-licence-renewal');
checkout.setAttribute('reference', `HS-${stall}-2027`);
checkout.setAttribute('payer-name', 'Tan Ah Kow');
document.getElementById('checkout-slot').replaceWith(checkout);
