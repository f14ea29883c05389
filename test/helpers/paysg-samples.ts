/**
 * PaySG's published samples, read from the verbatim copies in `test/fixtures/paysg/` (each with a
 * `*.source.md` naming its source), so the client's schemas are checked against what PaySG and its
 * own codebases actually show, doc slips included.
 *
 * Two kinds of export, never mixed up:
 * - **Verbatim** (RETRIEVE_SAMPLE, REFUND_SAMPLE, PAGE_SAMPLE, EVENT_DATA_OBJECT_SAMPLE,
 *   PLUMBER_CREATE_SAMPLE, FORMSG_STAGING_CREATE_RESPONSE): parsed from the published text. Where that
 *   text is not valid JSON, only its syntax is repaired, each repair named in a comment here; no
 *   value is ever changed.
 * - **Constructed** (EVENT_SAMPLE, EVENT_OBJECT_SAMPLE, EVENT_CAMEL_CASE_SAMPLE,
 *   EVENT_EMPTY_STRINGS_SAMPLE, ERROR_SAMPLE): not PaySG's text, because the published text could not
 *   be seen whole or does not exist; each says what it was built from.
 *
 * Not held at all (see test/fixtures/paysg/README.md): the guide's own create-a-payment response
 * sample (never visible in any stored copy of the page; Plumber's copy of it is PLUMBER_CREATE_SAMPLE),
 * the complete webhook event sample, the older camelCase event, and the errors page's sample body.
 */
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../fixtures/paysg/', import.meta.url);

/** SHA-256 of each verbatim fixture, as recorded in its `*.source.md`. */
export const FIXTURE_SHA256 = {
  'guide-retrieve-response.json.txt':
    '18e45139fa45f32703e8b8ce4024a7d0796c533c20e665e982828b2958bc29ce',
  'guide-refund-response.json.txt':
    '061b809d752b535f565f1155fd71c0a31bd9e9c0ac925abd9b591d88a7b90c66',
  'guide-pagination-response.json.txt':
    'decd8fd236391e99a463d978332c82e7a86c25011aa7930f804ff98b91def9bb',
  'guide-webhook-event-data-object.json.txt':
    '0ebb53b1a25b44dc17bd6759bdf49efba44f4ac822db853fe433b14323d5b12b',
  'guide-webhook-event.INCOMPLETE-prefix.txt':
    'a3dcc2961dd163969d6da5fd48b258135e7636ae3830e231cecefd406a784d60',
  'plumber-create-sample.ts.txt':
    '48def19cf118654da253e1b8c75b97de9f7523f43b0c1b247f5c7bba3bb7e355',
  'formsg-staging-create-response.js.txt':
    'b12a5fbec878e768109cd4baa4fa8f3127170c894097e029ac58337ea1b57d09',
} as const;

export type FixtureName = keyof typeof FIXTURE_SHA256;

/** The exact published text of one fixture. */
export function fixtureText(name: FixtureName): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** Replaces `find` by `replace`, and fails unless `find` occurs exactly once (so a repair never drifts). */
function repairOnce(text: string, find: string, replace: string): string {
  const at = text.indexOf(find);
  if (at < 0 || text.indexOf(find, at + 1) >= 0)
    throw new Error(`repair target must occur exactly once: ${JSON.stringify(find)}`);
  return text.slice(0, at) + replace + text.slice(at + find.length);
}

/**
 * Turns a JavaScript/TypeScript object literal (as Plumber and FormSG wrote their samples) into JSON
 * by syntax alone: drops `//` comments and TypeScript `as <type>` assertions, quotes bare keys,
 * rewrites single-quoted strings as JSON strings, and drops trailing commas. Values pass through
 * untouched; anything else (a call, a variable) is refused.
 */
