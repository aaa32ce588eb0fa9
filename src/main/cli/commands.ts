// The CLI's commands as commander sees them: names, flags and help. Each action loads its command's module when it
// runs, so `hookbench --version`, `--help` or `verify` load neither the engine, nor the HTTP server, nor the YAML
// parser: only the command that runs loads what it uses.
import type { Command } from 'commander';

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Run the engine headless with the REST API and the browser UI')
    .option('--host <host>', 'interface to bind (default 127.0.0.1)')
    .option('--port <port>', 'port; 0 picks a free one (default 7777)')
    .option('--db <file>', 'SQLite database (default: hookbench.db in the user data directory)')
    .option(
      '--inbox-port <port>',
      'port of the built-in receiver; 0 picks a free one (default: the one it used last with this database, so inbox URLs stay the same)',
    )
    .option(
      '--allowed-host <name>',
      'a name a reverse proxy, load balancer or tunnel sends in Host, accepted with any port (repeatable); others are refused (DNS rebinding)',
      collect,
    )
    .action(async (opts: Record<string, unknown>) => {
      const { serveCommand } = await import('./serve');
      await serveCommand(opts);
    });
}

export function registerSend(program: Command): void {
  program
    .command('send')
    .description('Send one signed event to a URL through the engine and print every attempt (exit 0 on 2xx)')
    .option('--url <url>', 'where to POST')
    .option('--type <type>', 'event type, e.g. invoice.paid')
    .option('--data <json>', "the envelope's data: JSON text, or @file")
    .option('--secret <secret>', 'signing secret (generated and printed when omitted)')
    .option('--scheme <scheme>', 'standard | stripe | github | shopify (default standard, or the profile)')
    .option('--profile <name>', 'generic | stripe | github | shopify: send its fixture of --type when --data is absent')
    .option('--header <header>', "extra request header 'Name: value' (repeatable)", collect)
    .option('--retries <n>', 'retries after a failed attempt (quick backoff from 500 ms)')
    .option('--timeout <ms>', 'per-attempt timeout in milliseconds')
    .option('--db <file>', 'use this database instead of a temporary one')
    .option('--json', 'print one JSON object instead of text')
    .action(async (opts: Record<string, unknown>) => {
      const { runSend } = await import('./send');
      const { withInterrupt } = await import('./interrupt');
      process.exitCode = await withInterrupt('send', 'cancelling the delivery', (signal) =>
        runSend(opts, undefined, signal),
      );
    });
}

