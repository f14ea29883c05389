/**
 * The back office page: sign in, find checkouts (search, status, Singapore days), one checkout
 * with PaySG's payment, its refunds and its history; refund (with a reason, and a second person's
 * approval above the agency's amount), approve or decline a refund, cancel an unpaid checkout;
 * the audit. Talks only to the BFF's back office API beside it (./api/…), with the session
 * cookie the BFF set at sign-in.
 *
 * Plain ES module, no build step, no dependencies. Runs under a strict CSP with Trusted Types
 * required: the DOM is built with createElement and textContent only, never HTML from strings.
 * Every string staff read is in `T` below, so the page can be translated later.
 *
 * Refunds move money, so each attempt carries an Idempotency-Key kept in localStorage until its
 * answer is final: a reload, a dropped connection or an ended session re-sends the same key and
 * body, and the server replays its answer instead of refunding twice.
 */

/* ---------------------------------------------------------------------------------------------
 * Words. Functions take values already formatted (money, times, names).
 * ------------------------------------------------------------------------------------------- */
const T = {
  locale: 'en-SG',
  productName: 'Payments back office',
  skipLink: 'Skip to main content',
  navLabel: 'Back office',
  navCheckouts: 'Checkouts',
  navAudit: 'Audit',
  roleView: 'can view',
  roleRefund: 'can view and refund',
  signedInAs: 'Signed in as',
  signOut: 'Sign out',
  signingOut: 'Signing out…',
  loading: 'Checking whether you are signed in…',
  pageTitle: (view) => `${view} · Payments back office`,

  signInTitle: 'Sign in',
  signInLead: 'Sign in with your agency account to find payments, refund them and read the audit.',
  signInButton: 'Sign in with your agency account',
  signInRefused:
    "Your account is signed in at your identity provider but is not on this back office's staff list. Ask an administrator to add you.",
  signInFailed: 'Signing in did not complete. Try again.',
  signedOut: 'You have signed out.',
  sessionEnded: 'Your session ended; sign in again.',

  unavailableTitle: 'The back office is not answering',
  tryAgain: 'Try again',
  networkError: 'The back office could not be reached. Check your connection and try again.',
  serverError: (status) =>
    `The back office answered with an error (${status}). Try again in a moment.`,
  badAnswer: 'The back office gave an answer this page cannot read. Try again in a moment.',
  supportReference: (id) => `Reference for support: ${id}`,
  errorPrefix: 'Error:',

  checkoutsTitle: 'Checkouts',
  searchLabel: 'Find checkouts',
  filterSearch: 'Reference, payer name or id',
  filterSearchHint:
    'Part of a reference or payer name, in any case, or a whole checkout id or PaySG payment id.',
  filterStatus: 'Status',
  filterAnyStatus: 'Any status',
  filterFrom: 'Created from',
  filterTo: 'Created to',
  filterDaysHint: 'Days in Singapore time, both included.',
  filterToBeforeFrom: 'The last day is before the first day. Enter a day on or after the first.',
  searchButton: 'Search',
  clearFilters: 'Clear filters',
  exportCheckouts: 'Export these checkouts (CSV)',
  captionLatest: 'Latest checkouts, newest first',
  captionFound: 'Checkouts found, newest first',
  shownCount: (n, more) =>
    `${n === 1 ? '1 checkout' : `${n} checkouts`} shown${more ? '; older ones follow' : ''}.`,
  moreShown: (n) => `${n === 1 ? '1 older checkout' : `${n} older checkouts`} added.`,
  nothingYet: 'There are no checkouts yet.',
  nothingFound:
    'No checkouts match these filters. Check the spelling, or search for less of the reference or name.',
  moreCheckouts: 'Older checkouts',
  colReference: 'Reference',
  colStatus: 'Status',
  colAmount: 'Amount',
  colRefunded: 'Refunded',
  colPayer: 'Payer',
  colCreated: 'Created (Singapore time)',
  refundInProgressShort: 'refund in progress',

  statusLabels: {
    created: 'Not started',
    unpaid: 'Unpaid',
    paid: 'Paid',
    partially_refunded: 'Partly refunded',
    refunded: 'Refunded in full',
    cancelled: 'Cancelled',
    failed: 'Failed',
  },

  backToCheckouts: 'Back to checkouts',
  checkoutLoading: 'Loading the checkout…',
  checkoutLoadingTitle: 'Checkout',
  checkoutNotFoundTitle: 'Checkout not found',
  checkoutNotFound: 'No checkout has this id. It may have been typed or copied wrongly.',
  detailsTitle: 'Details',
  factStatus: 'Status',
  factAmount: 'Amount',
  factRefunded: 'Refunded',
  factRefundable: 'Can still be refunded',
  factPayer: 'Payer',
  factPayerEmail: 'Payer e-mail',
  factItem: 'Item',
  factCreated: 'Created',
  factPaid: 'Paid',
  factUpdated: 'Last changed',
  factCheckoutId: 'Checkout id',
  factPaymentId: 'PaySG payment id',
  factAtPaysg: 'At PaySG',
  factPaidOut: 'Paid out to the agency',
  noPaymentYet: 'None yet',
  paysgProblem: (text) => `PaySG could not be asked about this payment just now: ${text}`,
  paysgPaid: 'Paid at PaySG',
  paysgPaidPartlyRefunded: 'Paid, partly refunded at PaySG',
  paysgPaidRefunded: 'Paid, refunded in full at PaySG',
  paysgUnpaid: 'Not paid at PaySG',
  paysgCancelled: 'Cancelled at PaySG',
  paysgUnknown: 'PaySG gave a status this page does not know',

  refundTitle: 'Refund',
  refundAmountLabel: 'Amount to refund, in SGD',
  refundAmountHint: (left) => `${left} can still be refunded. Leave empty to refund all of it.`,
  refundReasonLabel: 'Reason for the refund',
  reasonHint: 'It is kept in the audit with your name. 3 to 500 characters.',
  refundButton: 'Refund…',
  refundNotANumber: 'Enter the amount in dollars, like 20 or 20.50',
  refundZero: (zero) => `Enter an amount above ${zero}`,
  refundTooMuch: (most) => `At most ${most} can be refunded`,
  reasonMissing: 'Enter the reason',
  reasonTooShort: 'Enter a reason of at least 3 characters',
  reasonTooLong: (n) => `Shorten the reason to 500 characters or fewer (it has ${n})`,
  refundInProgress: 'A refund is in progress',
  refundInProgressMore:
    'Another refund can be asked for once it is approved, declined or confirmed by PaySG.',
  refundNothingLeft: 'Nothing is left to refund.',
  refundViewOnly:
    'Your account can view checkouts but not refund them. Ask an administrator for the refund role.',
  pendingAttempt: (amount, at) =>
    `A refund of ${amount} started here is not confirmed yet (started ${at}).`,
  pendingAttemptMore: 'Check again sends the same request, so it can never refund twice.',
  checkAgain: 'Check again',
  confirmRefundTitle: (amount, payer, reference) =>
    `Refund ${amount} to ${payer} for ${reference}?`,
  confirmRefundReason: (reason) => `Reason: “${reason}”`,
  confirmRefundApproval: (over) =>
    `Refunds above ${over} need a second person with the refund role to approve them. This one will wait for their approval.`,
  confirmRefundYes: (amount) => `Refund ${amount}`,
  goBack: 'Go back',
  thePayer: 'the payer',
  refunding: (amount) => `Refunding ${amount}…`,
  refundSucceeded: (amount, payer, reference) => `Refunded ${amount} to ${payer} for ${reference}.`,
  refundAwaitingApproval: (amount) =>
    `Refund of ${amount} is waiting for a second person with the refund role to approve it.`,
  refundRequested:
    'PaySG has not confirmed the refund yet. It is recorded as in progress and will be checked again; do not refund again.',
  refundFailed: (amount, failure) =>
    `PaySG did not make the refund of ${amount}${failure ? `: ${failure}` : '.'}`,
  refundDeclined: (amount) => `The refund of ${amount} was declined. Nothing was refunded.`,
  refundNoAnswer:
    'The refund was sent but its answer did not arrive, so it may or may not have been made. Check again sends the same request: it can never refund twice.',
  refundRefused: (message) => `PaySG refused the refund: ${message}`,
  refundKeyMismatch:
    'This refund attempt no longer matches what was sent first. Nothing more was refunded; start again.',
  forbidden: 'Your account can view checkouts but not refund, approve or cancel them.',

  refundsTitle: 'Refunds',
  refundHeading: (amount, status) => `${amount}: ${status}`,
  refundAskedBy: 'Asked for by',
  refundReason: 'Reason',
  refundApprovedBy: 'Approved by',
  refundSettled: 'Confirmed by PaySG',
  refundFailure: 'What went wrong',
  personAt: (person, at) => `${person}, ${at}`,
  approve: 'Approve…',
  decline: 'Decline…',
  ownRefund: 'You asked for this refund; another person with the refund role must approve it',
  confirmApproveTitle: (amount, payer, reference) =>
    `Approve the refund of ${amount} to ${payer} for ${reference}?`,
  confirmApproveAskedBy: (person) => `Asked for by ${person}.`,
  confirmApproveYes: (amount) => `Approve and refund ${amount}`,
  approving: 'Approving…',
  approvedSucceeded: (amount, payer, reference) =>
    `Approved: refunded ${amount} to ${payer} for ${reference}.`,
  confirmDeclineTitle: (amount, reference) => `Decline the refund of ${amount} for ${reference}?`,
  confirmDeclineBody:
    'Nothing is refunded. The person who asked for it can see your reason in the history.',
  declineReasonLabel: 'Reason for declining',
  confirmDeclineYes: 'Decline the refund',
  declining: 'Declining…',

  cancelTitle: 'Cancel',
  cancelLead: 'Cancelling stops the payer from paying: PaySG cancels its payment link too.',
  cancelButton: 'Cancel this checkout…',
  confirmCancelTitle: (reference) => `Cancel the checkout ${reference}?`,
  confirmCancelBody: 'The payer can no longer pay it. This cannot be undone.',
  cancelReasonLabel: 'Reason for cancelling',
  confirmCancelYes: 'Cancel the checkout',
  keepIt: 'Keep it',
  cancelling: 'Cancelling…',
  cancelled: (reference) => `Cancelled ${reference}. The payer can no longer pay it.`,

  historyTitle: 'History',
  historyEmpty: 'Nothing has happened to this checkout yet.',
  historyBy: (who) => `By ${who}`,
  historyReason: (reason) => `“${reason}”`,

  auditTitle: 'Audit',
  auditLead:
    'What staff did, newest first: refunds and their approvals, cancels, sign-ins, letter downloads and e-mails sent again. Who did it, why, and what came of it.',
  exportAudit: 'Export the audit (CSV)',
  auditCaption: 'Staff actions, newest first',
  auditShown: (n, more) =>
    `${n === 1 ? '1 event' : `${n} events`} shown${more ? '; older ones follow' : ''}.`,
  auditMoreShown: (n) => `${n === 1 ? '1 older event' : `${n} older events`} added.`,
  auditEmpty: 'Nothing has been recorded yet.',
  moreAudit: 'Older events',
  colWhen: 'When (Singapore time)',
  colWhat: 'What',
  colWho: 'Who',
  colCheckout: 'Checkout',
  colReason: 'Reason',
  colOutcome: 'Outcome',
  apiToken: 'API token',
};

