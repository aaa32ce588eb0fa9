// Export captured requests as a file: JSON (this app's shapes) or HAR 1.2 (for devtools, Charles, Insomnia).
import type { Inbox } from '@shared';
import type { Client } from '../../lib/client';

/** How many requests an export holds at most (the newest). */
export const EXPORT_LIMIT = 10_000;

export function exportFileName(inbox: Pick<Inbox, 'id' | 'name'>, format: 'json' | 'har', at = new Date()): string {
  const base = (inbox.name || `inbox-${inbox.id.slice(0, 8)}`).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '');
  return `${base || 'inbox'}-${at.toISOString().slice(0, 19).replace(/[:T]/g, '-')}.${format}`;
}

/** Fetches the export from the engine and saves it through a download link (a blob: URL, revoked after). */
export async function downloadExport(client: Client, inbox: Inbox, format: 'json' | 'har'): Promise<void> {
  const data = await client.call('inboxes.export', { id: inbox.id, format, limit: EXPORT_LIMIT });
  const blob = new Blob([JSON.stringify(data, null, 2)], {
    type: format === 'har' ? 'application/har+json' : 'application/json',
  });
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = exportFileName(inbox, format);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}
