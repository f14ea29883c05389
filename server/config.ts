/**
 * Configuration from environment variables (and a `.env` file), checked once at start. A
 * missing or malformed value stops the process with one line per problem, naming the variable.
 * @module
 */
import { z } from 'zod';
import { API_KEY_PATTERN, API_KEY_PREFIXES_IN_WORDS } from './paysg/api-key.js';
import { isLoopbackHost } from './paysg/schemas.js';
import { DEFAULT_AUDIENCE } from './orders/order-token.js';
import { centsFromDollars } from './money.js';
import { parseStaffList, type StaffDirectory } from './admin/staff-directory.js';

export interface Config {
  port: number;
  /** Where browsers reach this server: `http://localhost:3000`, `https://agency.example`. */
  publicUrl: string;
  /** Mount path of the BFF: `/paysg`. */
  basePath: string;
  allowedOrigins: string[];
  /** Absent: no PaySG credentials (the demo then uses its simulator). */
  paysg:
    | {
        apiKey: string;
        paymentServiceId: string;
        apiUrl: string | undefined;
        paymentPageOrigin: string | undefined;
      }
    | undefined;
  catalogFile: string;
  store: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };
  orderTokens: { secrets: string[]; audience: string } | undefined;
  webhookSecrets: string[];
  /** How many reverse proxies in front of the BFF set X-Forwarded-For (0: none, use the socket). */
  trustProxy: number;
  reconcileEverySeconds: number;
  /** The reconciler leaves alone what was touched more recently than this (a request may be on it). */
  reconcileQuietSeconds: number;
  /** A certificate and key to serve HTTPS with (PEM files), when given. */
  tls: { certFile: string; keyFile: string } | undefined;
  /** The back office: staff signing in with OpenID Connect, and/or a token for scripts; absent, there is none. */
  admin: AdminConfig | undefined;
  /**
   * Fines from FormSG forms: the rules file (`FINE_RULES_FILE`) and whose signature FormSG's
   * deliveries carry (`FORMSG_SIGNING_KEY`); absent, there are no FormSG routes.
   */
  fines: FinesConfig | undefined;
  /** Per client and minute; the BFF's defaults when absent. `redisUrl`: counted in Redis, shared by every instance. */
  rateLimits: { createsPerMinute?: number; readsPerMinute?: number; redisUrl?: string };
}

export interface FinesConfig {
  rulesFile: string;
  /** FormSG's environment, whose published key the SDK ships, or a base64 ed25519 public key. */
  signingKey: { environment: 'production' | 'staging' } | { publicKey: string };
}

export interface AdminConfig {
  /** `ADMIN_TOKEN`: for scripts, audited as "API token". */
  token: string | undefined;
  /** The agency's identity provider; absent, nobody signs in (scripts only). */
  oidc: { issuer: string; clientId: string; clientSecret: string | undefined } | undefined;
  staff: StaffDirectory;
  /** Refunds above this wait for a second person's approval; undefined: none do. */
  refundApprovalOverInCents: number | undefined;
  sessions: { idleMs: number; absoluteMs: number };
  /** Per client address and minute; the back office's default when absent. */
  requestsPerMinute: number | undefined;
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** An unset or blank variable counts as absent. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );

const httpUrl = z
  .string()
  .refine(
    (v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol),
    'must be an http(s) URL',
  );

/** A comma-separated list of secrets (several while rotating). */
function secretList(message: string, minLength = 32) {
  return z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((list) => list.length > 0 && list.every((s) => s.length >= minLength), message);
}

