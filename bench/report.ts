/** The bench's report: its shape (bench/results/bench.json) and its Markdown (bench.md). */
import type { BulkLinks } from './bulk-links.js';
import type { ClickToPaysgByEngine } from './click-to-paysg.js';
import type { ColdStart } from './cold-start.js';
import type { RouteLoad } from './load.js';
import type { PayersResult } from './payers.js';
import type { PaysgCalls } from './paysg-calls.js';
import type { SearchScaling } from './search-scaling.js';
import type { StoreScaling } from './store-scaling.js';
import type { TwoInstances } from './two-instances.js';

export interface Target {
  what: string;
  target: string;
  figure: string;
  met: boolean;
}

export interface BenchReport {
  at: string;
  machine: { cores: number; cpu: string; node: string; loadAverageAtStart: string };
  targets: Target[];
  widget: {
    script: { bytes: number; brotli: number; gzip: number };
    locales: { lang: string; bytes: number; brotli: number; gzip: number }[];
    minimalLitElement: { brotli: number; gzip: number };
    breakdown: [string, number][];
  };
  routes: RouteLoad[];
  payers: PayersResult;
  paysgCalls: PaysgCalls;
  clickToPaysg: ClickToPaysgByEngine;
  coldStart: ColdStart[];
  storeScaling: StoreScaling;
  searchScaling: SearchScaling;
  twoInstances: TwoInstances;
  bulkLinks: BulkLinks;
}

