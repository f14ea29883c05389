// The fines page: a parking-fine form standing in for FormSG. Its answers go to the demo's FormSG
// (POST /demo/formsg/parking), which encrypts and signs them as FormSG does and posts them to the
// BFF; then the page shows the submission, the e-mail PaySG sent (read from the simulator's
// outbox), the payment link and where staff get the letter. DOM built with textContent only:
// the page runs under Trusted Types.
const FORM_URL = '/demo/formsg/parking';
const OUTBOX_URL = '/simulator/_simulator/emails';
const FIELDS = ['offence', 'vehicle', 'name', 'email', 'language'];
/** How long to wait for PaySG's e-mail: the BFF asks PaySG for it just after the payment. */
const EMAIL_WAIT_MS = 30_000;
const EMAIL_POLL_MS = 1_000;

const form = document.getElementById('fine-form');
const summary = document.getElementById('error-summary');
const summaryList = document.getElementById('error-summary-list');
const summaryText = document.getElementById('error-summary-text');
const submitButton = document.getElementById('submit');
const result = document.getElementById('result');

const money = new Intl.NumberFormat('en-SG', {
  style: 'currency',
  currency: 'SGD',
  currencyDisplay: 'code',
});
const dateTime = new Intl.DateTimeFormat('en-SG', {
  timeZone: 'Asia/Singapore',
  dateStyle: 'medium',
  timeStyle: 'medium',
});
const dollars = (cents) => money.format(cents / 100);

let formInfo;
let polling;
let submitted;

