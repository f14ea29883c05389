/**
 * `paysg-checkout links`: CSVs as agencies have them, checked whole before anything is made;
 * bulk creation that never makes a link twice (PaySG failing midway, answers lost, the process
 * killed); e-mails sent once; QR codes; and every command's help.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
} from '../../demo/simulator/simulator.js';
import {
  BULK_HELP,
  CANCEL_HELP,
  CREATE_HELP,
  LINKS_HELP,
  STATUS_HELP,
} from '../../server/cli/command-help.js';
import { linksCommand } from '../../server/cli/links-command.js';
import type { LinksIo } from '../../server/cli/links/links-target.js';
import { centsFromDollars } from '../../server/money.js';
import {
  createLinks,
  type CreateLinksOptions,
  type LinkResult,
} from '../../server/links/create-links.js';
import type { LinkRow } from '../../server/links/read-links-csv.js';
import { LinkJournal } from '../../server/links/link-journal.js';
import { parseLinksCsv } from '../../server/links/read-links-csv.js';
import { fromSpreadsheetCell } from '../../server/export/spreadsheet-cell.js';
import { freePort } from '../helpers/free-ports.js';
import { PaysgClient } from '../../server/paysg/client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'paysg-links-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = 'reference_id,payer_name,payer_email,payer_identifier,description,amount';

function csvOf(count: number, extra: (i: number) => string | undefined = () => undefined): string {
  const lines = [HEADER];
  for (let i = 1; i <= count; i++)
    lines.push(
      extra(i) ??
        `INV-${i},Payer ${i},payer${i}@example.com,S${String(1000000 + i)}A,Licence fee,${(i % 50) + 1}.30`,
    );
  return `${lines.join('\r\n')}\r\n`;
}

function simulatorClient() {
  const sim = createSimulator({ publicUrl: 'http://localhost:4010' });
  const paysg = new PaysgClient({
    apiKey: SIMULATOR_API_KEY,
    paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
    baseUrl: 'http://localhost:4010',
    fetch: sim.fetch,
    sleep: async () => {},
  });
  return { sim, paysg };
}

/** Every row's result, in the rows' order. */
async function linksFor(
  paysg: PaysgClient,
  journal: LinkJournal,
  rows: Iterable<LinkRow>,
  options: CreateLinksOptions = {},
): Promise<LinkResult[]> {
  const results: LinkResult[] = [];
  await createLinks(paysg, journal, rows, {
    ...options,
    onResult: (result) => results.push(result),
  });
  return results;
}

function recordingIo(env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: LinksIo = {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    errIsTty: false,
    outIsTty: true,
    env: { PAYSG_LINKS_JOURNAL_DIR: join(dir, 'journals'), ...env },
    // What the command's entry hands down for --simulator.
    loadSimulator: () => import('../../demo/simulator/index.js'),
  };
  return { io, out, err };
}