/** How many rows a page of the list or the audit asks for. */
const PAGE_SIZE = 25;
/** Where an unfinished refund attempt is kept, per checkout. */
const ATTEMPT_PREFIX = 'paysg-admin-refund:';
/** Where the view is kept across the identity provider's round trip (it drops the URL's hash). */
const RETURN_KEY = 'paysg-admin-return';
const REASON_MIN = 3;
const REASON_MAX = 500;

/* ---------------------------------------------------------------------------------------------
 * Formatting: money and times in one place each.
 * ------------------------------------------------------------------------------------------- */
const amountFormat = new Intl.NumberFormat(T.locale, {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
// Singapore time, as PaySG, its payout reports and the agency's finance staff count it.
const timeFormat = new Intl.DateTimeFormat(T.locale, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'Asia/Singapore',
});

/** `12000` → `SGD 120.00`. */
function money(cents, currency = 'SGD') {
  return `${currency} ${amountFormat.format(cents / 100)}`;
}

/** An ISO-8601 instant → `7 Dec 2026, 1:30 pm`, Singapore time. */
function when(iso) {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? '' : timeFormat.format(time);
}

function timeElement(iso) {
  return h('time', { datetime: iso, text: when(iso) });
}

/** Staff type dollars: `20`, `20.5`, `20.50`, `$1,250` → cents, parsed as text (never through floating point). */
function centsFromDollars(text) {
  const value = text.trim().replace(/^(S?\$|SGD)\s*/i, '');
  const match = /^(\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return undefined;
  return Number(match[1].replaceAll(',', '')) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

function personText(person) {
  if (!person) return '';
  const name = person.name || (person.kind === 'token' ? T.apiToken : '');
  if (name && person.email) return `${name} (${person.email})`;
  return name || person.email || '';
}

/** PaySG's own view of the payment, in words: "Paid, refunded in full at PaySG". */
function paysgStatusText(payment) {
  const paid = payment.payment_status === 'paid';
  if (paid && payment.refund_status === 'fully_refunded') return T.paysgPaidRefunded;
  if (paid && payment.refund_status === 'partially_refunded') return T.paysgPaidPartlyRefunded;
  if (paid) return T.paysgPaid;
  // A cancelled payment stays unpaid; PaySG says so in its latest status.
  if (payment.payment_status === 'unpaid' && payment.latest_status === 'cancelled')
    return T.paysgCancelled;
  if (payment.payment_status === 'unpaid') return T.paysgUnpaid;
  return T.paysgUnknown;
}

/* ---------------------------------------------------------------------------------------------
 * The DOM, built without HTML strings.
 * ------------------------------------------------------------------------------------------- */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** Children as `h` takes them: nested arrays flattened; null, undefined, false and '' left out. */
const present = (children) =>
  children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false && c !== '');

/** Replaces an element's children (replaceChildren alone would write "null" for a missing one). */
function setChildren(el, ...children) {
  el.replaceChildren(...present(children));
}

/** `h('p', { class: 'hint', text: 'Hello' }, child…)`: attributes by setAttribute, text by textContent. */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') el.textContent = value;
    else if (key === 'class') el.className = value;
    else if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  el.append(...present(children));
  return el;
}

function facts(rows) {
  return h(
    'dl',
    { class: 'facts' },
    rows
      .filter(Boolean)
      .map(([term, value]) => h('div', {}, h('dt', { text: term }), h('dd', {}, value))),
  );
}

/** Moves focus to an element that is not otherwise focusable (headings, messages), for screen readers and keyboards alike. */
function focusOn(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex') && !el.matches('a[href], button, input, select, textarea'))
    el.setAttribute('tabindex', '-1');
  el.focus();
  // Headings at the top of a long page stay in view; a message or a row scrolls to where it is.
  if (typeof el.scrollIntoView === 'function') el.scrollIntoView({ block: 'nearest' });
}

/* ---------------------------------------------------------------------------------------------
 * Messages: one live region at the top of main.
 * ------------------------------------------------------------------------------------------- */
function showMessage(kind, text, { requestId, focus = false } = {}) {
  const box = $('message');
  box.className = `message message-${kind}`;
  setChildren(
    box,
    h('p', { text }),
    requestId ? h('p', { class: 'message-detail', text: T.supportReference(requestId) }) : null,
  );
  box.hidden = false;
  if (focus) focusOn(box);
}

function clearMessage() {
  const box = $('message');
  box.hidden = true;
  box.replaceChildren();
}

/* ---------------------------------------------------------------------------------------------
 * The API. Same origin, the session cookie, JSON both ways, one error shape.
 * ------------------------------------------------------------------------------------------- */
class ApiError extends Error {
  constructor(status, error, fallback) {
    super(error?.message || fallback);
    this.status = status;
    this.code = error?.code ?? (status === 0 ? 'network_error' : 'unknown');
    this.requestId = error?.requestId;
    this.issues = Array.isArray(error?.issues) ? error.issues : [];
  }
}

/** Thrown after a 401 has sent the page back to the sign-in screen: callers have nothing more to do. */
class SessionEnded extends Error {}

/**
 * `fetch` with the session cookie; JSON in, JSON out. A 401 ends the session on screen unless
 * `handle401` is false (the first look at ./api/me, and signing out).
 */
async function api(path, { method = 'GET', body, headers = {}, handle401 = true } = {}) {
  let response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      headers: {
        Accept: 'application/json',
        ...(body !== undefined && { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, null, T.networkError);
  }
  const data = await response.json().catch(() => null);
  if (response.ok) {
    if (data === null || typeof data !== 'object')
      throw new ApiError(response.status, null, T.badAnswer);
    return { status: response.status, data };
  }
  if (response.status === 401 && handle401) {
    sessionEnded();
    throw new SessionEnded();
  }
  const fallback = response.status >= 500 ? T.serverError(response.status) : T.badAnswer;
  throw new ApiError(response.status, data?.error, fallback);
}

/** Shows what went wrong in the live region and moves focus there (unless the session ended: the sign-in screen says so). */
function report(error) {
  if (error instanceof SessionEnded) return;
  if (error instanceof ApiError) {
    showMessage('error', error.message, { requestId: error.requestId, focus: true });
    return;
  }
  console.error(error);
  showMessage('error', T.badAnswer, { focus: true });
}

/* ---------------------------------------------------------------------------------------------
 * Views and the hash router: #checkouts, #checkout/{id}, #submission/{id} (the checkouts view
 * with that FormSG submission found, for a link from elsewhere), #audit.
 * ------------------------------------------------------------------------------------------- */
const VIEWS = ['loading', 'sign-in', 'unavailable', 'checkouts', 'checkout', 'audit'];
/** Who is signed in (./api/me), or null. */
let me = null;
/** Bumped on each view change, so an answer that arrives after staff moved on is dropped. */
let viewToken = 0;
/** The checkout last opened, so "Back to checkouts" returns focus to its row. */
let lastOpenedId = null;
/** The view on screen, so the list knows when staff come back to it from a checkout. */
let currentView = 'loading';

function showView(name, title) {
  currentView = name;
  for (const view of VIEWS) $(`view-${view}`).hidden = view !== name;
  document.title = title ? T.pageTitle(title) : T.productName;
  const inList = name === 'checkouts' || name === 'checkout';
  for (const [link, current] of [
    [$('nav-checkouts'), inList],
    [$('nav-audit'), name === 'audit'],
  ]) {
    if (current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

const canRefund = () => Boolean(me?.roles?.includes('refund'));

function route({ initial = false } = {}) {
  if (!me) return;
  const token = ++viewToken;
  const hash = location.hash.slice(1);
  if (!initial) clearMessage();
  if (hash === 'audit') {
    void showAudit(token);
    return;
  }
  if (hash.startsWith('submission/')) {
    let id = '';
    try {
      id = decodeURIComponent(hash.slice('submission/'.length)).trim();
    } catch {
      // A mangled link: the search says what a submission id looks like.
    }
    void showSubmission(id, token, { initial });
    return;
  }
  if (hash.startsWith('checkout/')) {
    let id = '';
    try {
      id = decodeURIComponent(hash.slice('checkout/'.length));
    } catch {
      // A mangled link: fall back to the list.
    }
    if (id) {
      void openCheckout(id, token);
      return;
    }
  }
  void showCheckouts(token, { initial });
}

function sessionEnded() {
  me = null;
  showSignIn(T.sessionEnded, { kind: 'warning', focus: true });
}

function showSignIn(text, { kind = 'info', focus = false } = {}) {
  me = null;
  ++viewToken;
  $('nav').hidden = true;
  $('who').hidden = true;
  list.loaded = false;
  closeDialog();
  showView('sign-in', T.signInTitle);
  if (text) showMessage(kind, text, { focus });
  else clearMessage();
  if (focus && !text) focusOn($('sign-in-title'));
}

function showSignedIn() {
  const name = me.person?.name || (me.person?.kind === 'token' ? T.apiToken : '');
  const separator = () => h('span', { class: 'who-separator', 'aria-hidden': 'true', text: ' · ' });
  setChildren(
    $('who-text'),
    h('span', { class: 'visually-hidden', text: `${T.signedInAs} ` }),
    h('span', { class: 'who-name', text: name }),
    me.person?.email
      ? [separator(), h('span', { class: 'who-email', text: me.person.email })]
      : null,
    separator(),
    h('span', { class: 'who-role', text: canRefund() ? T.roleRefund : T.roleView }),
  );
  $('who').hidden = false;
  $('nav').hidden = false;
}

/* ---------------------------------------------------------------------------------------------
 * The list of checkouts.
 * ------------------------------------------------------------------------------------------- */
const list = {
  /** The filters of the rows on screen (not what is being typed). */
  filters: { search: '', status: '', from: '', to: '' },
  next: null,
  loaded: false,
  count: 0,
  token: 0,
};

function filterParams(filters) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  return params;
}

const hasFilters = (filters) => Object.values(filters).some(Boolean);

function setFieldError(input, errorEl, text) {
  const hintIds = (input.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter((id) => id && id !== errorEl.id);
  if (text) {
    setChildren(errorEl, h('span', { class: 'visually-hidden', text: `${T.errorPrefix} ` }), text);
    errorEl.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', [errorEl.id, ...hintIds].join(' '));
  } else {
    errorEl.replaceChildren();
    errorEl.hidden = true;
    input.removeAttribute('aria-invalid');
    if (hintIds.length) input.setAttribute('aria-describedby', hintIds.join(' '));
    else input.removeAttribute('aria-describedby');
  }
}

function readFilters() {
  return {
    search: /** @type {HTMLInputElement} */ ($('filter-search')).value.trim(),
    status: /** @type {HTMLSelectElement} */ ($('filter-status')).value,
    from: /** @type {HTMLInputElement} */ ($('filter-from')).value,
    to: /** @type {HTMLInputElement} */ ($('filter-to')).value,
  };
}

async function showCheckouts(token, { initial = false, focus = true } = {}) {
  const fromCheckout = currentView === 'checkout';
  showView('checkouts', T.checkoutsTitle);
  if (!list.loaded) {
    try {
      await loadCheckouts({ append: false });
    } catch (error) {
      if (token === viewToken) report(error);
      return;
    }
  }
  if (token !== viewToken || !focus) return;
  // Back from a checkout: to its row, where staff left off. Otherwise the page's heading.
  const row = !initial && fromCheckout && lastOpenedId ? rowLink(lastOpenedId) : null;
  focusOn(row ?? $('checkouts-title'));
}

function rowLink(checkoutId) {
  return (
    [...$('checkouts-rows').querySelectorAll('a[data-checkout]')].find(
      (a) => a.dataset.checkout === checkoutId,
    ) ?? null
  );
}

function statusCell(c) {
  return h(
    'td',
    {},
    h('span', {
      class: `status status-${c.status}`,
      text: c.statusText || T.statusLabels[c.status] || '',
    }),
  );
}

function checkoutRow(c) {
  const refunded = [];
  if (c.refundedInCents > 0) refunded.push(money(c.refundedInCents, c.currency));
  if (c.refundInProgress)
    refunded.push(h('span', { class: 'small', text: T.refundInProgressShort }));
  return h(
    'tr',
    { 'data-row': c.checkoutId },
    h(
      'th',
      { scope: 'row' },
      h('a', {
        href: `#checkout/${encodeURIComponent(c.checkoutId)}`,
        'data-checkout': c.checkoutId,
        class: 'row-link',
        text: c.referenceId,
      }),
    ),
    statusCell(c),
    h('td', { class: 'num', text: money(c.amountInCents, c.currency) }),
    h(
      'td',
      { class: 'num' },
      refunded.length === 2 ? [refunded[0], h('br'), refunded[1]] : refunded,
    ),
    h(
      'td',
      {},
      c.payerName ?? '',
      c.payerEmail ? [h('br'), h('span', { class: 'small', text: c.payerEmail })] : null,
    ),
    h('td', {}, timeElement(c.createdAt)),
  );
}

/** A checkout changed (refund, cancel): its row in the list, if shown, follows. */
function updateRow(c) {
  if (!c?.checkoutId) return;
  const old = $('checkouts-rows').querySelector(`tr[data-row="${CSS.escape(c.checkoutId)}"]`);
  if (old) old.replaceWith(checkoutRow(c));
}

async function loadCheckouts({ append, filters = list.filters }) {
  const token = ++list.token;
  const params = filterParams(filters);
  params.set('limit', String(PAGE_SIZE));
  if (append && list.next) params.set('before', list.next);
  const more = $('more-checkouts');
  more.setAttribute('aria-disabled', 'true');
  try {
    const { data } = await api(`./api/checkouts?${params}`);
    if (token !== list.token) return null;
    if (!Array.isArray(data.checkouts)) throw new ApiError(200, null, T.badAnswer);
    list.filters = filters;
    const rows = $('checkouts-rows');
    if (!append) {
      rows.replaceChildren();
      list.count = 0;
    }
    const added = data.checkouts.map(checkoutRow);
    rows.append(...added);
    list.count += added.length;
    list.next = typeof data.next === 'string' && data.next ? data.next : null;
    list.loaded = true;

    const filtered = hasFilters(list.filters);
    $('checkouts-caption').textContent = filtered ? T.captionFound : T.captionLatest;
    $('results-summary').textContent = list.count
      ? T.shownCount(list.count, Boolean(list.next))
      : '';
    $('checkouts-scroll').hidden = list.count === 0;
    const nothing = $('nothing-found');
    nothing.textContent = filtered ? T.nothingFound : T.nothingYet;
    nothing.hidden = list.count > 0;
    more.hidden = !list.next;
    const query = filterParams(list.filters).toString();
    $('export-checkouts').setAttribute('href', `./api/checkouts.csv${query ? `?${query}` : ''}`);
    $('export-checkouts').hidden = list.count === 0;
    return added;
  } finally {
    more.removeAttribute('aria-disabled');
  }
}

async function search(filters, button) {
  if (button?.getAttribute('aria-disabled') === 'true') return;
  button?.setAttribute('aria-disabled', 'true');
  try {
    const added = await loadCheckouts({ append: false, filters });
    if (!added) return;
    clearMessage();
    // To the first result, or to the sentence saying there is none.
    focusOn(added[0]?.querySelector('a') ?? $('nothing-found'));
  } catch (error) {
    report(error);
  } finally {
    button?.removeAttribute('aria-disabled');
  }
}

function wireSearch() {
  const select = $('filter-status');
  setChildren(
    select,
    h('option', { value: '', text: T.filterAnyStatus }),
    ...Object.entries(T.statusLabels).map(([value, label]) => h('option', { value, text: label })),
  );
  $('search').addEventListener('submit', (event) => {
    event.preventDefault();
    const filters = readFilters();
    const to = $('filter-to');
    if (filters.from && filters.to && filters.to < filters.from) {
      setFieldError(to, $('filter-to-error'), T.filterToBeforeFrom);
      focusOn(to);
      return;
    }
    setFieldError(to, $('filter-to-error'), '');
    void search(filters, event.submitter);
  });
  $('filter-clear').addEventListener('click', (event) => {
    /** @type {HTMLFormElement} */ ($('search')).reset();
    setFieldError($('filter-to'), $('filter-to-error'), '');
    void search({ search: '', status: '', from: '', to: '' }, event.currentTarget);
  });
  $('more-checkouts').addEventListener('click', async () => {
    if ($('more-checkouts').getAttribute('aria-disabled') === 'true') return;
    try {
      const added = await loadCheckouts({ append: true });
      if (!added) return;
      showMessage('info', T.moreShown(added.length));
      // To the first row added, so keyboard users carry on where the list grew.
      focusOn(added[0]?.querySelector('a') ?? $('checkouts-title'));
    } catch (error) {
      report(error);
    }
  });
}

/* ---------------------------------------------------------------------------------------------
 * One checkout.
 * ------------------------------------------------------------------------------------------- */
/** The checkout on screen: `{ checkout, payment, paysgProblem, refunds, history }`. */
let shown = null;

async function openCheckout(id, token) {
  lastOpenedId = id;
  shown = null;
  showView('checkout', T.checkoutLoadingTitle);
  setChildren(
    $('checkout-body'),
    h('h1', { id: 'checkout-title', tabindex: '-1', text: T.checkoutLoadingTitle }),
    h('p', { class: 'hint', text: T.checkoutLoading }),
  );
  try {
    const detail = await fetchCheckout(id);
    if (token !== viewToken) return;
    shown = detail;
    renderCheckout();
    focusOn($('checkout-title'));
  } catch (error) {
    if (token !== viewToken || error instanceof SessionEnded) return;
    if (error instanceof ApiError && error.status === 404) {
      document.title = T.pageTitle(T.checkoutNotFoundTitle);
      setChildren(
        $('checkout-body'),
        h('h1', { id: 'checkout-title', tabindex: '-1', text: T.checkoutNotFoundTitle }),
        h('p', { text: T.checkoutNotFound }),
      );
      focusOn($('checkout-title'));
      return;
    }
    report(error);
  }
}

async function fetchCheckout(id) {
  const { data } = await api(`./api/checkouts/${encodeURIComponent(id)}`);
  if (!data.checkout?.checkoutId) throw new ApiError(200, null, T.badAnswer);
  return {
    checkout: data.checkout,
    payment: data.payment ?? null,
    paysgProblem: data.paysgProblem ?? null,
    refunds: Array.isArray(data.refunds) ? data.refunds : [],
    history: Array.isArray(data.history) ? data.history : [],
  };
}

/** Fetches the shown checkout again after an action; keeps what is on screen if that fails. */
async function refreshShown() {
  if (!shown) return;
  try {
    shown = await fetchCheckout(shown.checkout.checkoutId);
  } catch (error) {
    if (error instanceof SessionEnded) throw error;
    // The action's own message matters more; the page shows what it last knew.
  }
  updateRow(shown.checkout);
  renderCheckout();
}

function renderCheckout() {
  const { checkout: c, payment, paysgProblem, refunds, history } = shown;
  document.title = T.pageTitle(c.referenceId);
  const payer = c.payerName || T.thePayer;
  setChildren(
    $('checkout-body'),
    h('h1', { id: 'checkout-title', tabindex: '-1', text: c.referenceId }),
    h('p', { class: 'lead' }, c.description, ' ', statusCell(c).firstChild),
    paysgProblem
      ? h('p', { class: 'notice notice-warning', text: T.paysgProblem(paysgProblem) })
      : null,
    h(
      'div',
      { class: 'detail-grid' },
      h(
        'section',
        { 'aria-labelledby': 'facts-title', class: 'panel' },
        h('h2', { id: 'facts-title', text: T.detailsTitle }),
        facts([
          [T.factStatus, c.statusText || T.statusLabels[c.status] || ''],
          [T.factAmount, money(c.amountInCents, c.currency)],
          c.refundedInCents > 0 && [T.factRefunded, money(c.refundedInCents, c.currency)],
          c.status === 'paid' && [T.factRefundable, money(c.refundableInCents, c.currency)],
          [T.factPayer, c.payerName || ''],
          c.payerEmail && [T.factPayerEmail, c.payerEmail],
          c.item && [T.factItem, c.item],
          [T.factCreated, timeElement(c.createdAt)],
          c.paidAt && [T.factPaid, timeElement(c.paidAt)],
          [T.factUpdated, timeElement(c.updatedAt)],
          [T.factCheckoutId, h('span', { class: 'id', text: c.checkoutId })],
          [
            T.factPaymentId,
            c.paymentId ? h('span', { class: 'id', text: c.paymentId }) : T.noPaymentYet,
          ],
          payment && [T.factAtPaysg, paysgStatusText(payment)],
          payment?.paid_out_timestamp && [T.factPaidOut, timeElement(payment.paid_out_timestamp)],
        ]),
      ),
      actionsPanel(c, payer),
    ),
    refunds.length ? refundsSection(c, refunds, payer) : null,
    historySection(history),
  );
}

/** Refund (or cancel) for those who may; what is going on for everyone else. */
function actionsPanel(c, payer) {
  const attempt = readAttempt(c.checkoutId);
  const isPaid = c.status === 'paid';
  const isOpen = c.status === 'created' || c.status === 'unpaid';
  if (!attempt && !isPaid && !(isOpen && canRefund())) return null;

  if (isOpen && !attempt) {
    return h(
      'section',
      { 'aria-labelledby': 'actions-title', class: 'panel' },
      h('h2', { id: 'actions-title', text: T.cancelTitle }),
      h('p', { text: T.cancelLead }),
      h('button', {
        type: 'button',
        class: 'button danger',
        text: T.cancelButton,
        onclick: (e) => void cancelCheckout(c, e.currentTarget),
      }),
    );
  }

  const parts = [h('h2', { id: 'actions-title', text: T.refundTitle })];
  if (attempt) {
    parts.push(
      h(
        'div',
        { class: 'notice notice-warning' },
        h('p', {
          class: 'strong',
          text: T.pendingAttempt(money(attempt.amountInCents, c.currency), when(attempt.startedAt)),
        }),
        h('p', { text: T.pendingAttemptMore }),
        h('button', {
          type: 'button',
          class: 'button',
          text: T.checkAgain,
          onclick: (e) => void sendRefund(c, attempt, e.currentTarget),
        }),
      ),
    );
  } else if (c.refundInProgress) {
    parts.push(
      h(
        'div',
        { class: 'notice notice-info' },
        h('p', { class: 'strong', text: T.refundInProgress }),
        h('p', { text: T.refundInProgressMore }),
      ),
    );
  } else if (c.refundableInCents <= 0) {
    parts.push(h('p', { text: T.refundNothingLeft }));
  } else if (!canRefund()) {
    parts.push(h('p', { text: T.refundViewOnly }));
  } else {
    parts.push(refundForm(c, payer));
  }
  return h('section', { 'aria-labelledby': 'actions-title', class: 'panel' }, parts);
}

function field({ id, label, hint, control }) {
  control.id = id;
  control.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id, text: label }),
    h('p', { class: 'hint', id: `${id}-hint`, text: hint }),
    h('p', { class: 'error', id: `${id}-error`, hidden: true }),
    control,
  );
}

function refundForm(c, payer) {
  const amount = h('input', {
    type: 'text',
    inputmode: 'decimal',
    autocomplete: 'off',
    spellcheck: 'false',
    class: 'input-amount',
  });
  const reason = h('textarea', { rows: '3', maxlength: String(REASON_MAX), required: true });
  const form = h(
    'form',
    { class: 'refund-form', novalidate: true },
    field({
      id: 'refund-amount',
      label: T.refundAmountLabel,
      hint: T.refundAmountHint(money(c.refundableInCents, c.currency)),
      control: amount,
    }),
    field({ id: 'refund-reason', label: T.refundReasonLabel, hint: T.reasonHint, control: reason }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'button', text: T.refundButton }),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void askRefund(c, payer, form, event.submitter);
  });
  return form;
}