/** The form's questions come from the demo's rules, so the amounts shown are the ones charged. */
async function loadForm() {
  const loading = document.getElementById('form-loading');
  try {
    const response = await fetch(FORM_URL, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    formInfo = await response.json();
  } catch {
    loading.textContent =
      'The demo’s FormSG is off: FINE_RULES_FILE names rules of your own, so this demo form cannot post to them. Unset it to use the demo form.';
    loading.setAttribute('role', 'alert');
    submitButton.disabled = true;
    return;
  }
  loading.remove();
  const select = document.getElementById('offence');
  for (const offence of formInfo.offences) {
    const option = document.createElement('option');
    option.value = offence.code;
    // The amount first: a narrow screen cuts a long option at its end.
    option.textContent = `${offence.code}, ${dollars(offence.amountInCents)}: ${offence.label}`;
    select.append(option);
  }
  const choices = document.getElementById('language-choices');
  formInfo.languages.forEach((language, index) => {
    const id = `language-${language.lang}`;
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'language';
    input.id = id;
    input.value = language.answer;
    if (index === 0) input.defaultChecked = true;
    const label = document.createElement('label');
    label.htmlFor = id;
    const own = document.createElement('span');
    own.lang = language.lang;
    own.textContent = language.answer;
    label.append(own);
    // The English name beside a script a reader may not read (and a voice switched by lang).
    if (language.answer !== language.name) label.append(` (${language.name})`);
    const choice = document.createElement('div');
    choice.className = 'choice';
    choice.append(input, label);
    choices.append(choice);
  });
}

function answers() {
  const data = new FormData(form);
  return Object.fromEntries(FIELDS.map((name) => [name, String(data.get(name) ?? '')]));
}

/** The browser's side of FormSG's checks; the demo's FormSG checks again and has the last word. */
function check(values) {
  const issues = [];
  if (!values.offence)
    issues.push({ field: 'offence', message: 'Choose the offence from the list' });
  const vehicle = values.vehicle.trim();
  if (!vehicle) issues.push({ field: 'vehicle', message: 'Enter the vehicle number' });
  else if (!/^[A-Za-z0-9 ]{2,12}$/.test(vehicle))
    issues.push({
      field: 'vehicle',
      message: 'Enter the vehicle number as on its plate, letters and digits only, like SBA 1234 A',
    });
  if (!values.name.trim()) issues.push({ field: 'name', message: 'Enter your full name' });
  const email = values.email.trim();
  if (!email) issues.push({ field: 'email', message: 'Enter your e-mail address' });
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    issues.push({
      field: 'email',
      message: 'Enter an e-mail address in the right form, like name@example.com',
    });
  if (!values.language)
    issues.push({ field: 'language', message: 'Choose the language of your letter' });
  return issues;
}

function clearErrors() {
  summary.hidden = true;
  summaryList.replaceChildren();
  summaryText.hidden = true;
  for (const name of FIELDS) {
    const error = document.getElementById(`${name}-error`);
    error.hidden = true;
    error.textContent = '';
    document.querySelector(`[data-field="${name}"]`).classList.remove('has-error');
    const control = name === 'language' ? null : document.getElementById(name);
    control?.removeAttribute('aria-invalid');
  }
}

/** Where a field's error link takes focus: the control, or the first choice of a group. */
function focusTarget(field) {
  if (field === 'language') return document.querySelector('input[name="language"]');
  return document.getElementById(field);
}

/** The error summary at the top (focused, so it is read first), and each message at its field. */
function showIssues(issues) {
  clearErrors();
  for (const issue of issues) {
    const error = document.getElementById(`${issue.field}-error`);
    // The visually hidden "Error:" says what this text is when it is read on its own.
    const prefix = document.createElement('span');
    prefix.className = 'visually-hidden';
    prefix.textContent = 'Error: ';
    error.replaceChildren(prefix, issue.message);
    error.hidden = false;
    document.querySelector(`[data-field="${issue.field}"]`).classList.add('has-error');
    if (issue.field !== 'language')
      document.getElementById(issue.field).setAttribute('aria-invalid', 'true');
    const link = document.createElement('a');
    link.href = `#${issue.field}`;
    link.textContent = issue.message;
    link.addEventListener('click', (event) => {
      event.preventDefault();
      focusTarget(issue.field)?.focus();
    });
    const item = document.createElement('li');
    item.append(link);
    summaryList.append(item);
  }
  summary.hidden = false;
  summary.focus();
}

/** A problem that is no one field's: the summary with a sentence instead of links. */
function showProblem(text) {
  clearErrors();
  summaryText.textContent = text;
  summaryText.hidden = false;
  summary.hidden = false;
  summary.focus();
}

/** What the BFF answered, in words: its one error shape names the refusal. */
function describeAnswer(answer) {
  if (answer.status === 200 && answer.body?.received)
    return '200: received and recorded; the agency makes the payment and has PaySG e-mail it';
  const error = answer.body?.error;
  return error
    ? `${answer.status} ${error.code}: ${error.message}`
    : `${answer.status}: ${JSON.stringify(answer.body)}`;
}

async function submit(event) {
  event.preventDefault();
  const values = answers();
  const issues = check(values);
  if (issues.length > 0) return showIssues(issues);
  clearErrors();
  submitButton.disabled = true;
  submitButton.textContent = 'Submitting…';
  let response;
  let body;
  try {
    response = await fetch(FORM_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(values),
    });
    body = await response.json();
  } catch {
    showProblem(
      'The form could not be sent. Check that the demo is still running, then submit again.',
    );
    return;
  } finally {
    submitButton.disabled = false;
    submitButton.textContent = 'Submit';
  }
  if (body.error?.issues) return showIssues(body.error.issues);
  if (!body.submissionId) {
    showProblem(body.error?.message ?? `The demo’s FormSG answered ${response.status}.`);
    return;
  }
  if (body.error) {
    showProblem(body.error.message);
    return;
  }
  if (body.answer.status !== 200) {
    showProblem(
      `The agency's server refused the submission: ${describeAnswer(body.answer)}. Nothing was charged or sent.`,
    );
    return;
  }
  showResult(body, values);
}

function showResult(body, values) {
  submitted = { submissionId: body.submissionId, email: values.email.trim() };
  document.getElementById('retry-status').textContent = '';
  form.hidden = true;
  result.hidden = false;
  document.getElementById('submission-id').textContent = body.submissionId;
  document.getElementById('bff-answer').textContent = describeAnswer(body.answer);
  document.getElementById('posted-url').textContent = body.posted.url;
  document.getElementById('posted').textContent = [
    `X-FormSG-Signature: ${body.posted.signature}`,
    '',
    JSON.stringify(body.posted.body, null, 2),
  ].join('\n');
  // The back office's submission search, filled in and run once staff are signed in.
  document.getElementById('letter-link').href =
    `${formInfo.adminPath}/#submission/${encodeURIComponent(body.submissionId)}`;
  document.getElementById('result-title').focus();
  // A moment after the section is shown, so screen readers know the status line before it
  // changes and announce "waiting" (a live region filled as it appears is often not read).
  polling = setTimeout(() => void waitForEmail(body.submissionId, values.email.trim()), 150);
}