describe('reading a links CSV', () => {
  it('reads what agencies have: a BOM, CRLF, quoted commas and line breaks, dollars or cents', async () => {
    const text =
      '\ufeffReference_ID,payer_name,description,amount,metadata.branch\r\n' +
      'INV-1,"Tan, Ah Kow",Fee,12.30,B1\r\n' +
      'INV-2,"Siti\r\nbinte Ahmad","Licence, 2026","1,234.5",\r\n' +
      'INV-3,Lim,Fee,S$7,\r\n';
    const { rows, problems } = await parseLinksCsv(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      rows.map((r) => [r.line, r.reference, r.params.amount_in_cents]),
      [
        [2, 'INV-1', 1230],
        [3, 'INV-2', 123450],
        [4, 'INV-3', 700],
      ],
    );
    assert.equal(rows[0]!.params.payer_name, 'Tan, Ah Kow');
    assert.deepEqual(rows[0]!.params.metadata, { branch: 'B1' });
    const cents = await parseLinksCsv(
      'reference_id,payer_name,description,amount_in_cents\nA,B,C,1230\n',
    );
    assert.equal(cents.rows[0]!.params.amount_in_cents, 1230);
  });

  it('numbers lines as an editor does across blank lines, and reads Excel’s empty trailing columns and rows', async () => {
    for (const eol of ['\n', '\r\n']) {
      const text = [
        'reference_id,payer_name,description,amount',
        '',
        'B1,X,F,1',
        '',
        '',
        'B2,,F,1',
        'B3,,F,1',
        '',
      ].join(eol);
      const { rows, problems } = await parseLinksCsv(text);
      assert.deepEqual(
        rows.map((r) => r.line),
        [3],
      );
      assert.deepEqual(
        problems.map((p) => p.line),
        [6, 7],
        JSON.stringify(eol),
      );
    }
    const excel = await parseLinksCsv(
      'reference_id,payer_name,description,amount,,\r\nA,X,F,1,,\r\n,,,,,\r\nB,Y,F,2,,\r\n',
    );
    assert.deepEqual(excel.problems, []);
    assert.deepEqual(
      excel.rows.map((r) => [r.line, r.reference]),
      [
        [2, 'A'],
        [4, 'B'],
      ],
    );
    assert.match(
      (await parseLinksCsv('reference_id,payer_name,description,amount,\nA,X,F,1,oops\n'))
        .problems[0]!.problem,
      /has a value in column 5, which has no name/,
    );
  });

  it('never turns money into a float: dollars are read as text', async () => {
    assert.equal(centsFromDollars('0.29'), 29);
    assert.equal(centsFromDollars('1.10'), 110);
    assert.equal(centsFromDollars('4.35'), 435);
    for (const bad of ['1e3', '12.345', '-1', '1.2.3', '12,34', '', 'NaN', '0x10'])
      assert.equal(centsFromDollars(bad), undefined, bad);
  });

  it('reports every bad row with its line number and reason, and refuses the file', async () => {
    const text = [
      HEADER,
      'INV-1,Tan,tan@example.com,S1234567A,Fee,12.30',
      'INV-2,,x@example.com,,Fee,1',
      'INV-3,Lim,not-an-email,,Fee,12.345',
      'INV-1,Again,,,Fee,1',
      'INV-5,Ng,,S12345678901234567890X,Fee,abc',
      'INV-6,Ong,,,Fee,',
    ].join('\n');
    const { problems } = await parseLinksCsv(text);
    const lines = (line: number) =>
      problems
        .filter((p) => p.line === line)
        .map((p) => p.problem)
        .join(' | ');
    assert.match(lines(3), /payer_name is required/);
    assert.match(lines(4), /payer_email is not an e-mail address/);
    assert.match(lines(4), /amount "12.345" is not dollars and cents/);
    assert.match(lines(5), /INV-1 is also on row 2/);
    assert.match(lines(6), /payer_identifier/);
    assert.match(lines(6), /amount "abc"/);
    assert.match(lines(7), /give either amount/);
    assert.equal(lines(2), '');
  });

  it('a 1,000-row file with a few bad rows creates nothing and names each bad line', async () => {
    const file = join(dir, 'thousand-bad.csv');
    const bad = new Map([
      [17, 'INV-17,Payer,,,Fee,12.3.4'],
      [500, 'INV-500,,a@example.com,,Fee,1'],
      [999, 'INV-3,Dup,,,Fee,1'],
    ]);
    writeFileSync(
      file,
      csvOf(1000, (i) => bad.get(i)),
    );
    const { io, err } = recordingIo();
    assert.equal(await linksCommand(['bulk', file, '--simulator'], io), 2);
    const printed = err.join('\n');
    assert.match(printed, /3 problems; nothing was created/);
    for (const row of [18, 501, 1000]) assert.match(printed, new RegExp(`row ${row} `));
    assert.ok(!existsSync(join(dir, 'thousand-bad.result.csv')));
  });

  it('refuses unknown and repeated columns, and a malformed CSV, naming the line', async () => {
    assert.match(
      (await parseLinksCsv('reference_id,payer_name,colour\nA,B,red\n')).problems[0]!.problem,
      /unknown column "colour"/,
    );
    assert.match(
      (await parseLinksCsv('reference_id,reference_id\nA,B\n')).problems[0]!.problem,
      /appears twice/,
    );
    const ragged = await parseLinksCsv(`${HEADER}\nINV-1,Tan,,,Fee,1\nINV-2,Tan,,Fee\n`);
    assert.equal(ragged.problems[0]!.line, 3);
    assert.match((await parseLinksCsv('')).problems[0]!.problem, /empty/);
  });
});

