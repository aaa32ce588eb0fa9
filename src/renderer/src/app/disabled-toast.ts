// Auto-disable must not happen silently: every `endpoint.disabled` push becomes a toast naming the endpoint, why it
// was disabled and how many deliveries wait, with a link to the endpoint (where Re-enable is).
import { useEffect } from 'react';
import { toast } from '../components';
import { useClient } from '../lib/query';
import { hrefTo } from './router';

export function useDisabledToast(): void {
  const client = useClient();
  useEffect(
    () =>
      client.on('endpoint.disabled', (p) => {
        const paused = p.pausedDeliveries === 1 ? '1 delivery paused' : `${p.pausedDeliveries} deliveries paused`;
        toast(`Endpoint disabled: ${p.url} (${p.reason}); ${paused}`, 'error', {
          href: hrefTo(`/endpoints/${encodeURIComponent(p.id)}`),
          label: 'Open endpoint',
        });
      }),
    [client],
  );
}