const envSchema = z.object({
  PORT: z.preprocess(
    (v) => (v === undefined || v === '' ? undefined : v),
    z.coerce
      .number({ error: 'must be a whole number from 1 to 65535' })
      .int('must be a whole number from 1 to 65535')
      .min(1, 'must be a whole number from 1 to 65535')
      .max(65535, 'must be a whole number from 1 to 65535')
      .default(3000),
  ),
  PUBLIC_URL: optional(httpUrl),
  PAYSG_BASE_PATH: optional(
    z.string().regex(/^\/[a-z0-9/_-]*[a-z0-9_-]$/, 'must look like /paysg'),
  ),
  ALLOWED_ORIGINS: optional(z.string()),
  PAYSG_API_KEY: optional(
    z.string().regex(API_KEY_PATTERN, `must start with ${API_KEY_PREFIXES_IN_WORDS}`),
  ),
  PAYSG_PAYMENT_SERVICE_ID: optional(
    z.string().regex(/^payment_service_[A-Za-z0-9-]+$/, 'must start with payment_service_'),
  ),
  PAYSG_API_URL: optional(httpUrl),
  PAYSG_PAYMENT_PAGE_ORIGIN: optional(httpUrl),
  CATALOG_FILE: optional(z.string()),
  DATABASE_PATH: optional(z.string()),
  DATABASE_URL: optional(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')),
  ORDER_TOKEN_SECRETS: optional(secretList('each secret must be at least 32 characters')),
  ORDER_TOKEN_AUDIENCE: optional(z.string().min(1).max(255)),
  PAYSG_WEBHOOK_SECRETS: optional(secretList('each secret must be at least 16 characters', 16)),
  TRUST_PROXY: optional(
    z.coerce.number({ error: 'must be a number of proxies, 0 to 5' }).int().min(0).max(5),
  ),
  RECONCILE_EVERY_SECONDS: optional(
    z.coerce.number({ error: 'must be seconds, 5 to 3600' }).int().min(5).max(3600),
  ),
  HTTPS_CERT_FILE: optional(z.string().min(1)),
  HTTPS_KEY_FILE: optional(z.string().min(1)),
  RATE_LIMIT_CREATES_PER_MINUTE: optional(
    z.coerce.number({ error: 'must be a number, 1 to 100000' }).int().min(1).max(100_000),
  ),
  RATE_LIMIT_READS_PER_MINUTE: optional(
    z.coerce.number({ error: 'must be a number, 1 to 100000' }).int().min(1).max(100_000),
  ),
  ADMIN_TOKEN: optional(
    z
      .string()
      .min(32, 'must be at least 32 characters (openssl rand -hex 32 makes one)')
      .regex(/^\S+$/, 'must have no spaces'),
  ),
  ADMIN_OIDC_ISSUER: optional(httpUrl),
  ADMIN_OIDC_CLIENT_ID: optional(z.string().min(1).max(255)),
  ADMIN_OIDC_CLIENT_SECRET: optional(z.string().min(1).max(1024)),
  ADMIN_STAFF: optional(
    z.string().transform((v, ctx) => {
      try {
        return parseStaffList(v);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return z.NEVER;
      }
    }),
  ),
  ADMIN_ROLE_CLAIM: optional(
    z
      .string()
      .regex(/^[A-Za-z0-9_.:/-]{1,100}$/, 'must be the name of a claim, like groups or roles'),
  ),
  ADMIN_REFUND_APPROVAL_OVER: optional(
    z.string().transform((v, ctx) => {
      const cents = centsFromDollars(v);
      if (cents === undefined)
        ctx.addIssue({
          code: 'custom',
          message: 'must be an amount in dollars, like 500 or 500.00',
        });
      return cents ?? z.NEVER;
    }),
  ),
  ADMIN_REQUESTS_PER_MINUTE: optional(
    z.coerce.number({ error: 'must be a number, 10 to 100000' }).int().min(10).max(100_000),
  ),
  ADMIN_SESSION_IDLE_MINUTES: optional(
    z.coerce.number({ error: 'must be minutes, 5 to 480' }).int().min(5).max(480),
  ),
  ADMIN_SESSION_HOURS: optional(
    z.coerce.number({ error: 'must be hours, 1 to 24' }).int().min(1).max(24),
  ),
  FINE_RULES_FILE: optional(z.string().min(1)),
  FORMSG_SIGNING_KEY: optional(
    z
      .string()
      .trim()
      .refine(
        (v) =>
          v === 'production' ||
          v === 'staging' ||
          (/^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, 'base64').length === 32),
        'must be production, staging, or a base64 ed25519 public key (32 bytes)',
      ),
  ),
  RECONCILE_QUIET_SECONDS: optional(
    z.coerce.number({ error: 'must be seconds, 1 to 3600' }).int().min(1).max(3600),
  ),
});

