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
/** Settings written (transaction-scoped, one key: second int 0): a merge reads the stored settings under it. */
export const SETTINGS_LOCK_CLASS = 0x48420004;