export function registerListen(program: Command): void {
  program
    .command('listen')
    .description('Run a local webhook receiver that prints each request and whether its signature verifies')
    .option('--port <n>', 'port to listen on (0 = a free one)', '8787')
    .option('--host <host>', 'interface to bind (another than 127.0.0.1 exposes the receiver)', '127.0.0.1')
    .option('--secret <secret>', 'endpoint secret that verifies signatures (e.g. whsec_...)')
    .option('--scheme <scheme>', 'signature scheme: standard, stripe, github or shopify', 'standard')
    .option('--status <code>', 'status code to answer with', '200')
    .option('--fail-first <n>', 'answer 500 to the first N requests of each webhook id', '0')
    .option('--delay <ms>', 'wait this long before answering', '0')
    .option('--reject-unverified', 'answer 401 to a request whose signature does not verify with --secret')
    .option('--forward-to <url>', 'also send each request to this URL (your local server) and print its answer')
    .option(
      '--json',
      'print one JSON line per request instead of a readable block, and nothing else on stdout (`Listening on` goes to stderr)',
    )
    .action(async (raw: Record<string, unknown>) => {
      const { listenCommand } = await import('./listen');
      await listenCommand(raw);
    });
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description("Verify a request's signature: exit 0 when it verifies, 1 with the reason when not")
    .option('--secret <secret>', 'the endpoint secret (whsec_... for standard and stripe)')
    .option('--scheme <scheme>', 'standard | stripe | github | shopify', 'standard')
    .option('--headers <file>', 'a file holding a JSON object of the request headers, or - for stdin')
    .option('--body <file>', 'a file holding the raw request body, or - for stdin')
    .option('--tolerance <seconds>', 'allowed timestamp distance from now (standard, stripe)', '300')
    .action(async (opts: Record<string, unknown>) => {
      const { runVerify } = await import('./verify');
      // Set on success too: an earlier in-process command may have left a non-zero exit code behind.
      process.exitCode = await runVerify(opts);
    });
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description(
      'Run webhook scenario files (YAML or JSON) as tests: exit 0 when every expectation holds, 1 when one fails, 2 when a file is invalid',
    )
    .argument('[files...]', 'scenario files; each is one test suite')
    .option('--reporter <name>', 'pretty | junit | json (default pretty)')
    .option('--output <file>', 'write the report to this file (progress still printed)')
    .option('--server <url>', 'run against this `hookbench serve` (default: an engine on a temporary database)')
    .option('--token <token>', 'API token of --server (default $HOOKBENCH_TOKEN)')
    .option('--db <file>', 'run on this database instead of a temporary one (its settings are restored afterwards)')
    .option('--schema', "print the scenario files' JSON Schema (for editors) and exit")
    .addHelpText(
      'after',
      `
A scenario:
  name: invoice retried once
  settings: { retry: { initialDelayMs: 100, jitter: 0 } }   # for this run only
  endpoints:
    app: { inbox: { failFirst: 1 } }    # a built-in inbox, or url: http://127.0.0.1:3000/hooks
  steps:
    - fire: { type: invoice.paid, data: { object: { id: in_1, customer_id: cus_1, amount_paid: 4200, currency: eur } } }
    - expect: { endpoint: app, status: succeeded, attempts: 2, response: { status: 200 }, verified: true, within: 15s }

Steps: fire (type, data | profile + fixture, endpoints, as), expect (endpoint, type | event, delivered, status,
attempts, response { status, bodyContains }, verified, enabled, within), set (endpoint, enabled, inbox), resend
(endpoint, type | event, within: the delivery again, as sent), wait.
Examples: examples/scenarios/.`,
    )
    .action(async (files: string[], opts: Record<string, unknown>) => {
      const { runScenarios } = await import('./run');
      // Ctrl+C stops the scenario where it is and still leaves the target as found
      const { withInterrupt } = await import('./interrupt');
      process.exitCode = await withInterrupt(
        'run',
        "restoring settings and deleting the scenario's endpoints",
        (signal) => runScenarios(files, opts, undefined, undefined, signal),
      );
    });
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('Import event types from an OpenAPI 3.1 (webhooks) or AsyncAPI 3 (send operations) document')
    .argument('[file]', 'the document, YAML or JSON')
    .option(
      '--dry-run',
      'show what would be created, updated and skipped; import nothing and create no file (a database that does not exist is compared as the empty catalog a new one starts with)',
    )
    .option('--server <url>', 'import into this running `hookbench serve`')
    .option('--token <token>', 'API token of --server (default $HOOKBENCH_TOKEN)')
    .option(
      '--db <file>',
      "import into this database (default: serve's database in the user data directory); one that does not exist is created, and stderr says so",
    )
    .option('--json', 'print the answer as JSON')
    .addHelpText(
      'after',
      `
Each entry of an OpenAPI 3.1 "webhooks" section becomes an event type named by its key, with the JSON schema of
its application/json request body ($refs into components resolved into one self-contained schema), a
description from summary or description, and an example from example/examples or else generated from the
schema. AsyncAPI 3 operations with action "send" do the same with their messages' payloads (the message's name,
else the operation's key). Existing types are updated, identical ones skipped; recursive schemas and $refs to
other files are skipped with the reason.`,
    )
    .action(async (file: string | undefined, opts: Record<string, unknown>) => {
      const { runImport } = await import('./import');
      process.exitCode = await runImport(file, opts);
    });
}

export function registerTrigger(program: Command): void {
  program
    .command('trigger')
    .description(
      "Fire an event to the endpoints that subscribe to it, through a running serve or on serve's database (exit 0 when fired; with --wait, when every delivery succeeded)",
    )
    .argument('[type]', 'the event type, e.g. invoice.paid')
    .option(
      '--data <json>',
      "the event's data: JSON text, or @file (default: the --profile fixture, else the catalog's example)",
    )
    .option(
      '--profile <name>',
      "generic | stripe | github | shopify: fire its fixture of the type (the provider's payload, not checked against the catalog type's schema)",
    )
    .option('--endpoint <endpoint>', 'only this endpoint: its id, URL or description (repeatable)', collect)
    .option('--idempotency-key <key>', 'the same key fires once: a repeat returns the first event')
    .option('--no-validate', "fire data that breaks the type's JSON Schema on purpose")
    .option(
      '--wait',
      'wait until every delivery succeeded, failed, was paused or cancelled; exit 1 unless all succeeded',
    )
    .option('--timeout <seconds>', 'how long to wait at most (default 60)')
    .option('--server <url>', 'fire through this running `hookbench serve`')
    .option('--token <token>', 'API token of --server (default $HOOKBENCH_TOKEN)')
    .option('--db <file>', "fire on this database (default: serve's database in the user data directory)")
    .option('--json', 'print the event and its deliveries as GET /events/{id} shows them')
    .addHelpText(
      'after',
      `
Through --server, serve sends the deliveries and trigger returns once they are queued (or, with --wait, once
each is final). On a database, trigger's own engine sends them and waits for each first attempt; retries left
over are sent by the next engine on that database.

Examples:
  hookbench trigger invoice.paid --server http://127.0.0.1:7777 --token $TOKEN --wait
  hookbench trigger payment_intent.succeeded --profile stripe --endpoint app
  hookbench trigger order.created --data @order.json --no-validate`,
    )
    .action(async (type: string | undefined, opts: Record<string, unknown>) => {
      const { runTrigger } = await import('./trigger');
      process.exitCode = await runTrigger(type, opts);
    });
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'Send an endpoint the events it subscribes to and never got (fired before it existed, while it was disabled, or only to other endpoints), through a running serve',
    )
    .option('--endpoint <endpoint>', 'the endpoint: its id, URL or description')
    .option('--since <time>', 'events fired since: 30m, 24h, 7d ago, or an ISO 8601 date-time with a zone')
    .option('--until <time>', 'and before this ISO 8601 date-time (default: now)')
    .option('--dry-run', 'count what would be replayed, send nothing')
    .option('--server <url>', 'the running `hookbench serve` that sends them')
    .option('--token <token>', 'its API token (default $HOOKBENCH_TOKEN)')
    .option('--json', 'print the answer as JSON: endpointId, since, until, events, truncated, dryRun')
    .addHelpText(
      'after',
      `
Each missing event gets one delivery, sent as it was first sent (same webhook id and data), oldest first; what
already has a delivery to the endpoint is never replayed again. At most 10,000 events a run: it says when more
are missing, and the same command sends the rest.

Examples:
  hookbench replay --endpoint app --since 24h --server http://127.0.0.1:7777 --token $TOKEN
  hookbench replay --endpoint https://example.com/hooks --since 2026-12-01T09:00:00Z --dry-run --server ...`,
    )
    .action(async (opts: Record<string, unknown>) => {
      const { runReplay } = await import('./replay');
      process.exitCode = await runReplay(opts);
    });
}

