import { type Endpoint, hideUrlPassword } from '@shared';
import { hrefTo } from '../../app/router';
import { useRoute } from '../../lib/query';

/** The endpoints that have their own retry policy or auto-disable threshold, which the settings do not decide for. */
export function endpointsWithOwn(endpoints: Endpoint[], part: 'retry' | 'autoDisableThreshold'): Endpoint[] {
  return endpoints.filter((e) => e[part] !== null);
}

/** Under a settings card: which endpoints keep a policy of their own (set on the endpoint), so this one is not theirs. */
export function OwnPolicyNote({ part }: { part: 'retry' | 'autoDisableThreshold' }) {
  const endpoints = useRoute('endpoints.list', {});
  const own = endpointsWithOwn(endpoints.data?.data ?? [], part);
  if (own.length === 0) return null;
  const what = part === 'retry' ? 'a retry policy' : 'an auto-disable threshold';
  return (
    <p className="muted own-policy-note">
      Not for {own.length === 1 ? '1 endpoint' : `${own.length} endpoints`} with {what} of{' '}
      {own.length === 1 ? 'its' : 'their'} own:{' '}
      {own.slice(0, 5).map((e, i) => (
        <span key={e.id}>
          {i > 0 ? ', ' : ''}
          <a href={hrefTo(`/endpoints/${encodeURIComponent(e.id)}`)}>{e.description || hideUrlPassword(e.url)}</a>
        </span>
      ))}
      {own.length > 5 ? ` and ${own.length - 5} more` : ''}.
    </p>
  );
}
