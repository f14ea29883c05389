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
  PAYSG_WEBHOOK_SECRETS, HTTPS_CERT_FILE and HTTPS_KEY_FILE, TRUST_PROXY

The README's Configuration section lists them all. A missing or malformed value stops it with one
line naming the variable.`;

export const SIMULATOR_HELP = `usage: paysg-checkout simulator

Runs a stand-in for PaySG: its API at /v1, its payment pages, webhooks, and a control API at
/_control to make it decline, slow down or fail. Configured by environment variables:

  SIMULATOR_PORT (4010), SIMULATOR_HOST (127.0.0.1), SIMULATOR_PUBLIC_URL,
  SIMULATOR_WEBHOOK_URL with SIMULATOR_WEBHOOK_SECRET, SIMULATOR_CONTROL_TOKEN

Point the BFF at it with PAYSG_API_URL and PAYSG_PAYMENT_PAGE_ORIGIN both set to its address
(http://localhost:4010, or SIMULATOR_PUBLIC_URL), and the API key and payment service it prints.`;

export const ORDER_TOKEN_HELP = `usage: paysg-checkout order-token --reference REF --amount CENTS --description TEXT
       [--payer-name NAME] [--payer-email EMAIL] [--payer-identifier ID] [--payer-address ADDRESS]
       [--ttl SECONDS] [--audience AUD] [--jti ID]

Prints an order token (a JWT) for the BFF. The secret is the first of ORDER_TOKEN_SECRETS
(environment or .env).`;

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
