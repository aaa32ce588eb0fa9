// Fills an engine database with stored history fast: one INSERT ... SELECT over a recursive counter per table
// and chunk, in the engine's own schema (migrated by createEngine first). Rows: 98% succeeded deliveries with
// one attempt each, 1% failed, 1% pending with a retry due in 30 days (waiting, so never claimed here);
// endpoints take runs of 100 consecutive deliveries, so each has its share of every status.
const DAY = 24 * 3600 * 1000;
/** rows per transaction: big enough to be fast, small enough to report progress */
const CHUNK = 100_000;

export function prepareFill(db, endpointIds, now) {
  db.exec('CREATE TEMP TABLE IF NOT EXISTS scale_ep (n INTEGER PRIMARY KEY, id TEXT NOT NULL)');
  const ep = db.prepare('INSERT OR REPLACE INTO temp.scale_ep (n, id) VALUES (?, ?)');
  for (const [n, id] of endpointIds.entries()) ep.run(n, id);
  const start = now - 7 * DAY;
  // Spread over 7 days at ~0.6 s apart, oldest first, as history accumulates.
  const at = (i) => `(${start} + ${i} * 600)`;
  // CAST: a bound JS number arrives as REAL, and 'x' || 1.0 is 'x1.0'
  const counter = 'WITH RECURSIVE n(i) AS (SELECT CAST(? AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i < ?)';
  const status = `CASE i % 100 WHEN 0 THEN 'pending' WHEN 1 THEN 'failed' ELSE 'succeeded' END`;
  const stmts = [
    `${counter} INSERT INTO events (id, type, version, created_at, data)
       SELECT printf('scale-e-%09d', i), 'scale.type' || (i % 5), 'v1', ${at('i')},
         '{"object":{"id":' || i || ',"note":"' || hex(randomblob(80)) || '"}}' FROM n`,
    `${counter} INSERT INTO deliveries (id, event_id, endpoint_id, event_type, status, attempt_count, max_attempts,
         next_attempt_at, lease_until, last_status, last_duration_ms, last_error, created_at, updated_at)
       SELECT printf('scale-d-%09d', i), printf('scale-e-%09d', i),
         (SELECT id FROM temp.scale_ep WHERE n = (i / 100) % ${endpointIds.length}), 'scale.type' || (i % 5), ${status}, 1, 8,
         CASE i % 100 WHEN 0 THEN ${now + 30 * DAY} END, NULL, CASE i % 100 WHEN 1 THEN 500 ELSE 200 END, 1.5,
         CASE i % 100 WHEN 1 THEN 'HTTP 500' END, ${at('i')}, ${at('i')} FROM n`,
    `${counter} INSERT INTO attempts (delivery_id, endpoint_id, number, started_at, duration_ms, succeeded, request, response, error)
       SELECT printf('scale-d-%09d', i), (SELECT id FROM temp.scale_ep WHERE n = (i / 100) % ${endpointIds.length}), 1, ${at('i')}, 1.5,
         i % 100 > 1, '{"url":"http://127.0.0.1/","method":"POST","headers":{"content-type":"application/json"},"body":"{}"}',
         '{"status":200,"headers":{},"body":"{\\"ok\\":true}","truncated":false}', CASE i % 100 WHEN 1 THEN 'HTTP 500' END
       FROM n`,
  ].map((sql) => db.prepare(sql));
  const chunk = db.transaction((from, to) => {
    for (const s of stmts) s.run(from, to);
  });
  /** Adds rows numbered from..to-1 (cumulative across calls). */
  return (from, to, onProgress) => {
    for (let i = from; i < to; i += CHUNK) {
      chunk(i, Math.min(to, i + CHUNK) - 1);
      onProgress?.(Math.min(to, i + CHUNK));
    }
  };
}