/** The simulator's outbox, newest first; `undefined` when the demo runs against a real PaySG. */
async function outbox() {
  const response = await fetch(OUTBOX_URL, { headers: { Accept: 'application/json' } });
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function setEmailStatus(text, waiting) {
  const status = document.getElementById('email-status');
  status.textContent = text;
  status.classList.toggle('waiting', waiting);
}

/**
 * Reads the outbox every second until the e-mail for this submission is there (its reference
 * names the submission, "PF-{submissionId}" in the demo rules), for at most 30 seconds. The
 * status line changes only when the state does, so a screen reader hears it once each time.
 */
async function waitForEmail(submissionId, address) {
  clearTimeout(polling);
  document.getElementById('email-message').hidden = true;
  setEmailStatus(`Waiting for the e-mail PaySG sends to ${address}…`, true);
  const until = Date.now() + EMAIL_WAIT_MS;
  const poll = async () => {
    let emails;
    try {
      emails = await outbox();
    } catch {
      emails = [];
    }
    if (emails === undefined) {
      setEmailStatus(
        `This demo uses a real PaySG: it e-mails the link to ${address}. There is no outbox to show here.`,
        false,
      );
      return;
    }
    const email = emails.find((e) => e.referenceId.includes(submissionId));
    if (email) return showEmail(email);
    if (Date.now() >= until) {
      setEmailStatus(
        'No e-mail after 30 seconds. The agency’s server may still be asking PaySG; search the back office for the submission id to see why.',
        false,
      );
      return;
    }
    polling = setTimeout(poll, EMAIL_POLL_MS);
  };
  await poll();
}

function showEmail(email) {
  setEmailStatus(`PaySG sent the payment link to ${email.to}.`, false);
  document.getElementById('email-to').textContent = email.to;
  // PaySG's own subject is not published: this line is the demo's.
  document.getElementById('email-subject').textContent =
    `Payment request: ${dollars(email.amountInCents)} for ${email.referenceId}`;
  const sent = document.getElementById('email-sent');
  sent.dateTime = email.sentAt;
  sent.textContent = dateTime.format(new Date(email.sentAt));
  document.getElementById('email-body').textContent =
    `${email.description}. Amount payable: ${dollars(email.amountInCents)}. Reference ${email.referenceId}.`;
  const link = document.getElementById('email-link');
  link.href = email.paymentUrl;
  link.textContent = `Pay ${dollars(email.amountInCents)} on PaySG`;
  document.getElementById('email-url').textContent = email.paymentUrl;
  document.getElementById('email-message').hidden = false;
}

/**
 * FormSG delivers again when it heard no 2xx: the same submission, signed anew. The agency's
 * server answers 200 again and makes nothing more: the outbox still has one e-mail for it.
 */
document.getElementById('retry').addEventListener('click', async () => {
  const status = document.getElementById('retry-status');
  const { submissionId, email } = submitted;
  status.textContent = 'Delivering the submission again…';
  try {
    const response = await fetch(`${FORM_URL}/${encodeURIComponent(submissionId)}/retry`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: '{}',
    });
    const body = await response.json();
    const answer = body.answer ? describeAnswer(body.answer) : body.error?.message;
    // Give the agency's server a moment: an e-mail it wrongly sent again would show up here.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const emails = await outbox();
    const count = emails?.filter((e) => e.referenceId.includes(submissionId)).length;
    status.textContent =
      count === undefined
        ? `Delivered again. The agency's server answered ${answer}.`
        : `Delivered again. The agency's server answered ${answer}. E-mails to ${email} for this submission: ${count}.`;
  } catch {
    status.textContent = 'The submission could not be delivered again. Is the demo still running?';
  }
});

document.getElementById('again').addEventListener('click', () => {
  clearTimeout(polling);
  result.hidden = true;
  form.hidden = false;
  form.reset();
  document.getElementById('offence').focus();
});

/*
 * Back from PaySG. The BFF's return route checked the payment with PaySG, then sent the payer
 * here with ?paysg_checkout={checkoutId} (RETURN_PARAM in contract/wire-names.ts). The id is
 * what lets this page read the checkout's status (GET /paysg/checkouts/{id}: never the payer's
 * details); it leaves the address bar at once, as the widget's does, so a bookmark or a shared
 * link does not carry it.
 */
