// `hookbench api ROUTE [INPUT]`: any route of the contract (the one the UI, the REST API and the typed client use),
// called through a running serve (--server) or on serve's database, its answer printed as JSON, as `gh api` does for
// GitHub. The input is JSON text, @file or - (stdin), plus --field key=value / --json-field key=JSON; it is checked
// against the route's input schema before anything is sent. --paginate follows a list's cursors to its end and
// prints every item as one list. Without a route, the routes are listed.
// Exit 0 with the answer, 1 when the engine refuses (not found, conflict, …) or cannot be reached, 2 on bad usage
// (an unknown route, input that is not JSON or that the route's schema refuses: nothing is called then).
import { readFileSync } from 'node:fs';
import { paginate } from '../../client/pages';
import {
  ApiFlags,
  type ErrorIssue,
  HookbenchError,
  isPagedRoute,
  issuesFromZod,
  type PagedRouteName,
  type RouteName,
  routeNames,
  routes,
} from '../../shared';
import { parseFlags, UsageError } from './flags';
import { type ScenarioTarget, serveDataTarget } from './run-target';

export interface ApiIo {
  out(text: string): void;
  err(text: string): void;
  /** standard input's text, for `-` */
  stdin(): string;
}
const processIo: ApiIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  stdin: () => readFileSync(0, 'utf8'),
};

/** Every route: name, method and path, summary (what `hookbench api` alone prints). */
export function routeList(): string {
  const rows = Object.values(routes).map((r) => [r.name, `${r.http.method} /api/v1${r.http.path}`, r.summary]);
  const w0 = Math.max(...rows.map((r) => (r[0] as string).length));
  const w1 = Math.max(...rows.map((r) => (r[1] as string).length));
  return `${rows.map(([n, h, s]) => `${(n as string).padEnd(w0)}  ${(h as string).padEnd(w1)}  ${s}`).join('\n')}\n`;
}

function routeOf(name: string): RouteName {
  if (Object.hasOwn(routes, name)) return name as RouteName;
  const [family] = name.split('.');
  const near = Object.keys(routes).filter((r) => r.startsWith(`${family}.`));
  if (near.length > 0)
    throw new UsageError(`no route named ${JSON.stringify(name)} (${family}.* routes: ${near.join(', ')})`);
  const guesses = closestRoutes(name);
  const hint = guesses.length > 0 ? `; did you mean ${guesses.join(' or ')}?` : '; `hookbench api` lists the routes';
  throw new UsageError(`no route named ${JSON.stringify(name)}${hint}`);
}

/** A route name as people misspell it: any case, dashes and underscores dropped (`event-types.list`). */
const loose = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');

/** The routes nearest `name` (edit distance over loose spellings, a family's singular too): the closest, at most three. */
function closestRoutes(name: string): string[] {
  const want = loose(name);
  const bound = Math.max(2, Math.floor(want.length / 4));
  return Object.keys(routes)
    .map((r) => ({ r, d: Math.min(editDistance(want, loose(r)), editDistance(want, loose(r.replace(/s\./, '.')))) }))
    .filter((x) => x.d <= bound)
    .sort((a, b) => a.d - b.d || a.r.localeCompare(b.r))
    .filter((x, _, all) => x.d === all[0]?.d)
    .slice(0, 3)
    .map((x) => x.r);
}

/** Levenshtein distance (insertions, deletions, substitutions), one row at a time. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost));
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/** The input argument: JSON text, @file or - (stdin); an object (the routes' inputs are). */
function inputOf(arg: string | undefined, io: ApiIo): Record<string, unknown> {
  if (arg === undefined) return {};
  let text = arg;
  let where = 'the input';
  if (arg === '-') {
    text = io.stdin();
    where = 'standard input';
  } else if (arg.startsWith('@')) {
    where = arg.slice(1);
    try {
      text = readFileSync(where, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${where} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${where}: not valid JSON (give a JSON object, @file or -)`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UsageError(`${where}: give a JSON object, e.g. '{"id":"ep_123"}'`);
  }
  return value as Record<string, unknown>;
}

/** --field key=value (a string) and --json-field key=JSON, over the input's keys. */
function withFields(input: Record<string, unknown>, flags: ApiFlags): Record<string, unknown> {
  const out = { ...input };
  const split = (f: string) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)] as const;
  for (const f of flags.field) {
    const [key, value] = split(f);
    out[key] = value;
  }
  for (const f of flags.jsonField) {
    const [key, value] = split(f);
    try {
      out[key] = JSON.parse(value);
    } catch {
      throw new UsageError(`--json-field ${JSON.stringify(f)}: not valid JSON (use --field for a plain string)`);
    }
  }
  return out;
}

const issueText = (i: ErrorIssue) => `${i.path.length > 0 ? i.path.join('.') : 'input'}: ${i.message}`;

/** Every page of a list route, from the input's cursor on: the items of all, in order, as one answer. */
async function allPages(target: ScenarioTarget, name: PagedRouteName, input: Record<string, unknown>) {
  const data: unknown[] = [];
  for await (const item of paginate(target, name, input as never)) data.push(item);
  return { data, nextCursor: null };
}

/** The route's own input schema, before anything is called: what it refuses, said per key. */
function checkInput(name: RouteName, input: Record<string, unknown>): void {
  const res = routes[name].input.safeParse(input);
  if (res.success) return;
  throw new UsageError(`${name}: ${issuesFromZod(res.error).map(issueText).join('; ')}`);
}

export async function runApi(
  route: string | undefined,
  inputArg: string | undefined,
  raw: Record<string, unknown>,
  io: ApiIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const flags = parseFlags(ApiFlags, raw);
  if (route === undefined) {
    if (inputArg !== undefined || flags.field.length > 0 || flags.jsonField.length > 0) {
      throw new UsageError('give the route the input is for, e.g. hookbench api endpoints.get --field id=ep_123');
    }
    io.out(routeList());
    return 0;
  }
  const name = routeOf(route);
  if (flags.paginate && !isPagedRoute(name)) {
    const lists = routeNames.filter(isPagedRoute);
    throw new UsageError(`--paginate: ${name} answers in one piece (paged routes: ${lists.join(', ')})`);
  }
  const input = withFields(inputOf(inputArg, io), flags);
  checkInput(name, input);
  let target: ScenarioTarget | null = null;
  try {
    target = await serveDataTarget(flags, { missing: 'refuse', inbox: false }, env);
    const answer: unknown =
      flags.paginate && isPagedRoute(name)
        ? await allPages(target, name, input)
        : await target.call(name, input as never);
    if (answer !== undefined) io.out(`${JSON.stringify(answer, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof HookbenchError)) throw err;
    // the engine's refusal, as the API gives it: its code, message and the input keys at fault
    const issues = (err.issues ?? []).map((i) => `\n  ${issueText(i)}`);
    io.err(`hookbench: ${name}: ${err.code}: ${err.message}${issues.join('')}\n`);
    return 1;
  } finally {
    await target?.close();
  }
}
