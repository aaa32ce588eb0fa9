// `hookbench import FILE`: event types from an OpenAPI 3.1 (webhooks) or AsyncAPI 3 (send operations) document
// into the catalog of serve's database (default), --db FILE, or a running serve (--server URL --token T).
// Exit 0 when imported (or previewed with --dry-run), 2 when the file or a flag is bad, 1 otherwise.
import { readFileSync } from 'node:fs';
import { type EventTypeImportOutput, HookbenchError, ImportFlags } from '../../shared';
import { databaseTarget } from './database';
import { parseFlags, UsageError } from './flags';
import { serveDataTarget, serverToken } from './run-target';

export interface ImportIo {
  out(text: string): void;
  err(text: string): void;
}
const processIo: ImportIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

function summary(file: string, res: EventTypeImportOutput): string {
  const kind = res.format === 'openapi' ? 'OpenAPI' : 'AsyncAPI';
  const lines = [
    `${res.dryRun ? 'Would import' : 'Imported'} from ${kind}${res.title ? ` "${res.title}"` : ''} (${file}): ${res.created.length} created, ${res.updated.length} updated, ${res.skipped.length} skipped`,
  ];
  for (const c of res.created) lines.push(`  + ${c.name}${c.description ? `  ${c.description}` : ''}`);
  for (const u of res.updated) lines.push(`  ~ ${u.name}${u.description ? `  ${u.description}` : ''}`);
  for (const s of res.skipped) lines.push(`  - ${s.name}: ${s.reason}`);
  if (res.dryRun) lines.push('Nothing was changed (--dry-run).');
  return `${lines.join('\n')}\n`;
}

export async function runImport(
  file: string | undefined,
  raw: Record<string, unknown>,
  io: ImportIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const flags = parseFlags(ImportFlags, raw);
  if (!file) throw new UsageError('give the OpenAPI or AsyncAPI file to import');
  serverToken(flags, env);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }

  try {
    if (!flags.server) {
      // a --db that cannot hold a database is said first, as every command says it
      databaseTarget(flags.db, env);
      // read before a database is opened: a document it cannot import must not leave a new --db behind
      await (await import('../engine/catalog-import')).readCatalog(source);
    }
    // An import is how a new database gets its catalog, so a missing one is created (trigger and api, which act on
    // what a database holds, refuse it) and said, so that a mistyped --db shows; a dry run creates nothing and
    // compares with the empty catalog a new database starts with. Nothing queued is sent: importing types is all.
    const target = await serveDataTarget(
      flags,
      { missing: flags.dryRun ? 'empty' : 'create', inbox: false, dispatch: false },
      env,
    );
    try {
      const res = await target.call('eventTypes.import', { source, dryRun: flags.dryRun });
      if (target.newDatabase) {
        io.err(
          flags.dryRun
            ? `hookbench: no database at ${target.newDatabase}: compared with a new database's catalog; nothing was created\n`
            : `hookbench: no database at ${target.newDatabase}: created a new one\n`,
        );
      }
      io.out(flags.json ? `${JSON.stringify(res)}\n` : summary(file, res));
      return 0;
    } finally {
      await target.close();
    }
  } catch (err) {
    if (err instanceof HookbenchError && err.code === 'invalid_input') {
      io.err(`hookbench: ${file}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
