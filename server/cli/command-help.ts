/**
 * The command's help texts, apart from the commands themselves: `paysg-checkout <command> --help`
 * answers even where a command's libraries are not installed.
 * @module
 */

export const BFF_HELP = `usage: paysg-checkout bff

Runs the BFF: the widget's API, PaySG's webhooks and the widget's script, under
PAYSG_BASE_PATH. Configured by environment variables (a .env file in this folder is read):

  PAYSG_API_KEY, PAYSG_PAYMENT_SERVICE_ID   required
  PORT (3000), PAYSG_BASE_PATH (/paysg), PUBLIC_URL, ALLOWED_ORIGINS, CATALOG_FILE (catalog.json),
  DATABASE_PATH (SQLite, the default) or DATABASE_URL (PostgreSQL), ORDER_TOKEN_SECRETS,
  PAYSG_WEBHOOK_SECRETS, HTTPS_CERT_FILE and HTTPS_KEY_FILE, TRUST_PROXY,
  ADMIN_TOKEN (the back office's API at /admin/api; off without it),
  FINE_RULES_FILE and FORMSG_SIGNING_KEY (production) for fines from FormSG forms (docs/fines.md)

docs/bff.md (Configuration) lists them all. A missing or malformed value stops it with one
line naming the variable.`;

export const SIMULATOR_HELP = `usage: paysg-checkout simulator

Runs a stand-in for PaySG: its API at /v1, its payment pages, webhooks, and a control API at
/_control to make it decline, slow down or fail. Configured by environment variables:

  SIMULATOR_PORT (4010), SIMULATOR_HOST (127.0.0.1), SIMULATOR_PUBLIC_URL,
  SIMULATOR_WEBHOOK_URL with SIMULATOR_WEBHOOK_SECRET, SIMULATOR_CONTROL_TOKEN

Point the BFF at it with PAYSG_API_URL and PAYSG_PAYMENT_PAGE_ORIGIN both set to its address
(http://localhost:4010, or SIMULATOR_PUBLIC_URL), and the API key and payment service it prints.`;

export const ORDER_TOKEN_HELP = `usage: paysg-checkout order-token --reference REF (--amount DOLLARS | --amount-in-cents CENTS)
       --description TEXT [--payer-name NAME] [--payer-email EMAIL] [--payer-identifier ID] [--payer-address ADDRESS]
       [--ttl SECONDS] [--audience AUD] [--jti ID]

Prints an order token (a JWT) for the BFF. The secret is the first of ORDER_TOKEN_SECRETS
(environment or .env). --amount is dollars as people write them (45.50), as in 'links create';
the token carries amount_in_cents (4550).`;

export const LINKS_HELP = `usage: paysg-checkout links <command> [options]

Payment links without a web page: PaySG hosts the page, e-mails the link if asked, and the payer
gets a receipt. Uses PAYSG_API_KEY and PAYSG_PAYMENT_SERVICE_ID (environment or .env), or
--simulator for the built-in PaySG simulator.

commands:
  create    one link from flags
  bulk      one link per row of a CSV file
  status    the current status of links, from PaySG
  cancel    cancel unpaid links

Run 'paysg-checkout links <command> --help' for each command's options.`;

const COMMON = `  --simulator              use an in-process PaySG simulator (nothing leaves this machine)
  --help                   this text`;

export const CREATE_HELP = `usage: paysg-checkout links create --reference REF --payer-name NAME --description TEXT
                                   (--amount DOLLARS | --amount-in-cents CENTS) [options]

Creates one payment link and prints its URL and QR code. The same reference again gives back the
same link (remembered in data/links/, as bulk's links are).

  --reference REF          your reference (an invoice number); one link per reference
  --payer-name NAME        required by PaySG
  --payer-email EMAIL      where PaySG e-mails the link and receipt
  --payer-identifier ID    NRIC/FIN or UEN, at most 20 characters
  --payer-address TEXT
  --description TEXT       shown to the payer
  --amount DOLLARS         like 12.30
  --amount-in-cents CENTS  like 1230
  --due-date DD-MMM-YYYY   shown to the payer, like 31-DEC-2026 (links do not expire)
  --metadata KEY=VALUE     repeatable, at most 9
  --send-email             have PaySG e-mail the link to --payer-email
${COMMON}`;

export const BULK_HELP = `usage: paysg-checkout links bulk FILE.csv [options]

Creates one link per row. The header row names the columns: reference_id, payer_name, description,
amount (dollars, like 12.30) or amount_in_cents, and optionally payer_email, payer_identifier,
payer_address, due_date and metadata.<key>. The whole file is checked first: every bad row is
reported with its row number (as the spreadsheet numbers it) and nothing is created. Rerunning the
same file never creates a second link for a reference, whatever the file is called: a journal per
PaySG payment service in data/links/ (PAYSG_LINKS_JOURNAL_DIR) remembers each step. The results are
written to FILE.result.csv (FILE.simulator.result.csv with --simulator), and the summary says what
this run created and what was there already.

  --concurrency N      links created at once, 1 to 16 (default 4)
  --encoding NAME      utf-8 (the default: Excel's "CSV UTF-8") or windows-1252 (Excel's plain
                       "CSV" on Windows; latin1 means the same)
  --send-email         have PaySG e-mail each link (once) to its payer_email
${COMMON}`;

export const STATUS_HELP = `usage: paysg-checkout links status FILE.result.csv [--csv]
       paysg-checkout links status --reference REF [--csv]

Shows each link's status as PaySG has it now (unpaid, paid, cancelled, refunded).

  --csv                CSV instead of a table
${COMMON}`;

export const CANCEL_HELP = `usage: paysg-checkout links cancel --id=PAYMENT_ID [--id=…] [--yes | --dry-run]
       paysg-checkout links cancel FILE.result.csv [--yes | --dry-run]

Cancels unpaid links, so they can no longer be paid; a paid link is left as it is and reported.
It asks before cancelling; cancelling cannot be undone. Write --id=PAYMENT_ID with the equals
sign: PaySG's ids may begin with a dash.

  --yes, -y            cancel without asking (for scripts; without a terminal it is required)
  --dry-run            show what would be cancelled and what would be left, and cancel nothing
${COMMON}`;