function reasonError(text) {
  const length = text.trim().length;
  if (length === 0) return T.reasonMissing;
  if (length < REASON_MIN) return T.reasonTooShort;
  if (length > REASON_MAX) return T.reasonTooLong(length);
  return '';
}

/** Checks the form, then asks in a dialog; only a confirmed refund is sent. */
async function askRefund(c, payer, form, button) {
  const amountInput = /** @type {HTMLInputElement} */ (form.querySelector('#refund-amount'));
  const reasonInput = /** @type {HTMLTextAreaElement} */ (form.querySelector('#refund-reason'));
  const typed = amountInput.value.trim();
  let amountInCents = c.refundableInCents;
  let amountProblem = '';
  if (typed) {
    const cents = centsFromDollars(typed);
    if (cents === undefined) amountProblem = T.refundNotANumber;
    else if (cents === 0) amountProblem = T.refundZero(money(0, c.currency));
    else if (cents > c.refundableInCents)
      amountProblem = T.refundTooMuch(money(c.refundableInCents, c.currency));
    else amountInCents = cents;
  }
  const reasonProblem = reasonError(reasonInput.value);
  setFieldError(amountInput, form.querySelector('#refund-amount-error'), amountProblem);
  setFieldError(reasonInput, form.querySelector('#refund-reason-error'), reasonProblem);
  if (amountProblem || reasonProblem) {
    focusOn(amountProblem ? amountInput : reasonInput);
    return;
  }
  const reason = reasonInput.value.trim();
  const amount = money(amountInCents, c.currency);
  const over = me?.refundApprovalOverInCents;
  const needsApproval = typeof over === 'number' && amountInCents > over;
  const answer = await ask({
    title: T.confirmRefundTitle(amount, payer, c.referenceId),
    body: [
      T.confirmRefundReason(reason),
      needsApproval ? T.confirmRefundApproval(money(over, c.currency)) : null,
    ],
    yes: T.confirmRefundYes(amount),
    no: T.goBack,
  });
  if (!answer) return;
  // The amount confirmed is the amount sent, even when the field was left empty: "all that is
  // left" could have changed since the page was drawn, and staff agreed to this sum.
  const attempt = {
    key: crypto.randomUUID(),
    amountInCents,
    reason,
    startedAt: new Date().toISOString(),
  };
  saveAttempt(c.checkoutId, attempt);
  await sendRefund(c, attempt, button);
}

