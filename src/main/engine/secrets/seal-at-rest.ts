// A start-up step: seal the signing secrets an earlier version (or a host without a key) stored in plain text, and
// say which sealed ones this key cannot open. It needs the key, which a migration never has, so it runs on every
// start after the migrations; a database whose secrets are all sealed costs one indexed scan of a small table.
import type Database from 'better-sqlite3';
import type { Logger, SecretBox } from '../types';

const OPERATIONAL_SECRET_KEY = 'operational_secret';

export interface SealReport {
  /** plain-text values sealed now */
  sealed: number;
  /** live endpoints whose current secret cannot be opened with this key */
  unopenable: string[];
  /** the notification secret cannot be opened with this key */
  notificationUnopenable: boolean;
}

export function sealSecretsAtRest(db: Database.Database, box: SecretBox, log: Logger): SealReport {
  const report: SealReport = { sealed: 0, unopenable: [], notificationUnopenable: false };
  const isSealed = box.isSealed?.bind(box);
  if (!isSealed) return report;
  const opens = (stored: string) => {
    try {
      box.open(stored);
      return true;
    } catch {
      return false;
    }
  };

  const rows = db
    .prepare<[], { id: number; endpoint_id: string; sealed: string; expires_at: number | null; live: number }>(
      `SELECT s.id, s.endpoint_id, s.sealed, s.expires_at, e.deleted_at IS NULL AS live
       FROM endpoint_secrets s JOIN endpoints e ON e.id = s.endpoint_id ORDER BY s.id`,
    )
    .all();
  const setting = db
    .prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?')
    .get(OPERATIONAL_SECRET_KEY);
  const plainRows = rows.filter((r) => !isSealed(r.sealed));
  const notification = setting ? (JSON.parse(setting.value) as string) : null;
  const plainNotification = notification !== null && !isSealed(notification);

  if (plainRows.length > 0 || plainNotification) {
    // secure_delete: the plain text is overwritten in the database pages instead of left in free space, and the
    // TRUNCATE checkpoint empties the WAL, which would otherwise still hold the old pages.
    db.pragma('secure_delete = ON');
    try {
      db.transaction(() => {
        const update = db.prepare('UPDATE endpoint_secrets SET sealed = ? WHERE id = ?');
        for (const r of plainRows) update.run(box.seal(r.sealed), r.id);
        if (plainNotification) {
          db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(
            JSON.stringify(box.seal(notification)),
            OPERATIONAL_SECRET_KEY,
          );
        }
      })();
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.pragma('secure_delete = OFF');
    }
    report.sealed = plainRows.length + (plainNotification ? 1 : 0);
    log.info('sealed signing secrets stored in plain text', { count: report.sealed });
  }

  const unopenable = new Set<string>();
  for (const r of rows) {
    if (r.live === 1 && r.expires_at === null && isSealed(r.sealed) && !opens(r.sealed)) unopenable.add(r.endpoint_id);
  }
  report.unopenable = [...unopenable];
  if (report.unopenable.length > 0) {
    log.warn('signing secrets cannot be opened with this key; their deliveries fail until rotated', {
      endpoints: report.unopenable,
      fix: 'start with the key they were sealed with, or rotate each: POST /api/v1/endpoints/{id}/rotate-secret (Rotate in the UI)',
    });
  }
  if (notification !== null && !plainNotification && !opens(notification)) {
    report.notificationUnopenable = true;
    log.warn('the notification secret cannot be opened with this key; endpoint.disabled notifications fail', {
      fix: 'start with the key it was sealed with, or rotate it: POST /api/v1/settings/notification-secret/rotate (Rotate in Settings)',
    });
  }
  return report;
}
