// The panels every checkout page of the demo shares: the checkout-language and theme switches in the header
// and the log of events beside the page. Built here once, before demo.js wires them up, with
// textContent only (the pages run under Trusted Types).
function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const LANGUAGES = [
  ['en', 'English'],
  ['zh', '中文'],
  ['ms', 'Bahasa Melayu'],
  ['ta', 'தமிழ்'],
];
const select = element(
  'select',
  { id: 'lang-select' },
  ...LANGUAGES.map(([value, name]) => element('option', { value, lang: value }, name)),
);
const THEMES = [
  ['device', 'As the device'],
  ['light', 'Light'],
  ['dark', 'Dark'],
];
const theme = element(
  'select',
  { id: 'theme-select' },
  ...THEMES.map(([value, name]) => element('option', { value }, name)),
);
document
  .querySelector('.site-header')
  ?.append(
    element('label', { class: 'lang-picker' }, 'Checkout language ', select),
    element('label', { class: 'lang-picker' }, 'Theme ', theme),
  );

const code = element('code', {}, 'paysg-*');
document
  .querySelector('main.layout')
  ?.append(
    element(
      'aside',
      { class: 'event-log', 'aria-labelledby': 'log-title' },
      element(
        'div',
        { class: 'log-head' },
        element('h2', { id: 'log-title' }, 'Events received by this page'),
        element('button', { type: 'button', id: 'reset-demo' }, 'Start over'),
      ),
      element(
        'p',
        { class: 'hint' },
        'Every ',
        code,
        ' event the widget dispatches, with its detail.',
      ),
      element('ol', { id: 'event-log', 'aria-live': 'polite' }),
      element('h2', { id: 'bff-view-title' }, 'The checkout as the BFF sees it'),
      element(
        'pre',
        { id: 'bff-view', 'aria-labelledby': 'bff-view-title', tabindex: '0' },
        'No checkout yet.',
      ),
    ),
  );

// The snippet that embeds this page's checkout, read from the element itself once it is on the
// page (the permit page places it after asking the agency's backend), so it is always what runs.
const snippet = element('pre', { id: 'embed-snippet', tabindex: '0' });
const details = element(
  'details',
  { class: 'embed' },
  element('summary', {}, 'The snippet that embeds this checkout'),
  snippet,
);
document.querySelector('main.layout .content')?.append(details);
function showSnippet() {
  const checkout = document.querySelector('paysg-checkout');
  if (!checkout) return false;
  const attributes = [...checkout.attributes]
    .filter((a) => a.name !== 'id' && a.name !== 'class' && a.name !== 'lang' && a.name !== 'mode')
    .map(
      (a) => `\n    ${a.name}="${a.name === 'order-token' ? `${a.value.slice(0, 24)}…` : a.value}"`,
    )
    .join('');
  snippet.textContent = `<script type="module" src="/paysg/widget.{hash}.js"\n        integrity="sha384-…" crossorigin="anonymous"></script>\n<paysg-checkout${attributes}>\n</paysg-checkout>`;
  return true;
}
if (!showSnippet()) {
  const watch = new MutationObserver(() => showSnippet() && watch.disconnect());
  watch.observe(document.body, { childList: true, subtree: true });
}