/** Never echoed back, even when malformed. */
const SECRET_VARIABLES = new Set([
  'PAYSG_API_KEY',
  'ORDER_TOKEN_SECRETS',
  'PAYSG_WEBHOOK_SECRETS',
  'DATABASE_URL',
  'REDIS_URL',
  'ADMIN_TOKEN',
  'ADMIN_OIDC_CLIENT_SECRET',
]);

function shown(name: string, value: string | undefined): string {
  if (SECRET_VARIABLES.has(name)) return `a secret of ${value?.length ?? 0} characters, not shown`;
  return JSON.stringify(value);
}

export interface LoadConfigOptions {
  /** The BFF alone refuses to start without PaySG credentials (the default); the demo falls back. */
  requirePaysg?: boolean;
  /**
   * The demo on a laptop: with PaySG credentials and no `PUBLIC_URL`, it is
   * `https://localhost:$PORT`, served over HTTPS (PaySG returns payers to https pages only).
   */
  localHttpsForPaysg?: boolean;
  /** `CATALOG_FILE` when it is not set. Default `catalog.json`. */
  defaultCatalogFile?: string;
}

/** True when `PAYSG_API_URL` names a plain-http PaySG stand-in on this machine (the simulator). */
function paysgIsLoopback(apiUrl: string | undefined): boolean {
  if (apiUrl === undefined) return false;
  const url = new URL(apiUrl);
  return url.protocol === 'http:' && isLoopbackHost(url.hostname);
}

