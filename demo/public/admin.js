// The back office: staff find a checkout, see PaySG's payment and what happened to it, refund
// it (in part or in full) or cancel it, through the BFF's admin API (/admin/api) and its
// ADMIN_TOKEN. Builds the DOM with textContent only: the page runs under Trusted Types.
const API = '/admin/api';
const TOKEN_KEY = 'paysg-admin-token';
const PAGE = 20;
const $ = (id) => document.getElementById(id);

let token = sessionStorage.getItem(TOKEN_KEY) ?? '';
let search = '';
let shown = null;
/** One key per refund attempt, kept until it succeeds, so a retried click replays it at PaySG. */
let refundAttempt = null;

const money = (cents) => new Intl.NumberFormat('en-SG', { style: 'currency', currency: 'SGD', currencyDisplay: 'code' }).format(cents / 100);
// Singapore time, as PaySG and the checkout show it.
const when = (iso) => (iso ? new Date(iso).toLocaleString('en-SG', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Singapore' }) : '');
const statusText = (c) => (c.refundStatus ? `${c.status}, ${c.refundStatus.replace('_', ' ')}` : c.status);

function say(text) {
  $('message').textContent = text;
}

async function api(method, path, { body, headers = {} } = {}) {
  const response = await fetch(API + path, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body && { 'Content-Type': 'application/json' }), ...headers },
    ...(body && { body: JSON.stringify(body) }),
  });
  if (response.ok) return response;
  const error = await response.json().catch(() => null);
  const failure = new Error(error?.error?.message ?? `The back office answered ${response.status}`);
  failure.status = response.status;
  throw failure;
}

function cell(row, text) {
  const td = document.createElement('td');
  if (text instanceof Node) td.append(text);
  else td.textContent = text;
  row.append(td);
}

async function loadPage(before) {
  const query = new URLSearchParams({ limit: String(PAGE), ...(search && { search }), ...(before && { before }) });
  const { checkouts, next } = await (await api('GET', `/checkouts?${query}`)).json();
  const body = $('checkouts').tBodies[0];
  if (!before) body.replaceChildren();
  for (const c of checkouts) {
    const row = document.createElement('tr');
    const open = document.createElement('button');
    open.type = 'button';
    open.className = 'quiet';
    open.textContent = c.referenceId;
    open.addEventListener('click', () => void showCheckout(c.checkoutId).catch(fail));
    cell(row, open);
    cell(row, statusText(c));
    cell(row, money(c.amountInCents));
    cell(row, c.refundedInCents ? money(c.refundedInCents) : '');
    cell(row, c.payerName ?? '');
    cell(row, when(c.createdAt));
    body.append(row);
  }
  if (!before && checkouts.length === 0) say(search ? `No checkout has the reference or id ${search}.` : 'No checkouts yet.');
  const more = $('next-page');
  more.hidden = !next;
  more.onclick = () => void loadPage(next).catch(fail);
}

function fact(list, term, value) {
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  dd.textContent = value;
  list.append(dt, dd);
}

async function showCheckout(id) {
  const { checkout: c, payment, paysgProblem, history } = await (await api('GET', `/checkouts/${encodeURIComponent(id)}`)).json();
  shown = c;
  refundAttempt = null;
  $('detail').hidden = false;
  $('detail-title').textContent = `${c.referenceId}: ${c.description}`;
  const facts = $('detail-facts');
  facts.replaceChildren();
  fact(facts, 'Status', statusText(c));
  fact(facts, 'Amount', money(c.amountInCents));
  fact(facts, 'Refunded', money(c.refundedInCents));
  fact(facts, 'Payer', [c.payerName, c.payerEmail].filter(Boolean).join(', '));
  fact(facts, 'Checkout', c.checkoutId);
  fact(facts, 'PaySG payment', c.paymentId ?? 'none yet');
  if (payment) {
    fact(facts, 'At PaySG', `${payment.payment_status}, ${payment.refund_status ?? 'not refunded'}`);
    // A cancelled payment stays unpaid; PaySG says it in its latest status.
    if (payment.latest_status && payment.latest_status !== payment.payment_status) fact(facts, 'PaySG latest status', payment.latest_status);
  }
  if (paysgProblem) fact(facts, 'At PaySG', paysgProblem);
  const list = $('history');
  list.replaceChildren();
  for (const step of history) {
    const item = document.createElement('li');
    item.textContent = `${when(step.at)}: ${step.event}${step.amountInCents ? ` ${money(step.amountInCents)}` : ''}`;
    list.append(item);
  }
  const refundable = c.status === 'paid' && c.refundedInCents < c.amountInCents;
  $('refund').hidden = !refundable;
  $('refund-amount').value = '';
  $('cancel-checkout').hidden = !(c.status === 'unpaid' || c.status === 'created');
  $('detail-title').focus();
}