export function registerTail(program: Command): void {
  program
    .command('tail')
    .description("Follow a running serve's deliveries as they move, one line per attempt's outcome (Ctrl+C to stop)")
    .option('--server <url>', 'the running `hookbench serve` to follow')
    .option('--token <token>', 'its API token (default $HOOKBENCH_TOKEN)')
    .option('--endpoint <endpoint>', 'only this endpoint: its id, URL or description (repeatable)', collect)
    .option('--type <type>', 'only this event type, or a family: invoice.*')
    .option(
      '--status <status>',
      'only updates to this status: pending, sending, succeeded, failed, paused, cancelled (repeatable)',
      collect,
    )
    .option('--all', 'also print deliveries as they are queued and sent')
    .option('--json', 'one JSON object per line: the update, its event type and when it was seen')
    .addHelpText(
      'after',
      `
Each line: time (UTC), status, event type, endpoint, what happened, delivery id, e.g.
  00:41:12  succeeded  invoice.paid  app  HTTP 200 (1 attempt)  01a2…
  00:41:13  pending    invoice.paid  billing  HTTP 503, attempt 1 of 5 failed: retrying  01a2…
An endpoint disabled (by a person, or after failing) is said on stderr with why and how many deliveries it paused.`,
    )
    .action(async (opts: Record<string, unknown>) => {
      const { runTail } = await import('./tail');
      process.exitCode = await runTail(opts);
    });
}

export function registerApi(program: Command): void {
  program
    .command('api')
    .description(
      "Call any API route (the contract the UI and the REST API share) through a running serve or on serve's database, and print its JSON answer; without a route, list the routes",
    )
    .argument('[route]', 'the route, e.g. endpoints.list, deliveries.retry')
    .argument('[input]', 'its input: a JSON object, @file, or - for standard input (default {})')
    .option('-f, --field <key=value>', 'an input key with a string value (repeatable)', collect)
    .option('-F, --json-field <key=json>', 'an input key with a JSON value: 3, true, ["a"] (repeatable)', collect)
    .option('--paginate', 'a paged list (events.list, deliveries.list, inboxes.requests): every page, as one list')
    .option('--server <url>', 'call this running `hookbench serve`')
    .option('--token <token>', 'API token of --server (default $HOOKBENCH_TOKEN)')
    .option('--db <file>', "call an engine on this database (default: serve's database in the user data directory)")
    .addHelpText(
      'after',
      `
The input is checked against the route's schema before anything is called (exit 2 when it does not fit). The
answer is printed as JSON (pipe it to jq); the engine's refusal (not found, conflict, …) goes to stderr, exit 1.

Examples:
  hookbench api                # list the routes
  hookbench api endpoints.list --server http://127.0.0.1:7777 --token $TOKEN
  hookbench api deliveries.list -f status=failed -F limit=5 --server ...
  hookbench api events.list -f type=invoice.* --paginate --server ... | jq '.data | length'
  hookbench api deliveries.retry -f id=dlv_123 --server ...
  hookbench api endpoints.create '{"url":"https://example.com/hooks","eventTypes":["invoice.*"]}' --server ...`,
    )
    .action(async (route: string | undefined, input: string | undefined, opts: Record<string, unknown>) => {
      const { runApi } = await import('./api');
      process.exitCode = await runApi(route, input, opts);
    });
}
