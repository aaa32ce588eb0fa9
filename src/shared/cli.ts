import { z } from 'zod';
import { EventTypeFilter, EventTypeName, HttpUrl, IsoDateInput, wholeNumber } from './schemas/common';
import { EndpointSecret, SchemeName } from './schemas/endpoint';
import { DeliveryStatus } from './schemas/event';

// CLI flags, parsed once with these schemas after commander has split argv. Strings arrive as typed.

const Port = wholeNumber(0, 65_535);

/** An http(s) URL; `localhost:3000/webhooks` (no scheme, as people type it for `stripe listen`) means http://. */
const ForwardTo = z.preprocess(
  (v) => (typeof v === 'string' && v.length > 0 && !/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? `http://${v}` : v),
  HttpUrl,
);
const Host = z.string().min(1).max(255);

/** postgres://USER[:PASSWORD]@HOST[:PORT]/DB (or postgresql://), as `--db` or $HOOKBENCH_DATABASE_URL give it. */
export const PostgresUrl = z
  .string()
  .trim()
  .refine((s) => /^postgres(ql)?:\/\//i.test(s), { message: 'expected a postgres:// or postgresql:// URL' })
  .refine(
    (s) => {
      try {
        return new URL(s).hostname !== '';
      } catch {
        return false;
      }
    },
    { message: 'not a URL with a host: postgres://USER[:PASSWORD]@HOST:PORT/DB' },
  );

/** The URL without its password, for log lines and error messages. */
export function redactPgUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    for (const key of [...u.searchParams.keys()]) if (/pass/i.test(key)) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    // not parseable: it might still hold a password somewhere, so none of it is repeated
    return '(unparseable database URL)';
  }
}

/** Whether a `--db` value names a PostgreSQL database (a URL) rather than a SQLite file (a path). */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db.trim());
}

/**
 * The ports browsers and every fetch refuse to connect to (https://fetch.spec.whatwg.org/#block-bad-port, as
 * Chromium's ERR_UNSAFE_PORT): serve's UI and `hookbench/client` could not reach serve there.
 */
export const FETCH_BLOCKED_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110,
  111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532,
  540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061,
  6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/**
 * `--allowed-host`: a host name or IP address (IPv6 in brackets), optionally `:port`, as it arrives in Host. Not a URL
 * and no wildcard: accepting any name would undo the DNS-rebinding protection the Host check is for.
 */
const AllowedHostFlag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/, {
    message:
      'a host name or address as it arrives in Host (hookbench.example.com, 10.0.0.5:7777, [fd00::5]): no scheme, path or wildcard',
  });

/**
 * `$HOOKBENCH_TOKEN` as serve's API token: one no other local program guesses (16 characters at least) and that an
 * `Authorization: Bearer` header can carry (printable ASCII, no spaces).
 */
export const ServeToken = z
  .string()
  .regex(
    /^[\x21-\x7e]*$/,
    'holds spaces or characters beyond printable ASCII, which no Authorization: Bearer header carries: use letters, digits and punctuation (openssl rand -hex 32)',
  )
  .min(16, {
    error: (iss) =>
      `is ${(iss.input as string).length} characters long: give at least 16, so that no other local program guesses it (openssl rand -hex 32)`,
  });

export const ServeFlags = z.object({
  host: Host.default('127.0.0.1'),
  port: Port.refine((p) => !FETCH_BLOCKED_PORTS.has(p), {
    message: "browsers and fetch refuse this port (one of fetch's bad ports): the UI could not open; pick another",
  }).default(7777),
  db: z.string().min(1).optional(),
  /** absent: the port this database's receiver used last (a free one the first time, or when it is taken) */
  inboxPort: Port.optional(),
  /** names a reverse proxy, load balancer or tunnel sends in Host (DNS-rebinding protection refuses others) */
  allowedHost: z.array(AllowedHostFlag).default([]),
});
export type ServeFlags = z.infer<typeof ServeFlags>;

/** `K: V` header flags */
export const HeaderFlag = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+:\s?.*$/, "headers are given as 'Name: value'");

/** A profile whose fixtures `send` and `trigger` can take their data from. */
const ProfileFlag = z.enum(['generic', 'stripe', 'github', 'shopify']);

