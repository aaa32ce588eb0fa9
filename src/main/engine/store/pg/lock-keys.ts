// Advisory lock keys of the PostgreSQL store. PostgreSQL has two key spaces that never overlap: one bigint
// (migrations use it, MIGRATION_LOCK_KEY in migrate.ts) and a pair of int4s. The pair form is used here: the first
// int names what is locked, the second is hashtext() of the name (an endpoint id, a round's name). Two names that
// hash alike only share a lock: they serialize, which is slower but never wrong.

/** Claims of one endpoint (transaction-scoped: pg_advisory_xact_lock). */
export const CLAIM_LOCK_CLASS = 0x48420001;
/** "One process does each round" (session-scoped: pg_try_advisory_lock). */
export const ROUND_LOCK_CLASS = 0x48420002;
/** Replays of one endpoint's missing events (transaction-scoped: pg_advisory_xact_lock). */
export const REPLAY_LOCK_CLASS = 0x48420003;
/** Settings written (transaction-scoped, the settings row's key): a merge reads the stored settings under it. */
export const SETTINGS_LOCK_CLASS = 0x48420004;
/** An idempotency key's fired event (transaction-scoped: a pass's keys locked in one order before anything else). */
export const IDEMPOTENCY_LOCK_CLASS = 0x48420005;

const LOCK_ONE = 'SELECT pg_advisory_xact_lock($1::int, hashtext($2))';

/** The transaction-scoped lock of `lockClass` for one name (held to the transaction's end). */
export async function lockOne(
  tx: { query(text: string, values: unknown[]): Promise<unknown> },
  lockClass: number,
  name: string,
): Promise<void> {
  await tx.query(LOCK_ONE, [lockClass, name]);
}

// Several names' locks of one class in one statement, in hash order (the subquery's ORDER BY keeps PostgreSQL from
// pulling it up), each taken as its row comes: two transactions that lock overlapping sets never wait for each other
// in a cycle, whatever order their callers listed the names in.
const LOCK_IN_ORDER = `SELECT pg_advisory_xact_lock($1::int, k)
  FROM (SELECT DISTINCT hashtext(name) AS k FROM unnest($2::text[]) AS name ORDER BY k) AS keys`;

/** Transaction-scoped locks of `lockClass` for each name, taken in one order (held to the transaction's end). */
export async function lockAllInOrder(
  tx: { query(text: string, values: unknown[]): Promise<unknown> },
  lockClass: number,
  names: readonly string[],
): Promise<void> {
  if (names.length > 0) await tx.query(LOCK_IN_ORDER, [lockClass, names]);
}