/** Dollars typed by staff, in cents; undefined for "what is left". */
function centsOf(text) {
  const value = text.trim();
  if (value === '') return undefined;
  if (!/^\d+(\.\d{1,2})?$/.test(value)) throw new Error('Enter the refund in dollars, like 20 or 20.50, or leave it empty for what is left.');
  return Math.round(Number(value) * 100);
}

async function refund(event) {
  event.preventDefault();
  const c = shown;
  const cents = centsOf($('refund-amount').value);
  const amount = cents ?? c.amountInCents - c.refundedInCents;
  if (!confirm(`Refund ${money(amount)} of ${c.referenceId} to ${c.payerName ?? 'the payer'}?`)) return;
  if (!refundAttempt || refundAttempt.cents !== cents) refundAttempt = { cents, key: crypto.randomUUID() };
  await api('POST', `/checkouts/${encodeURIComponent(c.checkoutId)}/refund`, {
    body: cents === undefined ? {} : { amountInCents: cents },
    headers: { 'Idempotency-Key': refundAttempt.key },
  });
  refundAttempt = null;
  say(`Refunded ${money(amount)} of ${c.referenceId}.`);
  await Promise.all([showCheckout(c.checkoutId), loadPage()]);
}

async function cancelShown() {
  const c = shown;
  if (!confirm(`Cancel ${c.referenceId}? The payer can no longer pay it.`)) return;
  await api('POST', `/checkouts/${encodeURIComponent(c.checkoutId)}/cancel`);
  say(`Cancelled ${c.referenceId}.`);
  await Promise.all([showCheckout(c.checkoutId), loadPage()]);
}

async function exportCsv() {
  const query = new URLSearchParams(search ? { search } : {});
  const blob = await (await api('GET', `/checkouts.csv?${query}`)).blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = 'checkouts.csv';
  link.click();
  URL.revokeObjectURL(link.href);
  say('Exported the list as checkouts.csv.');
}

function fail(err) {
  if (err.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('office').hidden = true;
    $('sign-in').hidden = false;
    say('That token was refused. Enter the ADMIN_TOKEN of this BFF.');
    return;
  }
  say(err.message);
}

async function enter() {
  await loadPage();
  sessionStorage.setItem(TOKEN_KEY, token);
  $('sign-in').hidden = true;
  $('office').hidden = false;
}

$('sign-in').addEventListener('submit', (event) => {
  event.preventDefault();
  token = $('token').value.trim();
  say('');
  void enter().catch(fail);
});
$('search').addEventListener('submit', (event) => {
  event.preventDefault();
  search = $('query').value.trim();
  say('');
  void loadPage().catch(fail);
});
$('show-all').addEventListener('click', () => {
  search = '';
  $('query').value = '';
  say('');
  void loadPage().catch(fail);
});
$('export').addEventListener('click', () => void exportCsv().catch(fail));
$('refund').addEventListener('submit', (event) => void refund(event).catch(fail));
$('cancel-checkout').addEventListener('click', () => void cancelShown().catch(fail));

if (token) void enter().catch(fail);