const RETURN_PARAM = 'paysg_checkout';
const CHECKOUTS_URL = '/paysg/checkouts';

function takeReturnedCheckoutId() {
  const url = new URL(location.href);
  const id = url.searchParams.get(RETURN_PARAM);
  if (!id) return undefined;
  url.searchParams.delete(RETURN_PARAM);
  history.replaceState(history.state, '', url);
  return id;
}

/** What each checkout status means to the payer: a heading, a sentence, and whether to look again. */
function paymentWords(checkout) {
  const amount = dollars(checkout.amountInCents);
  const reference = checkout.referenceId;
  switch (checkout.status) {
    case 'paid':
    case 'refunded':
    case 'partially_refunded':
      return {
        kind: 'paid',
        title: 'Payment received',
        text: `PaySG received your payment of ${amount}. There is nothing more to pay for this fine.`,
      };
    case 'cancelled':
      return {
        kind: 'problem',
        title: 'This payment was cancelled',
        text: `The payment for ${reference} was cancelled, so nothing was charged. Contact the agency about this fine.`,
      };
    case 'failed':
      return {
        kind: 'problem',
        title: 'The payment did not go through',
        text: `PaySG did not take the payment for ${reference}. Nothing was charged. Pay again through the link in the e-mail.`,
      };
    default:
      return {
        kind: 'pending',
        title: 'Not paid yet',
        text: `PaySG has not received the payment of ${amount} for ${reference} yet. If you have just paid, check again in a moment; if not, pay through the link in the e-mail.`,
        again: true,
      };
  }
}

function paymentCard(kind, title, ...children) {
  const card = document.createElement('section');
  card.className = `payment-card payment-${kind}`;
  card.setAttribute('aria-labelledby', 'payment-title');
  const heading = document.createElement('h2');
  heading.id = 'payment-title';
  heading.tabIndex = -1;
  heading.textContent = title;
  card.append(heading, ...children);
  return card;
}

function paragraph(text) {
  const p = document.createElement('p');
  p.textContent = text;
  return p;
}

function checkAgainButton(checkoutId) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.textContent = 'Check again';
  button.addEventListener('click', () => void showReturnedPayment(checkoutId));
  return button;
}

/** Reads the checkout from the agency's server and says in the live region whether it is paid. */
async function showReturnedPayment(checkoutId) {
  const region = document.getElementById('payment-status');
  region.replaceChildren(paragraph('Checking your payment with the agency…'));
  let response;
  let checkout;
  try {
    response = await fetch(`${CHECKOUTS_URL}/${encodeURIComponent(checkoutId)}`, {
      headers: { Accept: 'application/json' },
      cache: 'no-store',
    });
    checkout = await response.json();
  } catch {
    region.replaceChildren(
      paymentCard(
        'problem',
        'Your payment could not be checked',
        paragraph('The agency’s server did not answer. Check again in a moment.'),
        checkAgainButton(checkoutId),
      ),
    );
    return;
  }
  if (!response.ok) {
    region.replaceChildren(
      paymentCard(
        'problem',
        'Your payment could not be checked',
        paragraph(
          response.status === 404
            ? 'The agency’s server has no payment with this id. Use the link in the e-mail to see the fine and pay it.'
            : `${checkout?.error?.message ?? `The agency’s server answered ${response.status}.`} Check again in a moment.`,
        ),
        response.status === 404 ? '' : checkAgainButton(checkoutId),
      ),
    );
    return;
  }
  const words = paymentWords(checkout);
  const facts = document.createElement('dl');
  facts.className = 'facts';
  const rows = [
    ['For', checkout.description],
    ['Amount', dollars(checkout.amountInCents)],
    ['Reference', checkout.referenceId],
    checkout.paidAt && ['Paid', dateTime.format(new Date(checkout.paidAt))],
  ];
  for (const row of rows.filter(Boolean)) {
    const dt = document.createElement('dt');
    dt.textContent = row[0];
    const dd = document.createElement('dd');
    dd.textContent = row[1] ?? '';
    facts.append(dt, dd);
  }
  region.replaceChildren(
    paymentCard(
      words.kind,
      words.title,
      paragraph(words.text),
      facts,
      words.again ? checkAgainButton(checkoutId) : '',
    ),
  );
}

form.addEventListener('submit', submit);
void loadForm();
const returned = takeReturnedCheckoutId();
if (returned) void showReturnedPayment(returned);