/** Sends (or re-sends, with the same key and body) one refund attempt, and says what came of it. */
async function sendRefund(c, attempt, button) {
  if (button?.getAttribute('aria-disabled') === 'true') return;
  button?.setAttribute('aria-disabled', 'true');
  const amount = money(attempt.amountInCents, c.currency);
  const payer = c.payerName || T.thePayer;
  const token = viewToken;
  showMessage('info', T.refunding(amount));
  let outcome;
  try {
    const { data } = await api(`./api/checkouts/${encodeURIComponent(c.checkoutId)}/refunds`, {
      method: 'POST',
      headers: { 'Idempotency-Key': attempt.key },
      body: { amountInCents: attempt.amountInCents, reason: attempt.reason },
    });
    // 201 made, 202 waiting (approval or PaySG), 200 the same key again: all read by the refund's status.
    outcome = refundOutcome(data.refund, amount, payer, c.referenceId);
    if (outcome.final) forgetAttempt(c.checkoutId);
    updateRow(data.checkout);
    if (data.checkout && shown?.checkout.checkoutId === data.checkout.checkoutId)
      shown = { ...shown, checkout: data.checkout };
  } catch (error) {
    if (error instanceof SessionEnded) return; // The attempt stays: after signing in, Check again.
    button?.removeAttribute('aria-disabled');
    if (!(error instanceof ApiError)) return report(error);
    outcome = refundError(error);
    if (outcome.fields) {
      // The server disagreed with a field: say so beside it, as the page's own checks do.
      forgetAttempt(c.checkoutId);
      clearMessage();
      const form = document.querySelector('.refund-form');
      if (form) {
        let first = null;
        for (const [name, text] of outcome.fields) {
          const input = form.querySelector(`#refund-${name}`);
          setFieldError(input, form.querySelector(`#refund-${name}-error`), text);
          first ??= input;
        }
        focusOn(first);
        return;
      }
      outcome = {
        kind: 'error',
        text: outcome.fields.map(([, text]) => text).join('. '),
        requestId: error.requestId,
      };
    }
    if (outcome.final) forgetAttempt(c.checkoutId);
  }
  await settleAction(token, outcome);
}

