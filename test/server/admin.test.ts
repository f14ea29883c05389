import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createAdminApp } from '../../server/admin/admin-app.js';
import { createCheckoutApp } from '../../server/app.js';
import { ADMIN_TOKEN, cookiesOf, createBackOffice } from '../helpers/back-office.js';
import { BROWSER_A, createHarness, errorOf } from '../helpers/bff-harness.js';

/**
 * An answer of the back office API as these tests read it: the fields they read, at any depth,
 * typed as the API answers them. Each test asserts the status before it reads a field; a list a
 * test reads by index holds at least one row there.
 */
interface Json {
  person: { kind: string; name: string };
  roles: string[];
  checkout: Json;
  checkouts: Json[];
  next: string;
  refund: Json;
  refunds: [Json, ...Json[]];
  history: Json[];
  events: [Json, ...Json[]];
  refundId: string;
  status: string;
  statusText: string;
  amountInCents: number;
  refundedInCents: number;
  refundInProgress: boolean;
  referenceId: string;
  reason: string;
  requestedBy: { email: string };
  approvedBy: { email: string };
  text: string;
  who: string;
}
const json = async (response: Response): Promise<Json> => (await response.json()) as Json;
const key = () => crypto.randomUUID();

describe('signing in to the back office', () => {
  it('goes to the identity provider and back into a session whose cookie is __Host-, HttpOnly, Secure and SameSite=Strict', async () => {
    const office = createBackOffice();
    const started = await office.admin.request('/sign-in');
    assert.equal(started.status, 302);
    assert.match(
      started.headers.get('Location')!,
      /^https:\/\/idp\.example\/authorize\?redirect_uri=https%3A%2F%2Fagency\.example%2Fpaysg%2Fadmin%2Fcallback/,
    );
    // The attempt's cookie must survive the provider's cross-site redirect back: Lax, not Strict.
    assert.match(cookiesOf(started)['__Host-paysg-admin-sign-in']!.attributes, /HttpOnly/);
    assert.match(cookiesOf(started)['__Host-paysg-admin-sign-in']!.attributes, /SameSite=Lax/);

    const cookie = await office.signIn('alice');
    const me = await json(await office.as(cookie).get('/api/me'));
    assert.deepEqual(me.person, {
      kind: 'person',
      name: 'Alice Tan',
      email: 'alice.tan@agency.example',
      subject: 'idp|alice',
    });
    assert.deepEqual(me.roles, ['view', 'refund']);
    const audit = await office.h.store.listAudit({ limit: 10 });
    assert.deepEqual(
      audit.map((e) => [e.action, e.actor.email]),
      [['sign_in', 'alice.tan@agency.example']],
    );
  });

  it('sets the session cookie with every protection, and stores only its hash', async () => {
    const office = createBackOffice();
    const started = await office.admin.request('/sign-in');
    const state = new URL(started.headers.get('Location')!).searchParams.get('state');
    const attempt = cookiesOf(started)['__Host-paysg-admin-sign-in']!.value;
    const back = await office.admin.request(`/callback?code=alice&state=${state}`, {
      headers: { Cookie: `__Host-paysg-admin-sign-in=${attempt}` },
    });
    assert.equal(back.headers.get('Location'), 'https://agency.example/paysg/admin/');
    const session = cookiesOf(back)['__Host-paysg-admin']!;
    for (const attribute of [/HttpOnly/, /Secure/, /SameSite=Strict/, /Path=\//])
      assert.match(session.attributes, attribute);
    assert.doesNotMatch(session.attributes, /Domain=/);
    assert.ok(session.value.length >= 43, 'at least 256 bits');
    // The attempt is used once: the same return again signs nobody in.
    const replayed = await office.admin.request(`/callback?code=alice&state=${state}`, {
      headers: { Cookie: `__Host-paysg-admin-sign-in=${attempt}` },
    });
    assert.equal(
      replayed.headers.get('Location'),
      'https://agency.example/paysg/admin/?sign_in=failed',
    );
    assert.equal(cookiesOf(replayed)['__Host-paysg-admin'], undefined);
  });

  it('refuses a return whose state is not the one sent, and a person who is not on the staff list', async () => {
    const office = createBackOffice();
    const started = await office.admin.request('/sign-in');
    const attempt = cookiesOf(started)['__Host-paysg-admin-sign-in']!.value;
    const forged = await office.admin.request('/callback?code=alice&state=not-the-state', {
      headers: { Cookie: `__Host-paysg-admin-sign-in=${attempt}` },
    });
    assert.equal(
      forged.headers.get('Location'),
      'https://agency.example/paysg/admin/?sign_in=failed',
    );
    assert.equal(cookiesOf(forged)['__Host-paysg-admin'], undefined);

    assert.equal(
      await office.signIn('mallory'),
      'https://agency.example/paysg/admin/?sign_in=refused',
    );
    const refused = (await office.h.store.listAudit({ limit: 10 })).find(
      (e) => e.action === 'sign_in_refused',
    );
    assert.equal(refused?.actor.email, 'mallory@elsewhere.example');
  });

  it('ends a session at sign-out (the cookie no longer opens anything), after idling, and at its absolute end', async () => {
    const office = createBackOffice({
      sessions: { idleMs: 30 * 60_000, absoluteMs: 2 * 60 * 60_000 },
    });
    const cookie = await office.signIn('alice');
    const signedOut = await office.as(cookie).post('/sign-out');
    assert.equal(signedOut.status, 200);
    assert.match(signedOut.headers.getSetCookie().join(), /__Host-paysg-admin=;/);
    assert.equal((await office.as(cookie).get('/api/me')).status, 401);
    assert.deepEqual(
      (await office.h.store.listAudit({ limit: 1 })).map((e) => e.action),
      ['sign_out'],
    );

    const idle = await office.signIn('alice');
    office.h.clock.advance(29 * 60_000);
    assert.equal((await office.as(idle).get('/api/me')).status, 200);
    office.h.clock.advance(29 * 60_000);
    assert.equal(
      (await office.as(idle).get('/api/me')).status,
      200,
      'each request moves the idle timeout on',
    );
    office.h.clock.advance(31 * 60_000);
    const expired = await office.as(idle).get('/api/me');
    assert.equal(expired.status, 401);
    assert.equal((await errorOf(expired)).message, 'Your session has ended; sign in again');

    const busy = await office.signIn('alice');
    for (let minutes = 0; minutes < 120; minutes += 20) {
      assert.equal((await office.as(busy).get('/api/me')).status, 200);
      office.h.clock.advance(20 * 60_000);
    }
    assert.equal(
      (await office.as(busy).get('/api/me')).status,
      401,
      'however busy, a session ends at its absolute lifetime',
    );
  });

  it('refuses a change from another origin, without an Origin, or not as JSON, even with a valid session', async () => {
    const office = createBackOffice();
    const id = await office.paidCheckout('LIC-CSRF-1');
    const cookie = await office.signIn('alice');
    const path = `/api/checkouts/${id}/refunds`;
    const body = JSON.stringify({ amountInCents: 100, reason: 'Paid twice' });
    for (const headers of <Record<string, string>[]>[
      { Origin: 'https://evil.example', 'Content-Type': 'application/json' },
      { 'Content-Type': 'application/json' },
      { Origin: 'https://agency.example', 'Content-Type': 'text/plain' },
    ]) {
      const response = await office.admin.request(path, {
        method: 'POST',
        headers: { Cookie: cookie, 'Idempotency-Key': key(), ...headers },
        body,
      });
      assert.ok([403, 415].includes(response.status), JSON.stringify(headers));
    }
    assert.equal(await office.refundedAtPaysg(id), 0);
  });

  it('answers a script with the ADMIN_TOKEN, audited as the API token, and refuses a wrong token, a checkout id or a browser secret', async () => {
    const office = createBackOffice();
    const { json: created } = await office.h.createCheckout({ reference: 'LIC-TOKEN-1' });
    for (const headers of <Record<string, string>[]>[
      {},
      { Authorization: `Bearer ${'x'.repeat(ADMIN_TOKEN.length)}` },
      { Authorization: `Bearer ${created.checkoutId}` },
      { 'X-PaySG-Browser': BROWSER_A },
    ]) {
      const response = await office.admin.request('/api/checkouts', { headers });
      assert.equal(response.status, 401, JSON.stringify(headers));
      assert.equal((await errorOf(response)).code, 'unauthorized');
    }
    const me = await json(await office.script.get('/api/me'));
    assert.deepEqual([me.person.kind, me.person.name], ['token', 'API token']);
    assert.throws(
      () => createAdminApp(office.h.deps, { token: 'too-short' }),
      /at least 32 characters/,
    );
  });
});

describe('roles', () => {
  it('lets a view person list, open and export, but not refund or cancel', async () => {
    const office = createBackOffice();
    const id = await office.paidCheckout('LIC-VIEW-1');
    const { json: unpaid } = await office.h.createCheckout({ reference: 'LIC-VIEW-2' });
    const viewer = office.as(await office.signIn('chitra'));
    assert.deepEqual((await json(await viewer.get('/api/me'))).roles, ['view']);
    assert.equal((await viewer.get('/api/checkouts')).status, 200);
    assert.equal((await viewer.get(`/api/checkouts/${id}`)).status, 200);
    assert.equal((await viewer.get('/api/checkouts.csv')).status, 200);
    const refund = await viewer.post(
      `/api/checkouts/${id}/refunds`,
      { reason: 'Paid twice' },
      { 'Idempotency-Key': key() },
    );
    assert.equal(refund.status, 403);
    assert.equal((await errorOf(refund)).code, 'forbidden');
    assert.equal(
      (await viewer.post(`/api/checkouts/${unpaid.checkoutId}/cancel`, { reason: 'Duplicate' }))
        .status,
      403,
    );
    assert.equal(await office.refundedAtPaysg(id), 0);
    assert.equal((await office.h.store.get(unpaid.checkoutId))!.status, 'unpaid');
  });
});

describe('refunds', () => {
  it('refunds part and then the rest with a reason each, naming the person in the audit and the history', async () => {
    const office = createBackOffice();
    const id = await office.paidCheckout('LIC-REFUND-1');
    const alice = office.as(await office.signIn('alice'));

    const noReason = await alice.post(
      `/api/checkouts/${id}/refunds`,
      { amountInCents: 2000 },
      { 'Idempotency-Key': key() },
    );
    assert.equal(noReason.status, 400);
    assert.deepEqual(
      (await errorOf(noReason)).issues?.map((i) => i.path),
      ['reason'],
    );

    const partly = await alice.post(
      `/api/checkouts/${id}/refunds`,
      { amountInCents: 2000, reason: 'Licence period shortened' },
      { 'Idempotency-Key': key() },
    );
    assert.equal(partly.status, 201);
    const partlyBody = await json(partly);
    assert.deepEqual(
      [
        partlyBody.refund.status,
        partlyBody.checkout.refundedInCents,
        partlyBody.checkout.statusText,
      ],
      ['succeeded', 2000, 'Paid, partly refunded'],
    );
    office.h.clock.advance(60_000);
    const rest = await alice.post(
      `/api/checkouts/${id}/refunds`,
      { reason: 'Stall closed' },
      { 'Idempotency-Key': key() },
    );
    assert.deepEqual([(await json(rest)).checkout.refundedInCents, rest.status], [12000, 201]);
    assert.equal(await office.refundedAtPaysg(id), 12000);

    const detail = await json(await alice.get(`/api/checkouts/${id}`));
    assert.deepEqual(
      detail.refunds.map((r: Json) => [
        r.amountInCents,
        r.reason,
        r.requestedBy.email,
        r.statusText,
      ]),
      [
        [2000, 'Licence period shortened', 'alice.tan@agency.example', 'Refunded'],
        [10000, 'Stall closed', 'alice.tan@agency.example', 'Refunded'],
      ],
    );
    const lines = detail.history.map(
      (l: Json) => `${l.text} | ${l.who}${l.reason ? ` | ${l.reason}` : ''}`,
    );
    assert.ok(
      lines.includes(
        'Refund of SGD 20.00 asked for | Alice Tan (alice.tan@agency.example) | Licence period shortened',
      ),
      lines.join('\n'),
    );
    assert.ok(lines.includes('PaySG refunded SGD 100.00 | PaySG'), lines.join('\n'));
    const actions = (await office.h.store.listAudit({ checkoutId: id, limit: 20 }))
      .map((e) => e.action)
      .reverse();
    assert.deepEqual(actions, [
      'refund_requested',
      'refund_sent',
      'refund_settled',
      'refund_requested',
      'refund_sent',
      'refund_settled',
    ]);
  });

  it('replays a retried refund (the same key and body) with the first answer, never refunding twice', async () => {
    const office = createBackOffice();
    const id = await office.paidCheckout('LIC-REPLAY-1');
    const alice = office.as(await office.signIn('alice'));
    const attempt = key();
    const first = await alice.post(
      `/api/checkouts/${id}/refunds`,
      { amountInCents: 9000, reason: 'Overcharged' },
      { 'Idempotency-Key': attempt },
    );
    assert.equal(first.status, 201);
    // SGD 30.00 is left: the retry of the SGD 90.00 refund is that refund again, not "at most SGD 30.00".
    const again = await alice.post(
      `/api/checkouts/${id}/refunds`,
      { amountInCents: 9000, reason: 'Overcharged' },
      { 'Idempotency-Key': attempt },
    );
    assert.equal(again.status, 200);
    assert.equal((await json(again)).refund.refundId, (await json(first)).refund.refundId);
    // A full refund replayed after it emptied the checkout is the same refund too.
    const whole = key();
    assert.equal(
      (
        await alice.post(
          `/api/checkouts/${id}/refunds`,
          { reason: 'The rest' },
          { 'Idempotency-Key': whole },
        )
      ).status,
      201,
    );
    assert.equal(
      (
        await alice.post(
          `/api/checkouts/${id}/refunds`,
          { reason: 'The rest' },
          { 'Idempotency-Key': whole },
        )
      ).status,
      200,
    );
    assert.equal(await office.refundedAtPaysg(id), 12000);
    // The same key with another amount is another request: refused, not replayed.
    const changed = await alice.post(
      `/api/checkouts/${id}/refunds`,
      { amountInCents: 100, reason: 'Overcharged' },
      { 'Idempotency-Key': attempt },
    );
    assert.equal((await errorOf(changed)).code, 'idempotency_mismatch');
  });

  for (const order of ['A then B', 'B then A'] as const) {
    it(`never hides a refund behind a key used on another checkout (${order})`, async () => {
      const office = createBackOffice();
      const [a, b] = [
        await office.paidCheckout('LIC-KEY-A'),
        await office.paidCheckout('LIC-KEY-B'),
      ];
      const [first, second] = order === 'A then B' ? [a, b] : [b, a];
      const alice = office.as(await office.signIn('alice'));
      const shared = key();
      assert.equal(
        (
          await alice.post(
            `/api/checkouts/${first}/refunds`,
            { amountInCents: 1500, reason: 'Late fee waived' },
            { 'Idempotency-Key': shared },
          )
        ).status,
        201,
      );
      const reused = await alice.post(
        `/api/checkouts/${second}/refunds`,
        { amountInCents: 1500, reason: 'Late fee waived' },
        { 'Idempotency-Key': shared },
      );
      assert.equal(reused.status, 409);
      const error = await errorOf(reused);
      assert.equal(error.code, 'idempotency_mismatch');
      assert.deepEqual(error.issues, [
        { path: 'Idempotency-Key', message: 'Used for a refund of another checkout' },
      ]);
      // PaySG refunded the first only, and each checkout says what PaySG did.
      assert.deepEqual(
        [await office.refundedAtPaysg(first), await office.refundedAtPaysg(second)],
        [1500, 0],
      );
      assert.deepEqual(
        [
          (await office.h.store.get(first))!.refundedInCents,
          (await office.h.store.get(second))!.refundedInCents,
        ],
        [1500, 0],
      );
    });
  }

  it('accepts only keys it can send on, and checks the amount before anything is sent', async () => {
    const office = createBackOffice();
    const id = await office.paidCheckout('LIC-KEYS-1');
    const alice = office.as(await office.signIn('alice'));
    const refund = (
      body: Record<string, unknown>,
      headers: Record<string, string> = { 'Idempotency-Key': key() },
    ) => alice.post(`/api/checkouts/${id}/refunds`, body, headers);
    for (const bad of <Record<string, string>[]>[
      {},
      { 'Idempotency-Key': 'k'.repeat(250) },
      { 'Idempotency-Key': 'short' },
      { 'Idempotency-Key': 'has spaces in it' },
    ]) {
      const response = await refund({ reason: 'Overcharged' }, bad);
      assert.equal(response.status, 400, JSON.stringify(bad));
    }
    for (const amountInCents of [0, -5, 12.5, '20']) {
      const response = await refund({ amountInCents, reason: 'Overcharged' });
      assert.equal(response.status, 400, String(amountInCents));
      assert.equal((await errorOf(response)).issues?.[0]?.path, 'amountInCents');
    }
    const over = await refund({ amountInCents: 12001, reason: 'Overcharged' });
    assert.equal(over.status, 400);
    assert.equal((await errorOf(over)).message, 'At most SGD 120.00 can still be refunded');
    assert.equal(await office.refundedAtPaysg(id), 0);
    assert.equal(office.h.paysgTraffic.posts, 1, 'only the payment was ever posted to PaySG');
  });

  it('records a refund whose answer was lost as in progress, lets no second refund start, and settles it with PaySG', async () => {
    const office = createBackOffice();
    const id = await office.paidCheckout('LIC-LOST-1');
    const alice = office.as(await office.signIn('alice'));
    office.h.paysgTraffic.downAfterNextPost = true;
    const lost = await alice.post(
      `/api/checkouts/${id}/refunds`,
      { amountInCents: 5000, reason: 'Overcharged' },
      { 'Idempotency-Key': key() },
    );
    assert.equal(lost.status, 202);
    const lostBody = await json(lost);
    assert.deepEqual(
      [
        lostBody.refund.status,
        lostBody.checkout.refundInProgress,
        lostBody.checkout.refundedInCents,
      ],
      ['requested', true, 0],
    );
    // PaySG did refund; while it cannot be asked, no second refund of this checkout starts.
    assert.equal(await office.refundedAtPaysg(id), 5000);
    const second = await alice.post(
      `/api/checkouts/${id}/refunds`,
      { amountInCents: 5000, reason: 'Overcharged' },
      { 'Idempotency-Key': key() },
    );
    assert.equal(second.status, 409);
    assert.equal((await errorOf(second)).code, 'refund_in_progress');
    // PaySG answers again: the reconciler sends the same refund under its key, PaySG replays.
    office.h.paysgTraffic.down = false;
    office.h.clock.advance(120_000);
    const report = await office.h.app.reconcile();
    assert.equal(report.refundsSettled, 1);
    const checkout = (await office.h.store.get(id))!;
    assert.deepEqual(
      [checkout.refundedInCents, checkout.refundStatus],
      [5000, 'partially_refunded'],
    );
    assert.equal(await office.refundedAtPaysg(id), 5000);
    const settled = (await office.h.store.listAudit({ checkoutId: id, limit: 1 }))[0]!;
    assert.deepEqual([settled.action, settled.actor.kind], ['refund_settled', 'system']);
  });

  it('settles an unanswered refund when the checkout is opened', async () => {
    const office = createBackOffice();
    const id = await office.paidCheckout('LIC-LOST-2');
    const alice = office.as(await office.signIn('alice'));
    office.h.paysgTraffic.downAfterNextPost = true;
    assert.equal(
      (
        await alice.post(
          `/api/checkouts/${id}/refunds`,
          { amountInCents: 700, reason: 'Overcharged' },
          { 'Idempotency-Key': key() },
        )
      ).status,
      202,
    );
    office.h.paysgTraffic.down = false;
    const opened = await json(await alice.get(`/api/checkouts/${id}`));
    assert.deepEqual(
      [opened.checkout.refundedInCents, opened.checkout.refundInProgress, opened.refunds[0].status],
      [700, false, 'succeeded'],
    );
  });

  it('records a refusal from PaySG as such, and says why', async () => {
    const office = createBackOffice();
    const id = await office.paidCheckout('LIC-REFUSED-1');
    office.h.clock.advance(91 * 24 * 60 * 60_000);
    const alice = office.as(await office.signIn('alice'));
    const refused = await alice.post(
      `/api/checkouts/${id}/refunds`,
      { amountInCents: 700, reason: 'Overcharged' },
      { 'Idempotency-Key': key() },
    );
    assert.equal(refused.status, 409);
    const error = await errorOf(refused);
    assert.equal(error.code, 'refund_refused');
    assert.match(error.message, /90 days/);
    const [refund] = await office.h.store.refundsOf(id);
    assert.deepEqual([refund?.status, refund?.reason], ['failed', 'Overcharged']);
  });
});

describe('approval of large refunds', () => {
  it('holds a refund above the amount until a second person with the refund role approves it', async () => {
    const office = createBackOffice({ refundApprovalOverInCents: 10_000 });
    const id = await office.paidCheckout('LIC-APPROVE-1');
    const alice = office.as(await office.signIn('alice'));
    const asked = await alice.post(
      `/api/checkouts/${id}/refunds`,
      { reason: 'Stall closed by the agency' },
      { 'Idempotency-Key': key() },
    );
    assert.equal(asked.status, 202);
    const { refund } = await json(asked);
    const refundId = refund.refundId as string;
    assert.equal(refund.status, 'awaiting_approval');
    assert.equal(await office.refundedAtPaysg(id), 0);

    const own = await alice.post(`/api/refunds/${refundId}/approve`);
    assert.deepEqual([own.status, (await errorOf(own)).code], [403, 'own_refund']);
    const script = await office.script.post(`/api/refunds/${refundId}/approve`);
    assert.equal(script.status, 403);
    const viewer = await office
      .as(await office.signIn('chitra'))
      .post(`/api/refunds/${refundId}/approve`);
    assert.equal(viewer.status, 403);
    assert.equal(await office.refundedAtPaysg(id), 0);

    const ben = office.as(await office.signIn('ben'));
    const approved = await ben.post(`/api/refunds/${refundId}/approve`);
    assert.equal(approved.status, 201);
    const body = await json(approved);
    assert.deepEqual(
      [body.refund.status, body.refund.approvedBy.email, body.checkout.refundedInCents],
      ['succeeded', 'ben.lim@agency.example', 12000],
    );
    assert.equal(await office.refundedAtPaysg(id), 12000);
    const trail = (await office.h.store.listAudit({ checkoutId: id, limit: 10 }))
      .reverse()
      .map((e) => `${e.action}:${e.actor.email}`);
    assert.deepEqual(trail, [
      'refund_requested:alice.tan@agency.example',
      'refund_approved:ben.lim@agency.example',
      'refund_sent:ben.lim@agency.example',
      'refund_settled:ben.lim@agency.example',
    ]);
  });

  it('sends a refund at or below the amount at once, and a declined one never', async () => {
    const office = createBackOffice({ refundApprovalOverInCents: 10_000 });
    const id = await office.paidCheckout('LIC-APPROVE-2');
    const alice = office.as(await office.signIn('alice'));
    assert.equal(
      (
        await alice.post(
          `/api/checkouts/${id}/refunds`,
          { amountInCents: 10_000, reason: 'Overcharged' },
          { 'Idempotency-Key': key() },
        )
      ).status,
      201,
    );
    const other = await office.paidCheckout('LIC-APPROVE-3');
    const asked = await json(
      await alice.post(
        `/api/checkouts/${other}/refunds`,
        { reason: 'Mistake' },
        { 'Idempotency-Key': key() },
      ),
    );
    const ben = office.as(await office.signIn('ben'));
    const declined = await ben.post(`/api/refunds/${asked.refund.refundId}/decline`, {
      reason: 'Not eligible under the licence rules',
    });
    assert.equal((await json(declined)).refund.status, 'declined');
    assert.equal(await office.refundedAtPaysg(other), 0);
    assert.equal((await ben.post(`/api/refunds/${asked.refund.refundId}/approve`)).status, 409);
  });
});

describe('cancel, search, export and the audit', () => {
  it('cancels an unpaid checkout with a reason, never a paid one, and audits both', async () => {
    const office = createBackOffice();
    const { json: created } = await office.h.createCheckout({ reference: 'LIC-CANCEL-1' });
    const alice = office.as(await office.signIn('alice'));
    assert.equal((await alice.post(`/api/checkouts/${created.checkoutId}/cancel`, {})).status, 400);
    const cancelled = await alice.post(`/api/checkouts/${created.checkoutId}/cancel`, {
      reason: 'Payer applied twice',
    });
    assert.equal((await json(cancelled)).checkout.status, 'cancelled');
    assert.equal(
      office.h.simulator.ledger.find(office.h.paymentIdOf(created.paymentUrl))!.latest_status,
      'cancelled',
    );
    const paid = await office.paidCheckout('LIC-CANCEL-2');
    const refused = await alice.post(`/api/checkouts/${paid}/cancel`, { reason: 'Mistake' });
    assert.equal((await errorOf(refused)).code, 'order_already_paid');
    const audit = await office.h.store.listAudit({ limit: 10 });
    assert.deepEqual(
      audit.filter((e) => e.action === 'cancel').map((e) => [e.checkoutId, e.outcome, e.reason]),
      [
        [paid, 'refused', 'Mistake'],
        [created.checkoutId, 'ok', 'Payer applied twice'],
      ],
    );
  });

  it('finds checkouts by part of a reference in any case, a payer name, a payment id or a checkout id, with filters and pages', async () => {
    const office = createBackOffice();
    const paid = await office.paidCheckout('HS-01-23-2027');
    office.h.clock.advance(1000);
    const { json: other } = await office.h.createCheckout({
      reference: 'HS-02-11-2027',
      payer: { name: 'Siti Nurhaliza' },
    });
    const viewer = office.as(await office.signIn('chitra'));
    const found = async (query: string) =>
      (await json(await viewer.get(`/api/checkouts?${query}`))).checkouts.map(
        (c: Json) => c.referenceId,
      );
    assert.deepEqual(await found('search=hs-01-23'), ['HS-01-23-2027']);
    assert.deepEqual(await found('search=hs-0'), ['HS-02-11-2027', 'HS-01-23-2027']);
    assert.deepEqual(await found('search=nurhal'), ['HS-02-11-2027']);
    assert.deepEqual(await found(`search=${(await office.h.store.get(paid))!.paymentId}`), [
      'HS-01-23-2027',
    ]);
    assert.deepEqual(await found(`search=${other.checkoutId}`), ['HS-02-11-2027']);
    assert.deepEqual(await found('search=hs-0&status=paid'), ['HS-01-23-2027']);
    assert.deepEqual(await found('search=hs-0&status=unpaid'), ['HS-02-11-2027']);
    // The harness's clock is 2026-11-22 09:00 in Singapore.
    assert.deepEqual(await found('from=2026-11-22&to=2026-11-22'), [
      'HS-02-11-2027',
      'HS-01-23-2027',
    ]);
    assert.deepEqual(await found('from=2026-11-23'), []);
    const page = await json(await viewer.get('/api/checkouts?limit=1'));
    assert.deepEqual([page.checkouts.length, typeof page.next], [1, 'string']);
    const next = await json(
      await viewer.get(`/api/checkouts?limit=1&before=${encodeURIComponent(page.next)}`),
    );
    assert.deepEqual(
      next.checkouts.map((c: Json) => c.referenceId),
      ['HS-01-23-2027'],
    );
    for (const bad of [
      'before=nonsense',
      'from=2026-02-30',
      'status=refunded-ish',
      'from=2026-12-02&to=2026-12-01',
    ]) {
      assert.equal((await viewer.get(`/api/checkouts?${bad}`)).status, 400, bad);
    }
  });

  it('exports checkouts and the audit, each export itself on the record', async () => {
    const office = createBackOffice();
    await office.paidCheckout('LIC-CSV-1');
    const viewer = office.as(await office.signIn('chitra'));
    const csv = await viewer.get('/api/checkouts.csv?status=paid');
    assert.match(csv.headers.get('Content-Type')!, /^text\/csv/);
    assert.match(
      csv.headers.get('Content-Disposition')!,
      /^attachment; filename="checkouts-2026-11-22\.csv"$/,
    );
    assert.match(await csv.text(), /LIC-CSV-1/);
    const audit = await viewer.get('/api/audit.csv');
    assert.match(await audit.text(), /Exported checkouts/);
    const events = await json(await viewer.get('/api/audit'));
    assert.deepEqual(events.events.map((e: Json) => e.text).slice(0, 2), [
      'Exported the audit',
      'Exported checkouts',
    ]);
    assert.equal(events.events[0].who, 'Chitra Devi (chitra.devi@agency.example)');
  });

  it('offers no way to change or remove the audit', async () => {
    const office = createBackOffice();
    await office.signIn('alice');
    const [event] = await office.h.store.listAudit({ limit: 1 });
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      for (const path of ['/api/audit', `/api/audit/${event!.id}`]) {
        const response = await office.admin.request(path, {
          method,
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
        });
        assert.equal(response.status, 404, `${method} ${path}`);
      }
    }
    assert.equal((await office.h.store.listAudit({ limit: 10 })).length, 1);
  });

  it('has its own rate limit, which failed attempts count against', async () => {
    const office = createBackOffice({ requestsPerMinute: 3 });
    for (let i = 0; i < 3; i++)
      assert.equal(
        (
          await office.admin.request('/api/checkouts', {
            headers: { Authorization: 'Bearer wrong' },
          })
        ).status,
        401,
      );
    assert.equal((await office.script.get('/api/checkouts')).status, 429);
  });
});

describe('the page', () => {
  it('is served at {base}/admin/ under a strict policy that no other site may frame', async () => {
    const office = createBackOffice();
    for (const [path, type] of [
      ['/', /^text\/html/],
      ['/admin.js', /^text\/javascript/],
      ['/admin.css', /^text\/css/],
    ] as const) {
      const response = await office.admin.request(path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('Content-Type')!, type);
      const policy = response.headers.get('Content-Security-Policy')!;
      for (const directive of [
        "script-src 'self'",
        "frame-ancestors 'none'",
        "require-trusted-types-for 'script'",
        "default-src 'none'",
      ])
        assert.ok(policy.includes(directive), `${path}: ${directive}`);
    }
    assert.doesNotMatch(await (await office.admin.request('/')).text(), /<script>|style=/);
  });

  it('answers under its base path when served directly, and anything else with 404 in the error shape', async () => {
    const h = createHarness();
    const bff = createCheckoutApp({ ...h.deps, basePath: '/paysg' });
    assert.equal((await bff.request('/paysg/quote?item=licence-renewal')).status, 200);
    const missing = await bff.request('/quote?item=licence-renewal');
    assert.deepEqual([missing.status, (await errorOf(missing)).code], [404, 'not_found']);
    const admin = createAdminApp(h.deps, { token: ADMIN_TOKEN, basePath: '/paysg/admin' });
    assert.equal(
      (
        await admin.request('/paysg/admin/api/checkouts', {
          headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
        })
      ).status,
      200,
    );
    assert.equal((await admin.request('/paysg/admin/')).status, 200);
  });
});