describe('creating links in bulk', () => {
  it('creates 1,000 links, and a rerun after 500s and a lost answer midway makes none twice and e-mails none twice', async () => {
    const { sim, paysg } = simulatorClient();
    const { rows, problems } = await parseLinksCsv(csvOf(1000));
    assert.deepEqual(problems, []);
    sim.state.faults.add({ fault: { kind: 'status', status: 500 }, route: 'create', count: 3 });
    sim.state.faults.add({ fault: { kind: 'drop_response' }, route: 'create', count: 2 });
    sim.state.faults.add({ fault: { kind: 'drop_response' }, route: 'send_email', count: 1 });
    const path = join(dir, 'thousand.csv.journal.jsonl');
    let journal = new LinkJournal(path);
    const first = await linksFor(paysg, journal, rows, { sendEmail: true, concurrency: 8 });
    journal.close();
    assert.equal(first.filter((r) => r.status === 'failed').length, 3, 'the three PaySG 500s');
    assert.ok(
      first.some((r) => r.error?.includes('e-mail was not sent') || r.status === 'unknown'),
    );

    journal = new LinkJournal(path);
    const second = await linksFor(paysg, journal, rows, { sendEmail: true, concurrency: 8 });
    journal.close();
    assert.deepEqual(
      second.filter((r) => r.status !== 'created' && r.status !== 'existing'),
      [],
    );
    assert.deepEqual(
      second.filter((r) => r.error),
      [],
    );
    const creates = sim.ledger.createsByReference();
    for (const row of rows)
      assert.equal(
        creates[`${SIMULATOR_PAYMENT_SERVICE_ID}\n${row.reference}`] ?? creates[row.reference],
        1,
        row.reference,
      );
    assert.equal(sim.ledger.paymentCount, 1000);
    const payments = sim.ledger.list(SIMULATOR_PAYMENT_SERVICE_ID, { limit: 100 }).data;
    assert.ok(payments.every((p) => p.email_delivery_status === 'sent'));
    // Every link e-mailed once: 1,000 sends, plus the one whose answer was lost (checked, not resent).
    assert.equal(sim.state.requestCounts.get('send_email'), 1000);

    // A third run changes nothing at PaySG.
    const before = sim.state.requestCounts.get('create');
    journal = new LinkJournal(path);
    const third = await linksFor(paysg, journal, rows, { sendEmail: true });
    journal.close();
    assert.ok(third.every((r) => r.status === 'existing' && r.emailed));
    assert.equal(sim.state.requestCounts.get('create'), before);
  });

  it('a rerun a week later, when PaySG has forgotten the keys, finds a link whose answer was lost instead of making another', async () => {
    let now = Date.parse('2026-11-22T01:00:00Z');
    const clock = () => new Date(now);
    const sim = createSimulator({ publicUrl: 'http://localhost:4010', now: clock });
    const paysg = new PaysgClient({
      apiKey: SIMULATOR_API_KEY,
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: 'http://localhost:4010',
      fetch: sim.fetch,
      maxRetries: 0,
    });
    const rows = (await parseLinksCsv(csvOf(3))).rows;
    // PaySG makes the second link, and its answer is lost.
    sim.state.faults.add({ fault: { kind: 'drop_response' }, route: 'create', count: 1 });
    const path = join(dir, 'week.journal.jsonl');
    let journal = new LinkJournal(path, clock);
    const first = await linksFor(paysg, journal, rows.slice(1, 2), { concurrency: 1 });
    journal.close();
    assert.equal(first[0]!.status, 'unknown');
    assert.equal(sim.ledger.paymentCount, 1);

    now += 7 * 24 * 60 * 60 * 1000; // keys older than 24 hours are pruned
    journal = new LinkJournal(path, clock);
    const later = await linksFor(paysg, journal, rows, { concurrency: 1 });
    journal.close();
    assert.deepEqual(
      later.map((r) => r.status),
      ['created', 'existing', 'created'],
    );
    assert.equal(sim.ledger.paymentCount, 3, 'the lost one was found, not made again');
  });

  it('a row changed after an attempt whose answer was lost is held back, never sent with the old key or a new one', async () => {
    const { sim, paysg: retrying } = simulatorClient();
    const paysg = new PaysgClient({
      apiKey: SIMULATOR_API_KEY,
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: 'http://localhost:4010',
      fetch: sim.fetch,
      maxRetries: 0,
    });
    sim.state.faults.add({ fault: { kind: 'drop_response' }, route: 'create', count: 1 });
    const path = join(dir, 'lost-then-changed.journal.jsonl');
    let journal = new LinkJournal(path);
    assert.equal(
      (await linksFor(paysg, journal, (await parseLinksCsv(csvOf(1))).rows))[0]!.status,
      'unknown',
    );
    journal.close();
    journal = new LinkJournal(path);
    const changed = (
      await parseLinksCsv(`${HEADER}\nINV-1,Payer 1,payer1@example.com,,Licence fee,99.00\n`)
    ).rows;
    const [held] = await linksFor(retrying, journal, changed);
    journal.close();
    assert.equal(held!.status, 'unknown');
    assert.match(held!.error!, /changed after an attempt whose answer was lost/);
    assert.equal(sim.ledger.paymentCount, 1);
    assert.equal(sim.state.requestCounts.get('create'), 1);
  });

  it('a week later, a search of PaySG that cannot finish sends nothing', async () => {
    let now = Date.parse('2026-11-22T01:00:00Z');
    const clock = () => new Date(now);
    const sim = createSimulator({ publicUrl: 'http://localhost:4010', now: clock });
    const paysg = new PaysgClient({
      apiKey: SIMULATOR_API_KEY,
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: 'http://localhost:4010',
      fetch: sim.fetch,
      maxRetries: 0,
    });
    sim.state.faults.add({ fault: { kind: 'drop_response' }, route: 'create', count: 1 });
    const path = join(dir, 'week-search.journal.jsonl');
    const rows = (await parseLinksCsv(csvOf(1))).rows;
    let journal = new LinkJournal(path, clock);
    await linksFor(paysg, journal, rows);
    journal.close();
    now += 7 * 24 * 60 * 60 * 1000;
    sim.state.faults.add({ fault: { kind: 'status', status: 503 }, route: 'list', count: 1 });
    journal = new LinkJournal(path, clock);
    const [result] = await linksFor(paysg, journal, rows);
    journal.close();
    assert.equal(result!.status, 'unknown');
    assert.match(result!.error!, /could not search PaySG/);
    assert.equal(sim.state.requestCounts.get('create'), 1, 'nothing sent while it cannot be known');
  });

  it('refuses a row changed since its link was made, rather than taking it for the same link', async () => {
    const { paysg } = simulatorClient();
    const path = join(dir, 'changed.journal.jsonl');
    let journal = new LinkJournal(path);
    await linksFor(paysg, journal, (await parseLinksCsv(csvOf(1))).rows);
    journal.close();
    journal = new LinkJournal(path);
    const [changed] = await linksFor(
      paysg,
      journal,
      (await parseLinksCsv(`${HEADER}\nINV-1,Payer 1,payer1@example.com,,Licence fee,99.00\n`))
        .rows,
    );
    journal.close();
    assert.equal(changed!.status, 'failed');
    assert.match(changed!.error!, /created earlier with other details/);
  });
});