/**
 * After an action: the checkout drawn again from the server, then what happened, focused. Staff
 * who moved to another view meanwhile still hear the outcome, without their focus being taken.
 */
async function settleAction(token, outcome) {
  if (token !== viewToken) {
    showMessage(outcome.kind, outcome.text, { requestId: outcome.requestId });
    return;
  }
  try {
    await refreshShown();
  } catch {
    return; // The session ended; the sign-in screen says so.
  }
  if (token !== viewToken) return;
  showMessage(outcome.kind, outcome.text, { requestId: outcome.requestId, focus: true });
}

function refundOutcome(refund, amount, payer, reference) {
  switch (refund?.status) {
    case 'succeeded':
      return { kind: 'success', final: true, text: T.refundSucceeded(amount, payer, reference) };
    case 'awaiting_approval':
      return { kind: 'info', final: true, text: T.refundAwaitingApproval(amount) };
    case 'failed':
      return { kind: 'error', final: true, text: T.refundFailed(amount, refund.failure) };
    case 'declined':
      return { kind: 'warning', final: true, text: T.refundDeclined(amount) };
    default:
      // 'requested': PaySG has not said yet. Keep the key, so Check again asks about this refund.
      return { kind: 'warning', final: false, text: T.refundRequested };
  }
}

/** A refund the server did not take. Only answers that never reached a decision keep the attempt. */
function refundError(error) {
  const kept = { kind: 'error', final: false, requestId: error.requestId };
  if (error.status === 0 || error.status === 429 || error.status >= 500)
    return { ...kept, text: T.refundNoAnswer };
  const done = { kind: 'error', final: true, requestId: error.requestId };
  if (error.code === 'invalid_request' && error.issues.length) {
    const fields = [];
    for (const issue of error.issues) {
      const name = String(issue.path).startsWith('amount')
        ? 'amount'
        : String(issue.path).startsWith('reason')
          ? 'reason'
          : null;
      if (!name) return { ...done, text: error.message };
      fields.push([name, issue.message]);
    }
    return { ...done, fields };
  }
  if (error.code === 'refund_refused') return { ...done, text: T.refundRefused(error.message) };
  if (error.code === 'idempotency_mismatch') return { ...done, text: T.refundKeyMismatch };
  if (error.status === 403) return { ...done, text: T.forbidden };
  // refund_in_progress, not_refundable and anything else: the server's own words.
  return { ...done, text: error.message || T.badAnswer };
}