export const SendFlags = z.object({
  url: HttpUrl,
  type: EventTypeName,
  /** JSON text, or @file */
  data: z.string().optional(),
  secret: EndpointSecret.optional(),
  scheme: SchemeName.default('standard'),
  /** provider profile whose fixture of --type is sent when --data is absent */
  profile: ProfileFlag.optional(),
  header: z.array(HeaderFlag).default([]),
  retries: wholeNumber(0, 20).prefault(0),
  timeout: wholeNumber(100, 120_000).prefault(15_000),
  db: z.string().min(1).optional(),
  json: z.boolean().default(false),
});
export type SendFlags = z.infer<typeof SendFlags>;

export const ListenFlags = z
  .object({
    host: Host.default('127.0.0.1'),
    port: Port.default(8787),
    secret: EndpointSecret.optional(),
    scheme: SchemeName.default('standard'),
    status: wholeNumber(100, 599).prefault(200),
    failFirst: wholeNumber(0, 1000).prefault(0),
    delay: wholeNumber(0, 120_000).prefault(0),
    /** answer 401 to a request whose signature does not verify with --secret */
    rejectUnverified: z.boolean().default(false),
    /** also send each request to this URL (your local server), as `stripe listen --forward-to` does */
    forwardTo: ForwardTo.optional(),
    json: z.boolean().default(false),
  })
  .refine((f) => !f.rejectUnverified || f.secret !== undefined, {
    message: 'needs --secret, the secret that verifies signatures',
    path: ['rejectUnverified'],
  });
export type ListenFlags = z.infer<typeof ListenFlags>;

export const VerifyFlags = z
  .object({
    secret: EndpointSecret,
    scheme: SchemeName.default('standard'),
    /** a file holding a JSON object of headers, or - for stdin */
    headers: z.string().min(1),
    /** a file holding the raw body, or - for stdin */
    body: z.string().min(1),
    tolerance: wholeNumber(0, 86_400 * 365).prefault(300),
  })
  .refine((f) => !(f.headers === '-' && f.body === '-'), {
    message: 'only one of --headers and --body can be - (stdin)',
    path: ['body'],
  });
export type VerifyFlags = z.infer<typeof VerifyFlags>;

export const RunFlags = z
  .object({
    reporter: z.enum(['pretty', 'junit', 'json']).default('pretty'),
    /** write the report here instead of stdout (pretty progress still goes to stdout) */
    output: z.string().min(1).optional(),
    /** a running `hookbench serve` instead of an engine of the run's own */
    server: HttpUrl.optional(),
    /** its API token (default $HOOKBENCH_TOKEN) */
    token: z.string().min(1).optional(),
    db: z.string().min(1).optional(),
    /** print the scenario file's JSON Schema and exit */
    schema: z.boolean().default(false),
  })
  .refine((f) => !(f.server && f.db), { message: 'give --server or --db, not both', path: ['db'] });
export type RunFlags = z.infer<typeof RunFlags>;

export const ImportFlags = z
  .object({
    dryRun: z.boolean().default(false),
    /** a running `hookbench serve` instead of a database */
    server: HttpUrl.optional(),
    /** its API token (default $HOOKBENCH_TOKEN) */
    token: z.string().min(1).optional(),
    /** default: the database `serve` uses */
    db: z.string().min(1).optional(),
    json: z.boolean().default(false),
  })
  .refine((f) => !(f.server && f.db), { message: 'give --server or --db, not both', path: ['db'] });
export type ImportFlags = z.infer<typeof ImportFlags>;

/** `trigger`'s flags; its argument, the event type, is an EventTypeName checked on its own. */
export const TriggerFlags = z
  .object({
    /** JSON text, or @file; default: the profile's fixture, else the catalog type's example */
    data: z.string().optional(),
    profile: ProfileFlag.optional(),
    /** only these endpoints: each an id, a URL or a description naming exactly one */
    endpoint: z.array(z.string().min(1).max(500)).max(500).default([]),
    idempotencyKey: z.string().min(1).max(255).optional(),
    /** false (`--no-validate`): send data that breaks its type's schema on purpose */
    validate: z.boolean().default(true),
    /** wait until every delivery is final (succeeded, failed, paused or cancelled) */
    wait: z.boolean().default(false),
    /** how long to wait, in seconds */
    timeout: wholeNumber(1, 3_600).prefault(60),
    server: HttpUrl.optional(),
    token: z.string().min(1).optional(),
    db: z.string().min(1).optional(),
    json: z.boolean().default(false),
  })
  .refine((f) => !(f.server && f.db), { message: 'give --server or --db, not both', path: ['db'] });