/** Each malformed variable in one line, naming it (a secret's value never shown). */
function problemsOf(error: z.ZodError, env: Record<string, string | undefined>): ConfigError {
  return new ConfigError(
    error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name} ${issue.message} (got ${shown(name, env[name])})`;
    }),
  );
}

/** PaySG's credentials alone, checked as the BFF checks them: for commands that talk to PaySG without serving. */
export function loadPaysgCredentials(env: Record<string, string | undefined>): {
  apiKey: string;
  paymentServiceId: string;
  apiUrl?: string;
} {
  const parsed = envSchema
    .pick({ PAYSG_API_KEY: true, PAYSG_PAYMENT_SERVICE_ID: true, PAYSG_API_URL: true })
    .safeParse(env);
  if (!parsed.success) throw problemsOf(parsed.error, env);
  const {
    PAYSG_API_KEY: apiKey,
    PAYSG_PAYMENT_SERVICE_ID: paymentServiceId,
    PAYSG_API_URL: apiUrl,
  } = parsed.data;
  if (!apiKey || !paymentServiceId)
    throw new ConfigError([
      'PAYSG_API_KEY and PAYSG_PAYMENT_SERVICE_ID are needed (or --simulator)',
    ]);
  return { apiKey, paymentServiceId, ...(apiUrl && { apiUrl }) };
}

export function loadConfig(
  env: Record<string, string | undefined>,
  options: LoadConfigOptions = {},
): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw problemsOf(parsed.error, env);
  const e = parsed.data;
  const problems: string[] = [];

  // Served over HTTPS (a certificate given, or the demo with real PaySG): its address says so.
  const localHttps =
    Boolean(e.HTTPS_CERT_FILE && e.HTTPS_KEY_FILE) ||
    (options.localHttpsForPaysg && Boolean(e.PAYSG_API_KEY) && !paysgIsLoopback(e.PAYSG_API_URL));
  const publicUrl = (
    e.PUBLIC_URL ?? `${localHttps ? 'https' : 'http'}://localhost:${e.PORT}`
  ).replace(/\/+$/, '');
  const allowedOrigins = (e.ALLOWED_ORIGINS ?? new URL(publicUrl).origin)
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of allowedOrigins) {
    if (!URL.canParse(origin) || new URL(origin).origin !== origin) {
      problems.push(
        `ALLOWED_ORIGINS entry ${JSON.stringify(origin)} must be an origin like https://agency.example`,
      );
    }
  }

  let paysg: Config['paysg'];
  if (e.PAYSG_API_KEY && e.PAYSG_PAYMENT_SERVICE_ID) {
    paysg = {
      apiKey: e.PAYSG_API_KEY,
      paymentServiceId: e.PAYSG_PAYMENT_SERVICE_ID,
      apiUrl: e.PAYSG_API_URL,
      paymentPageOrigin: e.PAYSG_PAYMENT_PAGE_ORIGIN && new URL(e.PAYSG_PAYMENT_PAGE_ORIGIN).origin,
    };
    if (e.PAYSG_API_URL && !e.PAYSG_PAYMENT_PAGE_ORIGIN) {
      problems.push(
        'PAYSG_PAYMENT_PAGE_ORIGIN is missing: with PAYSG_API_URL, name the origin of its payment pages',
      );
    }
    // PaySG blocks a create whose return_url is not HTTPS (integrating-with-your-e-services);
    // only a PaySG stand-in on this machine (the simulator) takes http.
    if (!paysgIsLoopback(e.PAYSG_API_URL) && !publicUrl.startsWith('https://')) {
      problems.push(
        'PUBLIC_URL must be an https URL when talking to PaySG, which only returns payers to https pages',
      );
    }
  } else if (e.PAYSG_API_KEY) {
    problems.push('PAYSG_PAYMENT_SERVICE_ID is missing (it goes with PAYSG_API_KEY)');
  } else if (e.PAYSG_PAYMENT_SERVICE_ID) {
    problems.push('PAYSG_API_KEY is missing (it goes with PAYSG_PAYMENT_SERVICE_ID)');
  } else if (options.requirePaysg ?? true) {
    problems.push(
      'PAYSG_API_KEY is missing: the BFF needs PaySG credentials (the demo, npm start in the repository, runs without them)',
    );
  }

  if (Boolean(e.HTTPS_CERT_FILE) !== Boolean(e.HTTPS_KEY_FILE)) {
    problems.push(
      'HTTPS_CERT_FILE and HTTPS_KEY_FILE go together: name both PEM files, or neither',
    );
  }

  const admin = adminConfig(e, publicUrl, problems);
  const fines = finesConfig(e, problems);

  if (problems.length) throw new ConfigError(problems);
  return {
    port: e.PORT,
    publicUrl,
    basePath: e.PAYSG_BASE_PATH ?? '/paysg',
    allowedOrigins,
    paysg,
    catalogFile: e.CATALOG_FILE ?? options.defaultCatalogFile ?? 'catalog.json',
    store: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', path: e.DATABASE_PATH ?? 'data/paysg-checkout.sqlite' },
    orderTokens: e.ORDER_TOKEN_SECRETS
      ? { secrets: e.ORDER_TOKEN_SECRETS, audience: e.ORDER_TOKEN_AUDIENCE ?? DEFAULT_AUDIENCE }
      : undefined,
    webhookSecrets: e.PAYSG_WEBHOOK_SECRETS ?? [],
    trustProxy: e.TRUST_PROXY ?? 0,
    reconcileEverySeconds: e.RECONCILE_EVERY_SECONDS ?? 60,
    reconcileQuietSeconds: e.RECONCILE_QUIET_SECONDS ?? 60,
    tls:
      e.HTTPS_CERT_FILE && e.HTTPS_KEY_FILE
        ? { certFile: e.HTTPS_CERT_FILE, keyFile: e.HTTPS_KEY_FILE }
        : undefined,
    admin,
    fines,
    rateLimits: {
      ...(e.RATE_LIMIT_CREATES_PER_MINUTE && { createsPerMinute: e.RATE_LIMIT_CREATES_PER_MINUTE }),
      ...(e.RATE_LIMIT_READS_PER_MINUTE && { readsPerMinute: e.RATE_LIMIT_READS_PER_MINUTE }),
      ...(e.REDIS_URL && { redisUrl: e.REDIS_URL }),
    },
  };
}