function refundsSection(c, refunds, payer) {
  return h(
    'section',
    { 'aria-labelledby': 'refunds-title' },
    h('h2', { id: 'refunds-title', text: T.refundsTitle }),
    h(
      'ul',
      { class: 'refunds' },
      refunds.map((r) => {
        const amount = money(r.amountInCents, c.currency);
        const mine = isMe(r.requestedBy);
        const waiting = r.status === 'awaiting_approval' && canRefund();
        return h(
          'li',
          { class: 'refund' },
          h('h3', { text: T.refundHeading(amount, r.statusText || '') }),
          facts([
            [T.refundAskedBy, T.personAt(personText(r.requestedBy), when(r.requestedAt))],
            [T.refundReason, T.historyReason(r.reason ?? '')],
            r.approvedBy && [
              T.refundApprovedBy,
              T.personAt(personText(r.approvedBy), when(r.approvedAt)),
            ],
            r.settledAt && [T.refundSettled, timeElement(r.settledAt)],
            r.failure && [T.refundFailure, r.failure],
          ]),
          waiting && mine ? h('p', { class: 'hint', text: `${T.ownRefund}.` }) : null,
          waiting
            ? h(
                'div',
                { class: 'actions' },
                mine
                  ? null
                  : h('button', {
                      type: 'button',
                      class: 'button',
                      text: T.approve,
                      onclick: (e) => void approveRefund(c, r, payer, e.currentTarget),
                    }),
                h('button', {
                  type: 'button',
                  class: 'button secondary',
                  text: T.decline,
                  onclick: (e) => void declineRefund(c, r, e.currentTarget),
                }),
              )
            : null,
        );
      }),
    ),
  );
}

/** Whether a refund was asked for by whoever is signed in (the server decides; this only spares a refused click). */
function isMe(person) {
  return Boolean(
    person &&
      me?.person?.kind === 'person' &&
      person.kind === 'person' &&
      person.email &&
      person.email === me.person.email,
  );
}