export type TriggerFlags = z.infer<typeof TriggerFlags>;

export const TailFlags = z.object({
  /** the running `hookbench serve` to follow */
  server: HttpUrl,
  token: z.string().min(1).optional(),
  /** only these endpoints: each an id, a URL or a description naming exactly one */
  endpoint: z.array(z.string().min(1).max(500)).max(500).default([]),
  /** only this event type, or a family (`invoice.*`) */
  type: EventTypeFilter.optional(),
  /** only updates to these statuses (repeatable) */
  status: z.array(DeliveryStatus).max(6).default([]),
  /** also print deliveries being sent and newly queued ones */
  all: z.boolean().default(false),
  json: z.boolean().default(false),
});
export type TailFlags = z.infer<typeof TailFlags>;

const AGO = /^(\d{1,6})(m|h|d)$/;
const AGO_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A start time as a person gives it: `90m`, `24h`, `7d` ago, or an ISO 8601 date-time with a zone. */
const SinceFlag = z.union([z.string().regex(AGO), IsoDateInput], {
  error: 'a time ago such as 30m, 24h or 7d, or an ISO 8601 date-time with a zone such as 2026-12-01T09:00:00Z',
});

/** `--since` as the ISO time it names, counting `24h` back from `now`. */
export function sinceToIso(since: string, now: number): string {
  const ago = AGO.exec(since);
  if (!ago) return since;
  return new Date(now - Number(ago[1]) * AGO_MS[ago[2] as keyof typeof AGO_MS]).toISOString();
}

/** `replay`'s flags: a running serve replays one endpoint's missing events (it sends them). */
export const ReplayFlags = z.object({
  server: HttpUrl,
  token: z.string().min(1).optional(),
  /** the endpoint: its id, URL or description naming exactly one */
  endpoint: z.string().min(1).max(500),
  since: SinceFlag,
  until: IsoDateInput.optional(),
  /** count what would be replayed, send nothing */
  dryRun: z.boolean().default(false),
  json: z.boolean().default(false),
});
export type ReplayFlags = z.infer<typeof ReplayFlags>;

/** `api --field key=value`: one top-level key of the route's input (a string; JSON with --json-field). */
const FieldFlag = z
  .string()
  .max(100_000)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*=/, { error: 'give key=value, e.g. id=ep_123' });

/** `api`'s flags: one contract route, called through a running serve or on serve's database. */
export const ApiFlags = z
  .object({
    field: z.array(FieldFlag).max(100).default([]),
    jsonField: z.array(FieldFlag).max(100).default([]),
    /** a paged list route: every page, followed by its cursor, printed as one list */
    paginate: z.boolean().default(false),
    server: HttpUrl.optional(),
    token: z.string().min(1).optional(),
    db: z.string().min(1).optional(),
  })
  .refine((f) => !(f.server && f.db), { message: 'give --server or --db, not both', path: ['db'] });
export type ApiFlags = z.infer<typeof ApiFlags>;

/** Single-quotes a word for a POSIX shell: inside '...' nothing is special, so only `'` needs escaping. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The `hookbench trigger` command line that fires `input` through the serve at `server` (Compose's Copy as CLI): the
 * token from $HOOKBENCH_TOKEN, never written into a command line.
 */
export function triggerCommand(
  input: { type: string; data: unknown; endpointIds?: string[] },
  opts: { server: string; validate: boolean },
): string {
  const parts = ['hookbench trigger', shellQuote(input.type), '--data', shellQuote(JSON.stringify(input.data))];
  for (const id of input.endpointIds ?? []) parts.push('--endpoint', shellQuote(id));
  if (!opts.validate) parts.push('--no-validate');
  parts.push('--server', shellQuote(opts.server), '--token "$HOOKBENCH_TOKEN"');
  return parts.join(' ');
}
