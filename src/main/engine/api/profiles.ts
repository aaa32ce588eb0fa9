// profiles.list: the provider profiles and their fixtures. Static data bundled with the app (no database).
import type { Handlers } from '../../../shared';
import { profiles } from '../profiles';

export function profilesHandlers(): Pick<Handlers, 'profiles.list'> {
  return {
    'profiles.list': () => ({ data: profiles, nextCursor: null }),
  };
}