function historySection(history) {
  const sorted = [...history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return h(
    'section',
    { 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title', text: T.historyTitle }),
    sorted.length
      ? h(
          'ol',
          { class: 'history' },
          sorted.map((line) =>
            h(
              'li',
              {},
              h('p', { class: 'history-when' }, timeElement(line.at)),
              h('p', { class: 'history-what', text: line.text }),
              line.who ? h('p', { class: 'history-who', text: T.historyBy(line.who) }) : null,
              line.reason
                ? h('p', { class: 'history-reason', text: T.historyReason(line.reason) })
                : null,
            ),
          ),
        )
      : h('p', { text: T.historyEmpty }),
  );
}

/** An action on the shown checkout (approve, decline, cancel): POST, then the checkout again, then a focused message. */
async function act(button, busyText, path, body, describe) {
  if (button?.getAttribute('aria-disabled') === 'true') return;
  button?.setAttribute('aria-disabled', 'true');
  const token = viewToken;
  showMessage('info', busyText);
  let outcome;
  try {
    const { data } = await api(path, { method: 'POST', body });
    outcome = describe(data);
  } catch (error) {
    if (error instanceof SessionEnded) return;
    button?.removeAttribute('aria-disabled');
    if (!(error instanceof ApiError)) return report(error);
    const text =
      error.code === 'own_refund'
        ? `${T.ownRefund}.`
        : error.status === 403
          ? T.forbidden
          : error.message;
    outcome = { kind: 'error', text, requestId: error.requestId };
  }
  await settleAction(token, outcome);
}

/* ---------------------------------------------------------------------------------------------
 * Fines from FormSG: a submission by its id, its payment, its e-mail, its letter.
 * ------------------------------------------------------------------------------------------- */
const EMAIL_WORDS = {
  pending: 'Not sent yet',
  sending: 'Being sent',
  sent: 'Sent',
  failed: 'PaySG refused to send it',
  skipped: 'Not sent',
  unknown: 'Unknown: PaySG was asked and never answered; it may or may not have gone out',
};

function submissionPath(s) {
  return `./api/submissions/${encodeURIComponent(s.formId)}/${encodeURIComponent(s.submissionId)}`;
}

/**
 * Why the letter cannot be downloaded: the API's `letterUnavailableReason`, else (an older BFF) what the
 * payment's state says (the letter carries the payment link, so it is for an unpaid fine only).
 */
function letterUnavailableText(s) {
  const reason = s.letterUnavailableReason;
  if (typeof reason === 'string' && reason) return sentence(reason);
  const status = s.payment?.status;
  if (!s.payment)
    return 'No letter yet: the payment has not been made, and the letter carries its link.';
  if (status === 'paid' || status === 'refunded' || status === 'partially_refunded')
    return 'No letter: the fine is paid.';
  if (status === 'cancelled')
    return 'No letter: the payment was cancelled, so its link no longer works.';
  if (status === 'failed') return 'No letter: the payment failed at PaySG.';
  return 'No letter for this submission: its form’s rule has no letter settings.';
}

/** The API's reasons are phrases; on the page they end as sentences. */
function sentence(text) {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function letterNotice(text) {
  return h('p', { id: 'submission-letter', class: 'notice', text });
}

function renderSubmission(s) {
  const box = $('submission-result');
  const payment = s.payment;
  const email = s.email;
  setChildren(
    box,
    h('h2', {
      id: 'submission-title',
      tabindex: '-1',
      text: `FormSG submission ${s.submissionId}`,
    }),
    facts([
      ['Form', s.form],
      ['Submitted', timeElement(s.submittedAt)],
      [
        'Payment',
        payment
          ? h('span', { class: `status status-${payment.status}`, text: payment.statusText })
          : 'Not made yet',
      ],
      payment?.paidAt && ['Paid on', timeElement(payment.paidAt)],
      payment && ['Amount', money(payment.amountInCents, payment.currency)],
      payment && ['Reference', payment.referenceId],
      payment && [
        'Checkout',
        h('a', {
          href: `#checkout/${encodeURIComponent(payment.checkoutId)}`,
          text: 'Open the checkout',
        }),
      ],
      ['E-mail', EMAIL_WORDS[email.state] ?? email.state],
      email.to && ['E-mail to', email.to],
      email.sentAt && ['E-mail sent', timeElement(email.sentAt)],
      email.note && ['Note', email.note],
    ]),
    h(
      'div',
      { class: 'actions submission-actions' },
      s.letterAvailable
        ? h('a', {
            id: 'submission-letter',
            class: 'button',
            href: `${submissionPath(s)}/letter.pdf`,
            download: `fine-${s.submissionId}.pdf`,
            text: 'Download letter',
            onclick: (event) => void downloadLetter(event, s),
          })
        : letterNotice(letterUnavailableText(s)),
      email.canSendAgain && canRefund()
        ? h('button', {
            type: 'button',
            class: 'button secondary',
            text: 'Send e-mail again',
            onclick: (event) => void sendEmailAgain(s, event.currentTarget),
          })
        : null,
    ),
  );
  box.hidden = false;
}

/**
 * The letter, fetched first so a refusal (`409 letter_not_available`: the fine was paid or
 * cancelled since the page was drawn) replaces the button with its reason instead of saving an
 * error as a file. A middle click or "save link as" still follows the link itself.
 */
async function downloadLetter(event, s) {
  event.preventDefault();
  const link = event.currentTarget;
  if (link.getAttribute('aria-disabled') === 'true') return;
  link.setAttribute('aria-disabled', 'true');
  let response;
  try {
    response = await fetch(link.href, { credentials: 'same-origin', cache: 'no-store' });
  } catch {
    link.removeAttribute('aria-disabled');
    showMessage('error', T.networkError, { focus: true });
    return;
  }
  link.removeAttribute('aria-disabled');
  if (response.ok) {
    const url = URL.createObjectURL(await response.blob());
    const save = h('a', { href: url, download: `fine-${s.submissionId}.pdf`, hidden: true });
    document.body.append(save);
    save.click();
    save.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return;
  }
  if (response.status === 401) return sessionEnded();
  const error = (await response.json().catch(() => null))?.error;
  if (response.status === 409 && error?.code === 'letter_not_available') {
    const notice = letterNotice(error.message ? sentence(error.message) : letterUnavailableText(s));
    link.replaceWith(notice);
    showMessage('warning', notice.textContent ?? '');
    return;
  }
  report(
    new ApiError(
      response.status,
      error,
      response.status >= 500 ? T.serverError(response.status) : T.badAnswer,
    ),
  );
}

async function sendEmailAgain(s, button) {
  const answer = await ask({
    title: 'Send the payment e-mail again?',
    body: [
      emailWarning(s.email.state),
      'PaySG sends the payer another e-mail with the payment link. This is recorded with your name and reason.',
    ],
    reasonLabel: 'Reason',
    yes: 'Send e-mail again',
    no: 'Go back',
  });
  if (!answer) return;
  await act(
    button,
    'Asking PaySG to send the e-mail…',
    `${submissionPath(s)}/email`,
    { reason: answer.reason },
    (data) => {
      renderSubmission(data.submission);
      return {
        kind: 'success',
        text: `E-mail: ${EMAIL_WORDS[data.submission.email.state] ?? data.submission.email.state}.`,
      };
    },
  );
}

function emailWarning(state) {
  return state === 'unknown'
    ? 'The first e-mail may already have reached the payer: they may get two.'
    : 'PaySG refused the first e-mail.';
}

const SUBMISSION_ID = /^[0-9a-f]{24}$/i;

/** The field's inline message (empty to clear it), read out as it changes. */
function submissionFieldError(text) {
  setFieldError(
    /** @type {HTMLInputElement} */ ($('submission-id')),
    $('submission-id-error'),
    text,
  );
}

/**
 * Finds a submission by its id and shows it, focusing its heading; one not found says so at the
 * field. `token` drops an answer that arrives after staff moved to another view.
 */
async function findSubmission(id, token = viewToken) {
  const input = /** @type {HTMLInputElement} */ ($('submission-id'));
  if (!SUBMISSION_ID.test(id)) {
    submissionFieldError(
      'Enter a FormSG submission id: 24 characters, digits and the letters a to f.',
    );
    $('submission-result').hidden = true;
    focusOn(input);
    return;
  }
  submissionFieldError('');
  clearMessage();
  try {
    const { data } = await api(`./api/submissions?submissionId=${encodeURIComponent(id)}`);
    if (token !== viewToken) return;
    renderSubmission(data.submission);
    focusOn($('submission-title'));
  } catch (error) {
    if (token !== viewToken) return;
    $('submission-result').hidden = true;
    if (error instanceof ApiError && error.status === 404) {
      submissionFieldError('No submission has this id.');
      focusOn(input);
      return;
    }
    report(error);
  }
}

function wireSubmissionSearch() {
  $('submission-search').addEventListener('submit', (event) => {
    event.preventDefault();
    const id = /** @type {HTMLInputElement} */ ($('submission-id')).value.trim();
    // The address names the submission shown, so Back from its checkout returns to it.
    if (SUBMISSION_ID.test(id)) {
      const hash = `#submission/${id.toLowerCase()}`;
      if (location.hash !== hash) history.replaceState(null, '', hash);
    }
    void findSubmission(id);
  });
}

/** `#submission/{id}`: the checkouts view with the submission search filled in and run. */
async function showSubmission(id, token, { initial = false } = {}) {
  await showCheckouts(token, { initial, focus: false });
  if (token !== viewToken) return;
  /** @type {HTMLInputElement} */ ($('submission-id')).value = id;
  await findSubmission(id, token);
}

async function approveRefund(c, r, payer, button) {
  const amount = money(r.amountInCents, c.currency);
  const answer = await ask({
    title: T.confirmApproveTitle(amount, payer, c.referenceId),
    body: [
      T.confirmApproveAskedBy(personText(r.requestedBy)),
      T.confirmRefundReason(r.reason ?? ''),
    ],
    yes: T.confirmApproveYes(amount),
    no: T.goBack,
  });
  if (!answer) return;
  await act(
    button,
    T.approving,
    `./api/refunds/${encodeURIComponent(r.refundId)}/approve`,
    {},
    (data) => {
      if (data.refund?.status === 'succeeded')
        return { kind: 'success', text: T.approvedSucceeded(amount, payer, c.referenceId) };
      return refundOutcome(data.refund, amount, payer, c.referenceId);
    },
  );
}

async function declineRefund(c, r, button) {
  const amount = money(r.amountInCents, c.currency);
  const answer = await ask({
    title: T.confirmDeclineTitle(amount, c.referenceId),
    body: [T.confirmDeclineBody],
    reasonLabel: T.declineReasonLabel,
    yes: T.confirmDeclineYes,
    no: T.goBack,
  });
  if (!answer) return;
  await act(
    button,
    T.declining,
    `./api/refunds/${encodeURIComponent(r.refundId)}/decline`,
    { reason: answer.reason },
    () => ({
      kind: 'success',
      text: T.refundDeclined(amount),
    }),
  );
}

async function cancelCheckout(c, button) {
  const answer = await ask({
    title: T.confirmCancelTitle(c.referenceId),
    body: [T.confirmCancelBody],
    reasonLabel: T.cancelReasonLabel,
    yes: T.confirmCancelYes,
    no: T.keepIt,
  });
  if (!answer) return;
  await act(
    button,
    T.cancelling,
    `./api/checkouts/${encodeURIComponent(c.checkoutId)}/cancel`,
    { reason: answer.reason },
    () => ({
      kind: 'success',
      text: T.cancelled(c.referenceId),
    }),
  );
}

/* ---------------------------------------------------------------------------------------------
 * Refund attempts, kept until their answer is final.
 * ------------------------------------------------------------------------------------------- */
/** When localStorage is refused (a locked-down browser), attempts live as long as the page. */
const attemptsInMemory = new Map();

function readAttempt(checkoutId) {
  let text = attemptsInMemory.get(checkoutId) ?? null;
  try {
    text = localStorage.getItem(ATTEMPT_PREFIX + checkoutId) ?? text;
  } catch {
    // Storage refused: the in-memory copy is all there is.
  }
  if (!text) return null;
  try {
    const a = JSON.parse(text);
    const valid =
      typeof a?.key === 'string' &&
      Number.isInteger(a.amountInCents) &&
      a.amountInCents > 0 &&
      typeof a.reason === 'string';
    return valid ? { ...a, startedAt: typeof a.startedAt === 'string' ? a.startedAt : '' } : null;
  } catch {
    return null;
  }
}

function saveAttempt(checkoutId, attempt) {
  const text = JSON.stringify(attempt);
  attemptsInMemory.set(checkoutId, text);
  try {
    localStorage.setItem(ATTEMPT_PREFIX + checkoutId, text);
  } catch {
    // Kept in memory instead.
  }
}

function forgetAttempt(checkoutId) {
  attemptsInMemory.delete(checkoutId);
  try {
    localStorage.removeItem(ATTEMPT_PREFIX + checkoutId);
  } catch {
    // Nothing stored.
  }
}

/* ---------------------------------------------------------------------------------------------
 * The confirmation dialog (a modal <dialog>, never window.confirm).
 * ------------------------------------------------------------------------------------------- */
let settleDialog = null;

/**
 * Asks a question; resolves to `{ reason }` when confirmed (reason '' without a reason field),
 * or null when staff go back (the button, or Escape).
 */
function ask({ title, body = [], reasonLabel, yes, no }) {
  closeDialog();
  const dialog = /** @type {HTMLDialogElement} */ ($('confirm'));
  const reason = /** @type {HTMLTextAreaElement} */ ($('confirm-reason'));
  $('confirm-title').textContent = title;
  setChildren(
    $('confirm-body'),
    present(body).map((text) => h('p', { text })),
  );
  $('confirm-reason-field').hidden = !reasonLabel;
  $('confirm-reason-label').textContent = reasonLabel ?? '';
  $('confirm-reason-hint').textContent = T.reasonHint;
  reason.value = '';
  reason.required = Boolean(reasonLabel);
  setFieldError(reason, $('confirm-reason-error'), '');
  $('confirm-yes').textContent = yes;
  $('confirm-no').textContent = no;
  return new Promise((resolve) => {
    settleDialog = resolve;
    dialog.returnValue = '';
    dialog.showModal();
    // A question is read first; with a reason to give, the field is where to start.
    focusOn(reasonLabel ? reason : $('confirm-title'));
  });
}

/** Closes the dialog as "go back", settling its question now (its close event comes later, after the next question may be asked). */
function closeDialog() {
  const settle = settleDialog;
  settleDialog = null;
  settle?.(null);
  const dialog = /** @type {HTMLDialogElement} */ ($('confirm'));
  if (dialog.open) dialog.close('');
}

function wireDialog() {
  const dialog = /** @type {HTMLDialogElement} */ ($('confirm'));
  const reason = /** @type {HTMLTextAreaElement} */ ($('confirm-reason'));
  $('confirm-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!$('confirm-reason-field').hidden) {
      const problem = reasonError(reason.value);
      setFieldError(reason, $('confirm-reason-error'), problem);
      if (problem) {
        focusOn(reason);
        return;
      }
    }
    dialog.close('yes');
  });
  $('confirm-no').addEventListener('click', () => dialog.close(''));
  dialog.addEventListener('close', () => {
    const settle = settleDialog;
    settleDialog = null;
    settle?.(
      dialog.returnValue === 'yes'
        ? { reason: $('confirm-reason-field').hidden ? '' : reason.value.trim() }
        : null,
    );
  });
}

/* ---------------------------------------------------------------------------------------------
 * The audit.
 * ------------------------------------------------------------------------------------------- */
const audit = { next: null, count: 0, token: 0 };

async function showAudit(token) {
  showView('audit', T.auditTitle);
  try {
    await loadAudit({ append: false });
  } catch (error) {
    if (token === viewToken) report(error);
    return;
  }
  if (token === viewToken) focusOn($('audit-title'));
}

function auditRow(e) {
  const checkout = e.checkoutId
    ? h('a', {
        href: `#checkout/${encodeURIComponent(e.checkoutId)}`,
        class: 'row-link',
        text: e.referenceId || e.checkoutId,
      })
    : '';
  return h(
    'tr',
    {},
    h('td', { class: 'wrap narrow' }, timeElement(e.at)),
    h('th', { scope: 'row', class: 'wrap', text: e.text ?? '' }),
    h('td', { class: 'wrap', text: e.who ?? '' }),
    // A reference or a checkout id breaks where it must, so every column fits a 1280 px screen.
    h('td', { class: 'wrap narrow break' }, checkout),
    h('td', {
      class: 'num',
      text: Number.isInteger(e.amountInCents) ? money(e.amountInCents) : '',
    }),
    h('td', { class: 'wrap wide', text: e.reason ? T.historyReason(e.reason) : '' }),
    h('td', { class: 'wrap', text: e.outcomeText ?? '' }),
  );
}

async function loadAudit({ append }) {
  const token = ++audit.token;
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (append && audit.next) params.set('before', audit.next);
  const more = $('more-audit');
  more.setAttribute('aria-disabled', 'true');
  try {
    const { data } = await api(`./api/audit?${params}`);
    if (token !== audit.token) return null;
    if (!Array.isArray(data.events)) throw new ApiError(200, null, T.badAnswer);
    const rows = $('audit-rows');
    if (!append) {
      rows.replaceChildren();
      audit.count = 0;
    }
    const added = data.events.map(auditRow);
    rows.append(...added);
    audit.count += added.length;
    audit.next = typeof data.next === 'string' && data.next ? data.next : null;
    $('audit-caption').textContent = T.auditCaption;
    $('audit-summary').textContent = audit.count
      ? T.auditShown(audit.count, Boolean(audit.next))
      : '';
    $('audit-scroll').hidden = audit.count === 0;
    $('audit-empty').textContent = T.auditEmpty;
    $('audit-empty').hidden = audit.count > 0;
    $('export-audit').hidden = audit.count === 0;
    more.hidden = !audit.next;
    return added;
  } finally {
    more.removeAttribute('aria-disabled');
  }
}

function wireAudit() {
  $('more-audit').addEventListener('click', async () => {
    if ($('more-audit').getAttribute('aria-disabled') === 'true') return;
    try {
      const added = await loadAudit({ append: true });
      if (!added) return;
      showMessage('info', T.auditMoreShown(added.length));
      focusOn(added[0]?.querySelector('th') ?? $('audit-title'));
    } catch (error) {
      report(error);
    }
  });
}

/* ---------------------------------------------------------------------------------------------
 * Signing in and out.
 * ------------------------------------------------------------------------------------------- */
/** Where the identity provider sent staff back, and why: `?sign_in=refused|failed`, `?signed_out=1`. */
function arrivalNotice() {
  const params = new URLSearchParams(location.search);
  const signIn = params.get('sign_in');
  const notice =
    signIn === 'refused'
      ? { kind: 'error', text: T.signInRefused }
      : signIn === 'failed'
        ? { kind: 'error', text: T.signInFailed }
        : params.get('signed_out') === '1'
          ? { kind: 'info', text: T.signedOut }
          : null;
  // Said once: a reload or a bookmark should not say it again.
  if (params.has('sign_in') || params.has('signed_out'))
    history.replaceState(null, '', location.pathname + location.hash);
  return notice;
}

async function start() {
  const notice = arrivalNotice();
  showView('loading');
  let answer;
  try {
    answer = await api('./api/me', { handle401: false });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      showSignIn(notice?.text, { kind: notice?.kind, focus: Boolean(notice) });
      return;
    }
    showUnavailable(error);
    return;
  }
  me = answer.data;
  showSignedIn();
  // Back from the identity provider: to the view staff were on when they had to sign in.
  let back = null;
  try {
    back = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
  } catch {
    // No storage: start at the list.
  }
  if (
    !location.hash &&
    back &&
    /^#(audit|checkouts|checkout\/[^#]+|submission\/[0-9a-fA-F]{24})$/.test(back)
  )
    history.replaceState(null, '', back);
  if (notice) showMessage(notice.kind, notice.text);
  route({ initial: true });
}

