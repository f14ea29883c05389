/**
 * Payment links from spreadsheets as finance teams save them: Excel's plain "CSV" on Windows
 * (Windows-1252), `;`-separated exports, Unicode text, multi-line addresses; and runs that report
 * what they themselves did.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  createSimulator,
  SIMULATOR_API_KEY,
  SIMULATOR_PAYMENT_SERVICE_ID,
} from '../../demo/simulator/simulator.js';
import { linksCommand } from '../../server/cli/links-command.js';
import type { LinksIo } from '../../server/cli/links/links-target.js';
import { createLinks, type LinkResult } from '../../server/links/create-links.js';
import { LinkJournal } from '../../server/links/link-journal.js';
import { checkLinksFile, parseLinksCsv } from '../../server/links/read-links-csv.js';
import { PaysgClient } from '../../server/paysg/client.js';

const dir = mkdtempSync(join(tmpdir(), 'paysg-links-sheets-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function recordingIo(): { io: LinksIo; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      errIsTty: false,
      outIsTty: false,
      env: { PAYSG_LINKS_JOURNAL_DIR: join(dir, 'journals') },
      // What the command's entry hands down for --simulator.
      loadSimulator: () => import('../../demo/simulator/index.js'),
    },
    out,
    err,
  };
}

/** `José Tan` and `Café licence fee` as Excel's "CSV" on Windows saves them: é is the single byte 0xE9 (Windows-1252). */
const WINDOWS_1252 = Buffer.concat([
  Buffer.from('reference_id,payer_name,description,amount\r\nCAFE-1,Jos'),
  Buffer.from([0xe9]),
  Buffer.from(' Tan,Caf'),
  Buffer.from([0xe9]),
  Buffer.from(' licence fee,45.50\r\nCAFE-2,Lim Bee Hoon,Stall fee ('),
  Buffer.from([0x80]), // € in Windows-1252
  Buffer.from('),12.00\r\n'),
]);

describe('the encoding a spreadsheet was saved in', () => {
  it('refuses a Windows-1252 file read as UTF-8, naming the row and what to do, and makes nothing', async () => {
    const file = join(dir, 'excel-windows.csv');
    writeFileSync(file, WINDOWS_1252);
    const { io, err } = recordingIo();
    assert.equal(await linksCommand(['bulk', file, '--simulator'], io), 2);
    const printed = err.join('\n');
    assert.match(
      printed,
      /row 2: has characters that are not UTF-8 text .*save it as "CSV UTF-8", or run again with --encoding windows-1252/,
    );
    assert.doesNotMatch(printed, /this run created/);
  });

  it('reads it correctly with --encoding windows-1252 (or latin1): PaySG gets José, never a replacement character', async () => {
    const { rows, problems } = await parseLinksCsv(WINDOWS_1252, 'windows-1252');
    assert.deepEqual(problems, []);
    assert.equal(rows[0]!.params.payer_name, 'José Tan');
    assert.equal(rows[0]!.params.description, 'Café licence fee');
    assert.equal(rows[1]!.params.description, 'Stall fee (€)');

    const file = join(dir, 'excel-windows-ok.csv');
    writeFileSync(file, WINDOWS_1252);
    const { io, out, err } = recordingIo();
    assert.equal(
      await linksCommand(['bulk', file, '--simulator', '--encoding', 'latin1'], io),
      0,
      err.join('\n'),
    );
    assert.match(err.join('\n'), /reading .* as windows-1252 \(--encoding\)/);
    assert.match(out.join('\n'), /this run created 2;/);
  });

  it('refuses a UTF-8 file given --encoding windows-1252, which would read as JosÃ©', async () => {
    const check = await checkLinksFile(
      [Buffer.from('reference_id,payer_name,description,amount\nA,José Tan,Fee,1\n')],
      'windows-1252',
    );
    assert.match(
      check.problems[0]!.problem,
      /is UTF-8 text, not windows-1252: run again without --encoding/,
    );
  });

  it('refuses a replacement character already in the file, and Unicode text', async () => {
    const garbled = await checkLinksFile([
      Buffer.from(
        'reference_id,payer_name,description,amount\nA,Tan,Fee,1\nB,Jos\uFFFD Tan,Fee,1\n',
      ),
    ]);
    assert.deepEqual(
      garbled.problems.map((p) => p.line),
      [3],
    );
    const utf16 = await checkLinksFile([
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('reference_id\tpayer_name\r\n', 'utf16le'),
      ]),
    ]);
    assert.match(
      utf16.problems[0]!.problem,
      /UTF-16 text \(Excel's "Unicode Text"\): save it as "CSV UTF-8"/,
    );
  });

  it('refuses an unknown --encoding in one line', async () => {
    const { io, err } = recordingIo();
    assert.equal(
      await linksCommand(['bulk', join(dir, 'any.csv'), '--encoding', 'shift_jis'], io),
      2,
    );
    assert.match(err.join('\n'), /--encoding must be utf-8/);
  });
});