const table = (head: string[], rows: (string | number)[][]) =>
  [
    `| ${head.join(' | ')} |`,
    `|${head.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
const cpu = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(3));

export function renderMarkdown(r: BenchReport): string {
  const bare = r.routes[0]!;
  const out: string[] = [
    `# Bench (${r.at.slice(0, 10)})`,
    '',
    `${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}, load average ${r.machine.loadAverageAtStart} at the start. One run; \`npm run bench\` to reproduce. Server CPU per request varies least with the machine's load; req/s and latencies vary 2–3×.`,
    '',
    '## Targets',
    '',
    table(
      ['', 'target', 'figure', ''],
      r.targets.map((t) => [t.what, t.target, t.figure, t.met ? 'met' : '**missed**']),
    ),
    '',
    '## Widget (what a payer downloads)',
    '',
    table(
      ['file', 'raw B', 'brotli B', 'gzip B'],
      [
        [
          'the script (English built in)',
          r.widget.script.bytes,
          r.widget.script.brotli,
          r.widget.script.gzip,
        ],
        ...r.widget.locales.map((l) => [`${l.lang}.json`, l.bytes, l.brotli, l.gzip]),
        [
          'a minimal LitElement, built the same way (esbuild)',
          '',
          r.widget.minimalLitElement.brotli,
          r.widget.minimalLitElement.gzip,
        ],
      ],
    ),
    '',
    "Where the script's brotli bytes go (what leaving each part out saves, esbuild):",
    '',
    table(['part', 'brotli B'], r.widget.breakdown),
    '',
    '## Routes (50 connections, 5 s each, 127.0.0.1)',
    '',
    table(
      ['route', 'req/s', 'p50 ms', 'p99 ms', 'server CPU ms/req', '× bare Hono', 'errors'],
      r.routes.map((l) =>
        l.skipped
          ? [l.route, 'skipped', '', '', '', '', l.skipped]
          : [
              l.route,
              l.requestsPerSecond,
              l.p50Ms,
              l.p99Ms,
              `${cpu(l.cpuMsPerRequest)}${l.postgresCpuMsPerRequest !== undefined ? ` (PostgreSQL ${cpu(l.postgresCpuMsPerRequest)})` : ''}`,
              (l.cpuMsPerRequest / bare.cpuMsPerRequest).toFixed(0),
              l.errors + l.non2xx,
            ],
      ),
    ),
    '',
    `## ${r.payers.payers} payers at once, PaySG creating in ${r.payers.paysgCreateMs} ms`,
    '',
    `Each payer creates its checkout, then reads its status every 3 s, as the widget does; they arrive within 5 s and stay 15 s; two waves.`,
    '',
    table(
      ['', 'count', 'p50 ms', 'p99 ms'],
      [
        [
          `creates (the BFF adds ${r.payers.creates.bffAddedP99Ms} ms to the p99)`,
          r.payers.creates.count,
          r.payers.creates.p50Ms,
          r.payers.creates.p99Ms,
        ],
        [
          'status reads',
          r.payers.statusReads.count,
          r.payers.statusReads.p50Ms,
          r.payers.statusReads.p99Ms,
        ],
      ],
    ),
    '',
    `${r.payers.errors} errors. BFF resident memory: ${r.payers.rssMiB.before} MiB before, ${r.payers.rssMiB.peak} MiB at the peak, ${r.payers.rssMiB.idleAfter} MiB after the first wave and ${r.payers.rssMiB.idleAfterSecondWave} MiB after the second (${r.payers.secondsToIdle.map((s) => (s === undefined ? 'not back near idle within 60 s' : `back near idle ${s} s after`)).join('; ')}: V8 returns memory once allocation has been quiet a few seconds).`,
    '',
    '## PaySG calls per payment',
    '',
    `${r.paysgCalls.creates} create; ${r.paysgCalls.returnGets} GET on the payer's return; ${r.paysgCalls.pollingGets} GETs while ${r.paysgCalls.tabs} tabs read the unpaid checkout every second for ${r.paysgCalls.pollingSeconds} s; ${r.paysgCalls.paidGets} once it is paid.`,
    '',
    '## Click to the PaySG page, in each engine',
    '',
    "From the press of Pay (the click event's time) to the simulator's payment page loaded (its load event's end), both as the browser timed them; a new order and a fresh browser profile each run.",
    '',
    table(
      ['engine', 'median ms', 'min–max ms', 'runs'],
      Object.entries(r.clickToPaysg).map(([engine, click]) =>
        'skipped' in click
          ? [engine, 'skipped', click.skipped, '']
          : [engine, click.medianMs, `${click.minMs}–${click.maxMs}`, click.runs],
      ),
    ),
    '',
    '## Cold start (spawn to the first 200 on /paysg/healthz, median of 5)',
    '',
    table(
      ['', 'ms', '×', 'idle RSS MiB'],
      r.coldStart.map((c) => [
        c.name,
        c.firstHealthyMs.toFixed(0),
        (c.firstHealthyMs / r.coldStart[0]!.firstHealthyMs).toFixed(2),
        c.idleRssMiB.toFixed(0),
      ]),
    ),
    '',
    `## Store size (SQLite, ${r.storeScaling.sizes.map((s) => s.toLocaleString('en')).join(' vs ')} checkouts)`,
    '',
    table(
      [
        'route',
        ...r.storeScaling.sizes.map((s) => `CPU ms/req at ${s.toLocaleString('en')}`),
        'change',
      ],
      r.storeScaling.routes.map((s) => [
        s.route,
        ...s.loads.map((l) => cpu(l.cpuMsPerRequest)),
        `${((s.loads.at(-1)!.cpuMsPerRequest / s.loads[0]!.cpuMsPerRequest - 1) * 100).toFixed(0)} %`,
      ]),
    ),
    '',
    `## Back-office search (${r.searchScaling.sizes.map((s) => s.toLocaleString('en')).join(' vs ')} checkouts; median of 300 searches, through the store)`,
    '',
    table(
      [
        'store',
        'search',
        ...r.searchScaling.sizes.map((s) => `ms at ${s.toLocaleString('en')}`),
        'change',
      ],
      r.searchScaling.searches.map((s) => [
        s.store,
        `"${s.search}"`,
        ...s.medianMs.map((m) => m.toFixed(3)),
        `${((s.medianMs.at(-1)! / s.medianMs[0]! - 1) * 100).toFixed(0)} %`,
      ]),
    ),
    ...(r.searchScaling.skipped ? ['', `Skipped: ${r.searchScaling.skipped}`] : []),
    '',
    `## Two instances on one PostgreSQL (creates; ${r.twoInstances.ratePerInstance ?? '–'} a second offered to each instance; the median of ${r.twoInstances.rounds ?? 1} alternated rounds)`,
    '',
    r.twoInstances.skipped
      ? `Skipped: ${r.twoInstances.skipped}`
      : table(
          ['', 'req/s', 'CPU ms per create (BFFs + PostgreSQL)', 'of which PostgreSQL', 'errors'],
          [
            [
              'one instance',
              r.twoInstances.one.requestsPerSecond,
              cpu(r.twoInstances.one.cpuMsPerRequest),
              cpu(r.twoInstances.one.postgresCpuMsPerRequest ?? NaN),
              r.twoInstances.one.errors + r.twoInstances.one.non2xx,
            ],
            [
              'two instances',
              r.twoInstances.two.requestsPerSecond,
              cpu(r.twoInstances.two.cpuMsPerRequest),
              cpu(r.twoInstances.two.postgresCpuMsPerRequest ?? NaN),
              r.twoInstances.two.errors + r.twoInstances.two.non2xx,
            ],
            ...(r.twoInstances.oneAtTwiceTheLoad
              ? [
                  [
                    'one instance taking what the two took',
                    r.twoInstances.oneAtTwiceTheLoad.requestsPerSecond,
                    cpu(r.twoInstances.oneAtTwiceTheLoad.cpuMsPerRequest),
                    cpu(r.twoInstances.oneAtTwiceTheLoad.postgresCpuMsPerRequest ?? NaN),
                    r.twoInstances.oneAtTwiceTheLoad.errors +
                      r.twoInstances.oneAtTwiceTheLoad.non2xx,
                  ],
                ]
              : []),
          ],
        ),
    '',
    '## Payment links in bulk',
    '',
    `${r.bulkLinks.rows.toLocaleString('en')} rows, ${r.bulkLinks.created.toLocaleString('en')} links made, in ${r.bulkLinks.seconds.toFixed(1)} s (${r.bulkLinks.linksPerSecond} links/s), in-process simulator, concurrency 4, journal fsynced.`,
    '',
    ...(r.bulkLinks.peakRssMiB
      ? [
          'Memory of the compiled `paysg-checkout links bulk` as its own process (the simulator a server beside it; concurrency 8; the journal in /dev/shm), peak resident set at exit:',
          '',
          table(
            ['rows', 'peak RSS, MiB', 'seconds', 'exit code'],
            r.bulkLinks.peakRssMiB.map((m) => [
              m.rows.toLocaleString('en'),
              m.peakRssMiB.toFixed(0),
              m.seconds.toFixed(1),
              String(m.exitCode),
            ]),
          ),
          '',
        ]
      : []),
  ];
  return out.join('\n');
}