/** Fines from FormSG: only with a rules file; a signing key alone is a mistake worth saying. */
function finesConfig(e: z.infer<typeof envSchema>, problems: string[]): FinesConfig | undefined {
  if (!e.FINE_RULES_FILE) {
    if (e.FORMSG_SIGNING_KEY)
      problems.push(
        'FINE_RULES_FILE is missing: FORMSG_SIGNING_KEY is for the FormSG forms its rules name',
      );
    return undefined;
  }
  const key = e.FORMSG_SIGNING_KEY ?? 'production';
  return {
    rulesFile: e.FINE_RULES_FILE,
    signingKey:
      key === 'production' || key === 'staging' ? { environment: key } : { publicKey: key },
  };
}

/** The back office's settings, and what is missing or contradictory in them. */
function adminConfig(
  e: z.infer<typeof envSchema>,
  publicUrl: string,
  problems: string[],
): AdminConfig | undefined {
  const staffSet = Boolean(e.ADMIN_STAFF || e.ADMIN_ROLE_CLAIM);
  if (e.ADMIN_OIDC_ISSUER && !e.ADMIN_OIDC_CLIENT_ID)
    problems.push('ADMIN_OIDC_CLIENT_ID is missing (it goes with ADMIN_OIDC_ISSUER)');
  if (!e.ADMIN_OIDC_ISSUER && (e.ADMIN_OIDC_CLIENT_ID || e.ADMIN_OIDC_CLIENT_SECRET))
    problems.push('ADMIN_OIDC_ISSUER is missing (it goes with ADMIN_OIDC_CLIENT_ID)');
  if (e.ADMIN_OIDC_ISSUER && !staffSet) {
    problems.push(
      'ADMIN_STAFF is missing: with ADMIN_OIDC_ISSUER, list who may sign in (alice@agency.gov.sg:refund,bob@agency.gov.sg:view) or set ADMIN_ROLE_CLAIM',
    );
  }
  if (!e.ADMIN_OIDC_ISSUER && staffSet)
    problems.push(
      'ADMIN_OIDC_ISSUER is missing: ADMIN_STAFF and ADMIN_ROLE_CLAIM are for staff who sign in through it',
    );
  if (e.ADMIN_OIDC_ISSUER) {
    const url = new URL(e.ADMIN_OIDC_ISSUER);
    if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname))
      problems.push('ADMIN_OIDC_ISSUER must be an https URL');
    // The session cookie is Secure (__Host-): browsers keep it only from https, or from localhost.
    const own = new URL(publicUrl);
    if (own.protocol !== 'https:' && !isLoopbackHost(own.hostname))
      problems.push(
        'PUBLIC_URL must be an https URL for staff to sign in to the back office (its session cookie is Secure)',
      );
  }
  if (!e.ADMIN_OIDC_ISSUER && !e.ADMIN_TOKEN) return undefined;
  return {
    token: e.ADMIN_TOKEN,
    oidc:
      e.ADMIN_OIDC_ISSUER && e.ADMIN_OIDC_CLIENT_ID
        ? {
            issuer: e.ADMIN_OIDC_ISSUER,
            clientId: e.ADMIN_OIDC_CLIENT_ID,
            clientSecret: e.ADMIN_OIDC_CLIENT_SECRET,
          }
        : undefined,
    staff: {
      byEmail: e.ADMIN_STAFF ?? new Map(),
      ...(e.ADMIN_ROLE_CLAIM && { roleClaim: e.ADMIN_ROLE_CLAIM }),
    },
    refundApprovalOverInCents: e.ADMIN_REFUND_APPROVAL_OVER,
    sessions: {
      idleMs: (e.ADMIN_SESSION_IDLE_MINUTES ?? 30) * 60_000,
      absoluteMs: (e.ADMIN_SESSION_HOURS ?? 12) * 3_600_000,
    },
    requestsPerMinute: e.ADMIN_REQUESTS_PER_MINUTE,
  };
}