function showUnavailable(error) {
  showView('unavailable', T.unavailableTitle);
  $('unavailable-text').textContent = error instanceof ApiError ? error.message : T.badAnswer;
  focusOn($('unavailable-title'));
}

async function signOut(button) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  button.textContent = T.signingOut;
  try {
    const { data } = await api('./sign-out', { method: 'POST', body: {}, handle401: false });
    const end = endSessionUrl(data.endSessionUrl);
    if (end) {
      // The identity provider ends its own session too, then sends staff back here.
      location.assign(end);
      return;
    }
    showSignIn(T.signedOut, { focus: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) showSignIn(T.signedOut, { focus: true });
    else report(error);
  } finally {
    button.removeAttribute('aria-disabled');
    button.textContent = T.signOut;
  }
}

/** Only an http(s) address is followed: a `javascript:` one would run (and Trusted Types would refuse it anyway). */
function endSessionUrl(value) {
  if (typeof value !== 'string' || !value) return null;
  try {
    const url = new URL(value, location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/* ---------------------------------------------------------------------------------------------
 * Start.
 * ------------------------------------------------------------------------------------------- */
function applyWords() {
  document.title = T.productName;
  for (const el of document.querySelectorAll('[data-t]')) {
    const text = T[el.dataset.t];
    if (typeof text === 'string') el.textContent = text;
  }
  for (const el of document.querySelectorAll('[data-t-label]')) {
    const text = T[el.dataset.tLabel];
    if (typeof text === 'string') el.setAttribute('aria-label', text);
  }
}

applyWords();
wireSearch();
wireSubmissionSearch();
wireDialog();
wireAudit();
$('sign-out').addEventListener('click', (event) => void signOut(event.currentTarget));
$('sign-in-link').addEventListener('click', () => {
  try {
    if (location.hash) sessionStorage.setItem(RETURN_KEY, location.hash);
  } catch {
    // Back at the list after signing in, then.
  }
});
$('unavailable-retry').addEventListener('click', () => void start());
// The skip link focuses main's heading without touching the hash, which the router owns.
$('skip-link').addEventListener('click', (event) => {
  event.preventDefault();
  const view = VIEWS.map((name) => $(`view-${name}`)).find((el) => !el.hidden);
  focusOn(view?.querySelector('h1') ?? $('main'));
});
window.addEventListener('hashchange', () => route());
void start();