describe('how a spreadsheet lays out its rows', () => {
  it('says a ;-separated file is one, rather than "expect 1, got 2"', async () => {
    const { problems } = await parseLinksCsv(
      'reference_id;payer_name;description;amount\r\nINV-1;Tan;Fee;12,30\r\n',
    );
    assert.deepEqual(problems, [
      {
        line: 1,
        problem:
          'this file separates values with ";": save it as CSV (comma delimited), or CSV UTF-8',
      },
    ]);
  });

  it('numbers rows as the spreadsheet does: a quoted address over three lines is one row', async () => {
    const text =
      'reference_id,payer_name,payer_address,description,amount\r\nA-1,Tan,"Blk 1\r\nYishun Ave 2\r\n#01-01",Fee,1\r\nA-2,Lim,,Fee,1.234\r\n';
    const { problems } = await parseLinksCsv(text);
    assert.deepEqual(
      problems.map((p) => [p.line, p.reference]),
      [[3, 'A-2']],
    );
  });

  it('names a row with too few or too many values', async () => {
    const { problems } = await parseLinksCsv(
      'reference_id,payer_name,description,amount\nA,Tan,Fee\nB,Tan,Fee,1,2\nC,"Tan, Ah Kow",Fee,3\n',
    );
    assert.deepEqual(
      problems.map((p) => [p.line, p.problem.replace(/ \(.*/, '')]),
      [
        [2, 'has 3 values where the header names 4 columns'],
        [3, 'has 5 values where the header has 4 columns'],
      ],
    );
  });
});

describe('what a run reports', () => {
  it('a link an earlier run made is "already there", even where that run\'s journal is somewhere else', async () => {
    let now = Date.parse('2026-12-07T01:00:00Z');
    const clock = () => new Date(now);
    const sim = createSimulator({ publicUrl: 'http://localhost:4010', now: clock });
    const paysg = new PaysgClient({
      apiKey: SIMULATOR_API_KEY,
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: 'http://localhost:4010',
      fetch: sim.fetch,
    });
    const { rows } = await parseLinksCsv(
      'reference_id,payer_name,description,amount\nR-1,Tan,Fee,1\nR-2,Lim,Fee,2\n',
    );
    const run = async (journalFile: string) => {
      const results: LinkResult[] = [];
      const journal = new LinkJournal(join(dir, journalFile), clock);
      await createLinks(paysg, journal, rows, { onResult: (r) => results.push(r) });
      journal.close();
      return results.map((r) => r.status);
    };
    assert.deepEqual(await run('first-run.jsonl'), ['created', 'created']);
    now += 60 * 60 * 1000; // an hour later, from another folder: PaySG still holds the keys and replays
    assert.deepEqual(await run('second-run-elsewhere.jsonl'), ['existing', 'existing']);
    assert.equal(sim.ledger.paymentCount, 2);
  });

  it("hands results on in the rows' order, though a slow early row finishes last", async () => {
    const sim = createSimulator({ publicUrl: 'http://localhost:4010' });
    const paysg = new PaysgClient({
      apiKey: SIMULATOR_API_KEY,
      paymentServiceId: SIMULATOR_PAYMENT_SERVICE_ID,
      baseUrl: 'http://localhost:4010',
      fetch: sim.fetch,
    });
    // The first create waits; the fifteen others in flight beside it finish first.
    sim.state.faults.add({ fault: { kind: 'latency', ms: 200 }, route: 'create', count: 1 });
    const lines = ['reference_id,payer_name,description,amount'];
    for (let i = 1; i <= 40; i++) lines.push(`ORD-${i},Payer ${i},Fee,${i}.00`);
    const { rows } = await parseLinksCsv(`${lines.join('\n')}\n`);
    const journal = new LinkJournal(join(dir, 'ordered.jsonl'));
    const handedOn: string[] = [];
    await createLinks(paysg, journal, rows, {
      concurrency: 16,
      onResult: (r) => handedOn.push(r.reference),
    });
    journal.close();
    assert.deepEqual(
      handedOn,
      Array.from({ length: 40 }, (_, i) => `ORD-${i + 1}`),
    );
  });
});
