// Shows every paysg-* event the widget dispatches, and lets the demo start over.
// Builds the DOM with textContent only: the page runs under Trusted Types.
const EVENTS = ['paysg-ready', 'paysg-submit', 'paysg-redirect', 'paysg-paid', 'paysg-pending', 'paysg-error'];
const log = document.getElementById('event-log');
const checkout = document.getElementById('checkout');

// Kept for anyone inspecting the demo from the console (and for the end-to-end tests).
window.paysgEvents = [];

for (const name of EVENTS) {
  document.addEventListener(name, (event) => {
    window.paysgEvents.push({ type: event.type, detail: event.detail });
    const item = document.createElement('li');
    const title = document.createElement('strong');
    title.textContent = event.type;
    const time = document.createElement('time');
    time.textContent = new Date().toLocaleTimeString();
    const detail = document.createElement('pre');
    detail.textContent = JSON.stringify(event.detail, null, 2);
    item.append(title, ' ', time, detail);
    log.prepend(item);
  });
}

const langSelect = document.getElementById('lang-select');
const savedLang = sessionStorage.getItem('demo-lang');
if (savedLang) {
  langSelect.value = savedLang;
  document.documentElement.lang = savedLang;
}
langSelect.addEventListener('change', () => {
  sessionStorage.setItem('demo-lang', langSelect.value);
  document.documentElement.lang = langSelect.value;
  checkout.setAttribute('lang', langSelect.value);
});
if (savedLang) checkout.setAttribute('lang', savedLang);

document.getElementById('reset-demo').addEventListener('click', () => {
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith('paysg-checkout:')) sessionStorage.removeItem(key);
  }
  location.assign('/');
});