describe('the links command', () => {
  it('has help for every command', async () => {
    for (const [args, text] of [
      [['--help'], LINKS_HELP],
      [['create', '--help'], CREATE_HELP],
      [['bulk', '--help'], BULK_HELP],
      [['status', '--help'], STATUS_HELP],
      [['cancel', '--help'], CANCEL_HELP],
    ] as [string[], string][]) {
      const { io, out } = recordingIo();
      assert.equal(await linksCommand(args, io), 0);
      assert.equal(out.join('\n'), text);
    }
    const { io, err } = recordingIo();
    assert.equal(await linksCommand(['frobnicate'], io), 2);
    assert.match(err.join('\n'), /unknown command "frobnicate"/);
    const noCredentials = recordingIo();
    assert.equal(await linksCommand(['bulk', join(dir, 'none.csv')], noCredentials.io), 2);
  });

  it('bulk: checks the file first and masks identifiers and e-mails in what it prints', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, `${HEADER}\nINV-1,Tan,tan.ah.kow@example.com,S1234567A,Fee,12.345\n`);
    const { io, err } = recordingIo();
    assert.equal(await linksCommand(['bulk', file, '--simulator'], io), 2);
    const printed = err.join('\n');
    assert.match(printed, /row 2 \(INV-1\): amount "12.345"/);
    assert.match(printed, /nothing was created/);
    assert.doesNotMatch(printed, /S1234567A|tan\.ah\.kow/);
    assert.ok(!existsSync(join(dir, 'journals')));
  });

  it("bulk writes a result CSV; a simulator trial leaves nothing a real run could take for made, and never overwrites a real run's results", async () => {
    const file = join(dir, 'small.csv');
    writeFileSync(file, csvOf(3));
    const realResults = join(dir, 'small.result.csv');
    writeFileSync(realResults, 'row,reference_id,payment_id\n2,INV-1,a-real-payment\n');
    const { io, out } = recordingIo();
    assert.equal(await linksCommand(['bulk', file, '--simulator'], io), 0);
    assert.match(
      out.join('\n'),
      /this run created 3;.*small\.simulator\.result\.csv \(a simulator trial/,
    );
    const again = recordingIo();
    assert.equal(await linksCommand(['bulk', file, '--simulator'], again.io), 0);
    assert.match(again.out.join('\n'), /this run created 3;/, 'each trial starts afresh');
    assert.equal(
      readFileSync(realResults, 'utf8'),
      'row,reference_id,payment_id\n2,INV-1,a-real-payment\n',
      "the real run's results are untouched",
    );
    const results = parse(readFileSync(join(dir, 'small.simulator.result.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    assert.deepEqual(
      results.map((r) => [r.row, r.reference_id, r.status]),
      [
        ['2', 'INV-1', 'created'],
        ['3', 'INV-2', 'created'],
        ['4', 'INV-3', 'created'],
      ],
    );
    assert.ok(results.every((r) => r.payment_url.startsWith('http://localhost:4010/payments/')));
  });

  it('create prints the link, its QR code, and masks the e-mail it was sent to', async () => {
    const { io, out } = recordingIo();
    const code = await linksCommand(
      [
        'create',
        '--simulator',
        '--reference',
        'ONE-1',
        '--payer-name',
        'Tan',
        '--payer-email',
        'tan@example.com',
        '--description',
        'Fee',
        '--amount',
        '12.30',
        '--send-email',
        '--metadata',
        'branch=B1',
      ],
      io,
    );
    assert.equal(code, 0);
    const printed = out.join('\n');
    assert.match(printed, /link {4}http:\/\/localhost:4010\/payments\//);
    assert.match(printed, /QR code http:\/\/localhost:4010\/v1\/public\/payments\/.+-qr\.png/);
    assert.match(printed, /e-mailed to t\*\*\*@example\.com/);
    assert.match(printed, /▄/, 'a QR code drawn in the terminal');
    const bad = recordingIo();
    assert.equal(
      await linksCommand(
        [
          'create',
          '--simulator',
          '--reference',
          'X',
          '--payer-name',
          'T',
          '--description',
          'F',
          '--amount',
          '1e3',
        ],
        bad.io,
      ),
      2,
    );
    assert.match(bad.err.join('\n'), /--amount "1e3" is not dollars/);
  });
});

describe('what the links command writes and prints', () => {
  it('never writes a cell a spreadsheet would run, in the result CSV or status --csv, and reads its own cells back', async () => {
    const file = join(dir, 'formulas.csv');
    const references = [
      '=HYPERLINK("https://evil.example","x")',
      "+1+cmd|' /C calc'!A0",
      '@SUM(A1:A9)',
      '-2+3',
      'INV-PLAIN',
    ];
    writeFileSync(
      file,
      csvOf(
        references.length,
        (i) => `"${references[i - 1]!.replaceAll('"', '""')}",Payer ${i},,,Licence fee,12.30`,
      ),
    );
    const { io } = recordingIo();
    assert.equal(await linksCommand(['bulk', file, '--simulator'], io), 0);
    const resultCsv = join(dir, 'formulas.simulator.result.csv');
    const results = parse(readFileSync(resultCsv, 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    assert.deepEqual(
      results.map((r) => r.reference_id),
      [...references.slice(0, 4).map((r) => `'${r}`), 'INV-PLAIN'],
    );
    assert.ok(results.every((r) => r.status === 'created'));
  });

  it('prints control characters from a file as escapes, never as sequences the terminal runs', async () => {
    const file = join(dir, 'escapes.csv');
    writeFileSync(
      file,
      csvOf(1, () => `"INV-\u001b[2J\u001b]0;owned\u0007",Tan,,,Licence fee,12.345`),
    );
    const { io, err } = recordingIo();
    assert.equal(
      await linksCommand(['bulk', file, '--simulator'], io),
      2,
      'the amount is refused, and nothing is made',
    );
    const printed = err.join('\n');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test asserts that no escape or bell character reached the terminal
    assert.doesNotMatch(printed, /[\u001b\u0007]/);
    assert.match(printed, /INV-\\u001b\[2J\\u001b\]0;owned\\u0007/);
  });

  it('refuses a due date that is not a day of the calendar before anything is made', async () => {
    const text = `reference_id,payer_name,description,amount,due_date\r\n${['31-FEB-2026', '31-APR-2026', '29-FEB-2025', '29-FEB-2028', '30-apr-2026'].map((d, i) => `INV-${i},Tan,Fee,1.00,${d}`).join('\r\n')}\r\n`;
    const { rows, problems } = await parseLinksCsv(text);
    assert.deepEqual(
      problems.map((p) => [p.line, p.problem]),
      [
        [2, 'due_date is not a day of the calendar (that month has fewer days)'],
        [3, 'due_date is not a day of the calendar (that month has fewer days)'],
        [4, 'due_date is not a day of the calendar (that month has fewer days)'],
      ],
    );
    assert.deepEqual(
      rows.map((r) => r.params.due_date),
      ['29-FEB-2028', '30-APR-2026'],
    );
  });
});

describe('a bulk run killed midway', () => {
  it('is completed by a rerun with exactly one link per row', async () => {
    const port = await freePort();
    const simulator = spawn(process.execPath, ['--import', 'tsx', 'demo/simulator/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, SIMULATOR_PORT: String(port), SIMULATOR_HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let started = '';
      simulator.stdout.on('data', (d) => (started += d));
      const deadline = Date.now() + 20_000;
      while (!started.includes('listening on') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const base = `http://127.0.0.1:${port}`;
      // Slow creates, so the run is surely killed midway.
      await fetch(`${base}/_control/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fault: { kind: 'latency', ms: 40 }, route: 'create' }),
      });
      const file = join(dir, 'killed.csv');
      writeFileSync(file, csvOf(120));
      const env = {
        ...process.env,
        PAYSG_API_KEY: SIMULATOR_API_KEY,
        PAYSG_PAYMENT_SERVICE_ID: SIMULATOR_PAYMENT_SERVICE_ID,
        PAYSG_API_URL: base,
        PAYSG_LINKS_JOURNAL_DIR: join(dir, 'journals'),
      };
      // Through the package's command (its bin), as an agency runs it.
      const run = () =>
        spawn(
          process.execPath,
          [
            '--import',
            'tsx',
            'server/cli/paysg-checkout.ts',
            'links',
            'bulk',
            file,
            '--concurrency',
            '4',
          ],
          { cwd: ROOT, env, stdio: 'ignore' },
        );

      const first = run();
      const journal = join(
        dir,
        'journals',
        `${SIMULATOR_PAYMENT_SERVICE_ID}@127.0.0.1_${port}.journal.jsonl`,
      );
      const killBy = Date.now() + 30_000;
      while (!(existsSync(journal) && statSync(journal).size > 3_000) && Date.now() < killBy)
        await new Promise((r) => setTimeout(r, 20));
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const made = ((await (await fetch(`${base}/_control/stats`)).json()) as { payments: number })
        .payments;
      assert.ok(made > 0 && made < 120, `killed midway, after ${made} links`);

      await fetch(`${base}/_control/faults`, { method: 'DELETE' });
      const second = run();
      const code = await new Promise((r) => second.once('exit', r));
      assert.equal(code, 0);
      const stats = (await (await fetch(`${base}/_control/stats`)).json()) as {
        payments: number;
        createsByReference: Record<string, number>;
      };
      assert.equal(stats.payments, 120);
      assert.ok(
        Object.values(stats.createsByReference).every((n) => n === 1),
        JSON.stringify(stats.createsByReference),
      );

      // The same rows under another file name are the same links: nothing is made again.
      const renamed = join(dir, 'renamed.csv');
      writeFileSync(renamed, readFileSync(file));
      const rerun = recordingIo(env);
      assert.equal(await linksCommand(['bulk', renamed, '--send-email'], rerun.io), 0);
      assert.match(rerun.out.join('\n'), /this run created 0; 120 were already there/);

      // status and cancel read the result CSV, against the same PaySG.
      const resultCsv = join(dir, 'killed.result.csv');
      // Read as a spreadsheet shows them: an id that begins with `-` was written as `'-…`.
      const ids = (
        parse(readFileSync(resultCsv, 'utf8'), { columns: true }) as Record<string, string>[]
      ).map((r) => fromSpreadsheetCell(r.payment_id!));
      await fetch(`${base}/_control/payments/${ids[0]}/pay`, { method: 'POST' });
      const status = recordingIo(env);
      assert.equal(await linksCommand(['status', resultCsv, '--csv'], status.io), 0);
      const statuses = parse(status.out.join('\n'), { columns: true }) as Record<string, string>[];
      assert.equal(statuses.length, 120);
      assert.deepEqual(
        statuses.slice(0, 2).map((r) => [r.reference_id, r.status]),
        [
          ['INV-1', 'paid'],
          ['INV-2', 'unpaid'],
        ],
      );
      const byReference = recordingIo(env);
      assert.equal(await linksCommand(['status', '--reference', 'INV-2'], byReference.io), 0);
      assert.match(byReference.out.join('\n'), /INV-2\t\S+\tunpaid\t/);
      // Cancelling cannot be undone: it is never done without a yes.
      const unasked = recordingIo(env);
      assert.equal(
        await linksCommand(['cancel', `--id=${ids[1]}`], unasked.io),
        2,
        'no one to ask, and no --yes',
      );
      assert.match(unasked.err.join('\n'), /add --yes to cancel this link, or --dry-run/);
      const declined = recordingIo(env);
      const questions: string[] = [];
      declined.io.ask = async (question) => {
        questions.push(question);
        return 'no';
      };
      assert.equal(await linksCommand(['cancel', resultCsv], declined.io), 1);
      assert.match(questions[0]!, /^Cancel these 120 links at PaySG .*Type yes to go on/);
      const dryRun = recordingIo(env);
      assert.equal(
        await linksCommand(['cancel', '--dry-run', `--id=${ids[1]}`, `--id=${ids[0]}`], dryRun.io),
        0,
      );
      assert.match(dryRun.out.join('\n'), new RegExp(`${ids[1]}\tINV-2\twould be cancelled`));
      assert.match(
        dryRun.out.join('\n'),
        new RegExp(`${ids[0]}\tINV-1\twould be left: it is paid`),
      );
      const untouched = recordingIo(env);
      assert.equal(await linksCommand(['status', '--reference', 'INV-2'], untouched.io), 0);
      assert.match(
        untouched.out.join('\n'),
        /INV-2\t\S+\tunpaid\t/,
        'neither a refusal nor a dry run cancelled anything',
      );

      const cancel = recordingIo(env);
      // `--id=…`: a payment id may begin with a dash.
      assert.equal(
        await linksCommand(['cancel', '--yes', `--id=${ids[1]}`, `--id=${ids[0]}`], cancel.io),
        1,
        'the paid one cannot be cancelled',
      );
      assert.match(cancel.out.join('\n'), new RegExp(`${ids[1]}\tINV-2\tcancelled`));
      assert.match(
        cancel.out.join('\n'),
        new RegExp(`${ids[0]}\tINV-1\tnot cancelled: it is paid`),
      );
    } finally {
      simulator.kill('SIGKILL');
    }
  });
});
