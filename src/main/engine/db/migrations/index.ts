// The ordered schema history. Append only: a released migration is never edited, a change is a new number.
// Numbers are reserved per branch of work (5 and 6 land from other branches), so they increase with gaps until
// those merge; migrate() applies every version above the database's, in order.
import { migration001 } from './001-core';
import { migration002 } from './002-inbox';
import { migration003 } from './003-lean-indexes';
import { migration004 } from './004-lean-hot-rows';
import { migration005 } from './005-delivery-core';
import { migration006 } from './006-event-search';
import { migration007 } from './007-deferred-search';
import { migration008 } from './008-search-mark';
import { migration009 } from './009-endpoint-policy';
import { migration010 } from './010-test-sends';
import { migration011 } from './011-inbox-answers';
import type { Migration } from './types';

export type { Migration } from './types';

export const migrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
];
