// Shows every paysg-* event the widget dispatches, and lets the demo start over.
// Builds the DOM with textContent only: the page runs under Trusted Types.
const EVENTS = [
  'paysg-ready',
  'paysg-submit',
  'paysg-redirect',
  'paysg-paid',
  'paysg-pending',
  'paysg-cancel',
  'paysg-error',
];
const log = document.getElementById('event-log');
// The permit page adds its checkout later, once the agency's backend has signed the order.
const checkout = () => document.getElementById('checkout');

// Events of this page load, for anyone inspecting the demo from the console (and for the
// end-to-end tests).
window.paysgEvents = [];

// The log survives the trip to PaySG and back, so the whole story of a payment stays visible.
const HISTORY_KEY = 'demo-event-log';
const logged = JSON.parse(sessionStorage.getItem(HISTORY_KEY) ?? '[]');

function show(entry) {
  const item = document.createElement('li');
  const title = document.createElement('strong');
  title.textContent = entry.type;
  const time = document.createElement('time');
  time.textContent = new Date(entry.at).toLocaleTimeString();
  const detail = document.createElement('pre');
  detail.textContent = JSON.stringify(entry.detail, null, 2);
  item.append(title, ' ', time, detail);
  log.prepend(item);
}

logged.forEach(show);

// What GET /paysg/checkouts/{id} answers for the checkout the last event named: what the page
// may rely on (never payer details).
const bffView = document.getElementById('bff-view');
async function showBffView(checkoutId) {
  const response = await fetch(`/paysg/checkouts/${encodeURIComponent(checkoutId)}`);
  bffView.textContent = JSON.stringify(await response.json(), null, 2);
}

for (const name of EVENTS) {
  document.addEventListener(name, (event) => {
    const entry = { type: event.type, detail: event.detail, at: Date.now() };
    window.paysgEvents.push(entry);
    logged.push(entry);
    sessionStorage.setItem(HISTORY_KEY, JSON.stringify(logged.slice(-50)));
    show(entry);
    if (event.detail?.checkoutId && bffView)
      void showBffView(event.detail.checkoutId).catch(() => {});
  });
}

// The language switch sets the checkout's language only: the portal's own text is English, and
// <html lang> stays what the page is written in (a screen reader would otherwise read English
// with a Tamil voice).
const langSelect = document.getElementById('lang-select');
const savedLang = sessionStorage.getItem('demo-lang');
if (langSelect) {
  if (savedLang) langSelect.value = savedLang;
  langSelect.addEventListener('change', () => {
    sessionStorage.setItem('demo-lang', langSelect.value);
    checkout()?.setAttribute('lang', langSelect.value);
  });
}
if (savedLang) checkout()?.setAttribute('lang', savedLang);

document.getElementById('reset-demo')?.addEventListener('click', () => {
  for (const key of Object.keys(sessionStorage)) {
    if (key.startsWith('paysg-checkout:') || key.startsWith('demo-permit') || key === HISTORY_KEY)
      sessionStorage.removeItem(key);
  }
  location.assign(location.pathname);
});

// The theme switch: light or dark whatever the device prefers (demo.css sets the page's colours
// and the checkout's --paysg-color-* for each).
const themeSelect = document.getElementById('theme-select');
if (themeSelect) {
  const applyColorTheme = () => {
    sessionStorage.setItem('demo-color-theme', themeSelect.value);
    document.documentElement.classList.toggle('theme-light', themeSelect.value === 'light');
    document.documentElement.classList.toggle('theme-dark', themeSelect.value === 'dark');
  };
  themeSelect.value = sessionStorage.getItem('demo-color-theme') ?? 'device';
  themeSelect.addEventListener('change', applyColorTheme);
  applyColorTheme();
}

// The demo's popup switch: the same element with mode="popup".
const popupMode = document.getElementById('popup-mode');
if (popupMode) {
  popupMode.checked = sessionStorage.getItem('demo-popup') === '1';
  const apply = () => {
    sessionStorage.setItem('demo-popup', popupMode.checked ? '1' : '0');
    checkout()?.setAttribute('mode', popupMode.checked ? 'popup' : 'redirect');
  };
  popupMode.addEventListener('change', apply);
  apply();
}

// The demo's theme switch: the agency's colours applied from the page's own stylesheet.
const agencyTheme = document.getElementById('agency-theme');
if (agencyTheme) {
  agencyTheme.checked = sessionStorage.getItem('demo-theme') === 'agency';
  const applyTheme = () => {
    sessionStorage.setItem('demo-theme', agencyTheme.checked ? 'agency' : 'default');
    checkout()?.classList.toggle('agency-theme', agencyTheme.checked);
  };
  agencyTheme.addEventListener('change', applyTheme);
  applyTheme();
}

// A banner when payments go to a real PaySG, so nobody mistakes a staging trial for the simulator.
const BANNERS = {
  staging:
    'PaySG staging: a real PaySG test environment. Pay with Stripe test cards; no real money moves.',
  production: 'PaySG production: payments here move real money.',
  custom: 'Payments go to the PaySG API named by PAYSG_API_URL.',
};
fetch('/demo/environment.json')
  .then((response) => (response.ok ? response.json() : undefined))
  .then((environment) => {
    const text = environment && BANNERS[environment.paysg];
    if (!text) return;
    const banner = document.createElement('div');
    banner.className = `environment-banner environment-${environment.paysg}`;
    banner.setAttribute('role', 'note');
    banner.textContent = text;
    document.querySelector('.masthead')?.after(banner);
  })
  .catch(() => {});