export function jsObjectLiteralToJson(source: string): string {
  let out = '';
  let i = 0;
  const isIdentStart = (c: string) => /[A-Za-z_$]/.test(c);
  const skipSpaceAndComments = (from: number) => {
    let j = from;
    for (;;) {
      while (j < source.length && /\s/.test(source[j]!)) j++;
      if (source.startsWith('//', j)) {
        while (j < source.length && source[j] !== '\n') j++;
        continue;
      }
      return j;
    }
  };
  const readIdent = (from: number) => {
    let j = from;
    while (j < source.length && /[A-Za-z0-9_$]/.test(source[j]!)) j++;
    return source.slice(from, j);
  };
  while (i < source.length) {
    const c = source[i]!;
    if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === "'" || c === '"') {
      let value = '';
      let j = i + 1;
      while (source[j] !== c) {
        if (j >= source.length) throw new Error('unterminated string in object literal');
        if (source[j] === '\\') {
          const next = source[j + 1]!;
          value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
          j += 2;
        } else {
          value += source[j];
          j++;
        }
      }
      out += JSON.stringify(value);
      i = j + 1;
    } else if (isIdentStart(c)) {
      const ident = readIdent(i);
      i += ident.length;
      if (ident === 'as') {
        // A TypeScript type assertion (`null as null`): the type name is syntax, not a value.
        const typeStart = skipSpaceAndComments(i);
        const type = readIdent(typeStart);
        if (!type) throw new Error('unreadable type assertion in object literal');
        i = typeStart + type.length;
      } else if (source[skipSpaceAndComments(i)] === ':') {
        out += JSON.stringify(ident);
      } else if (ident === 'null' || ident === 'true' || ident === 'false') {
        out += ident;
      } else {
        throw new Error(`not a literal value: ${ident}`);
      }
    } else if (c === ',') {
      const next = source[skipSpaceAndComments(i + 1)];
      if (next !== '}' && next !== ']') out += ',';
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

type Sample = Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Verbatim samples
// ---------------------------------------------------------------------------------------------

/** guide, Retrieve payments (GET one payment): valid JSON as published, parsed as is. */
export const RETRIEVE_SAMPLE: Sample = JSON.parse(fixtureText('guide-retrieve-response.json.txt'));

/** guide, Refund a payment: the response sample, with one syntax repair. */
export const REFUND_SAMPLE: Sample = JSON.parse(
  // SYNTAX REPAIR (paysg-api.md §16.7): the published text has no comma after the `updated_at`
  // line; insert that one comma. Nothing else changes.
  repairOnce(
    fixtureText('guide-refund-response.json.txt'),
    '"updated_at": "2023-08-16T11:44:19.197+08:00"\n',
    '"updated_at": "2023-08-16T11:44:19.197+08:00",\n',
  ),
);

/**
 * guide, Pagination: the sample response, with three syntax repairs. Its `data` is elided in the
 * guide, so it is an empty array here; its cursors and `has_previous_page: true` are as published.
 */
export const PAGE_SAMPLE: { data: Sample[]; page_info: Sample } = JSON.parse(
  repairOnce(
    repairOnce(
      fixtureText('guide-pagination-response.json.txt'),
      // SYNTAX REPAIRS 1 and 2 (paysg-api.md §16.7): `"data": [ ... ]` elides the payments with
      // `...` and has no comma before `"page_info"`; it becomes `"data": [],` (an empty array, plus
      // the missing comma).
      '"data": [ ... ]\n',
      '"data": [],\n',
    ),
    // SYNTAX REPAIR 3: the trailing comma after the `end_cursor` value, before `}`, is removed.
    '"WyIyMDdOjEyLjczLTA1LTjI3Z25QRXVyYm9YVODIzDE0Ok5QyJdTlowMCIsIjaaB0NCNCswaTzEy",\n  }',
    '"WyIyMDdOjEyLjczLTA1LTjI3Z25QRXVyYm9YVODIzDE0Ok5QyJdTlowMCIsIjaaB0NCNCswaTzEy"\n  }',
  ),
);

/**
 * guide, Webhooks › Events: the `data.object` (the payment) of the `payment.succeeded` example, as
 * published: `amount_in_cents: 12.34`, the misspelt `stripe_payment_intentId`. Only this part of the
 * event could be seen whole; valid JSON, parsed as is.
 */
export const EVENT_DATA_OBJECT_SAMPLE: Sample = JSON.parse(
  fixtureText('guide-webhook-event-data-object.json.txt'),
);

/**
 * The guide's create-a-payment response as copied into opengovsg/plumber's tests (`MOCK_PAYMENT`),
 * Plumber's text: amount 1130, `return_url`, and a `payment_qr_code_url: 'https://test3.local'` that
 * Plumber added ("this is not documented"). Converted from its TypeScript literal by syntax only.
 */
export const PLUMBER_CREATE_SAMPLE: Sample = JSON.parse(
  jsObjectLiteralToJson(fixtureText('plumber-create-sample.ts.txt')),
);

/**
 * A real create-a-payment response from PaySG's staging API (2023-10-17) kept in opengovsg/FormSG's
 * `paysg.service.ts`: no `payment_qr_code_url`, `return_url: null`. Converted from its JavaScript
 * literal by syntax only.
 */
export const FORMSG_STAGING_CREATE_RESPONSE: Sample = JSON.parse(
  jsObjectLiteralToJson(fixtureText('formsg-staging-create-response.js.txt')),
);

// ---------------------------------------------------------------------------------------------
// Constructed samples: NOT PaySG's text
// ---------------------------------------------------------------------------------------------

/**
 * CONSTRUCTED, not a published sample: the guide's event example is cut off in every available
 * copy. This wraps the verbatim EVENT_DATA_OBJECT_SAMPLE in the envelope fields whose values the
 * copies show whole: `id`, `type`, `object` (older copy, verbatim prefix fixture) and `created_at`
 * (whole only in the copy with empty strings). `payment_service_id` is left out: its value is cut
 * off in every copy. Key order as in the guide.
 */
export const EVENT_SAMPLE: Sample = {
  id: 'evt_752ced1f-00ce-4905-8c46-367371dd78e6',
  data: { object: EVENT_DATA_OBJECT_SAMPLE },
  type: 'payment.succeeded',
  object: 'event',
  created_at: '2023-10-02T16:17:08.210+08:00',
};

/**
 * CONSTRUCTED from the event object page's field list (paysg-api.md §8.1: `id`, `data`, `type`,
 * `object`, `payment_service_id`, `created` in epoch milliseconds); that page has no sample. `created`
 * is EVENT_SAMPLE's `created_at` in milliseconds; `payment_service_id` is the one in `data.object`.
 */
export const EVENT_OBJECT_SAMPLE: Sample = {
  id: EVENT_SAMPLE.id,
  data: { object: EVENT_DATA_OBJECT_SAMPLE },
  type: 'payment.succeeded',
  object: 'event',
  payment_service_id: EVENT_DATA_OBJECT_SAMPLE.payment_service_id,
  created: Date.parse('2023-10-02T16:17:08.210+08:00'),
};

/** `payment_status` → `paymentStatus`. */
function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * CONSTRUCTED: the older webhooks page (/webhooks/webhooks) shows the same example with camelCase
 * keys in `data.object` (`dueDate`, `payoutId`, `createdAt`, `creatorId`, `payerName`, `updatedAt`,
 * `payerEmail`, `paymentUrl`, `referenceId`, `latestStatus`, `payerAddress`…, the snake_case copy's
 * values, though one copy has `"paymentUrl": ""`), but every copy is cut off, has lost its
 * indentation and has its e-mail address obfuscated. This is
 * EVENT_SAMPLE with each `data.object` key of the verbatim snake_case object camelCased;
 * `stripe_payment_intentId` becomes `stripePaymentIntentId`, a guess (that line was never seen).
 */
export const EVENT_CAMEL_CASE_SAMPLE: Sample = {
  ...EVENT_SAMPLE,
  data: {
    object: Object.fromEntries(
      Object.entries(EVENT_DATA_OBJECT_SAMPLE).map(([k, v]) => [camelCase(k), v]),
    ),
  },
};

/**
 * CONSTRUCTED: one copy of the events page shows the same example with `"payer_email": ""` and
 * `"payment_url": ""` (paysg-api.md §16.8), but its text cannot be held (brace lines lost, cut
 * off). This is EVENT_SAMPLE with those two values set to "" as that copy shows them.
 */
export const EVENT_EMPTY_STRINGS_SAMPLE: Sample = {
  ...EVENT_SAMPLE,
  data: { object: { ...EVENT_DATA_OBJECT_SAMPLE, payer_email: '', payment_url: '' } },
};

/**
 * NOT PaySG's: the errors page's sample body (an invalid e-mail address) is not visible in any copy.
 * Built from the page's field list (`error.type`, `error.code`, `error.message`, optional
 * `error.data`); every value here is our own invention.
 */
export const ERROR_SAMPLE = {
  error: {
    type: 'invalid_request_error',
    code: 'parameter_invalid',
    message: 'payer_email is not a valid email',
    data: { param: 'payer_email' },
  },
};
