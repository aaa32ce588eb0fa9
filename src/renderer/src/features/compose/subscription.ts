// Which endpoints an event type reaches: the engine's own rule, from the contract.
import { type Endpoint, subscribes as filtersAccept } from '@shared';

export function subscribes(endpoint: Pick<Endpoint, 'eventTypes'>, type: string): boolean {
  return filtersAccept(endpoint.eventTypes, type);
}
