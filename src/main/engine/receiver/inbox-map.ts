// The inbox service's in-memory map of inboxes (id -> endpoint link and script): what the receiver reads per request
// without a round trip. Reads from the store (load, refresh, a lookup miss) race with writes through the service,
// so every change is stamped from one counter and a read's answer is applied only to inboxes nothing changed since
// the read began: a slow reload never puts back the script a person has just replaced.
import type { InboxTarget } from '../store/inbox-ports';

export class InboxMap {
  private readonly targets = new Map<string, InboxTarget>();
  /** the counter's value at each inbox's latest change (deleted inboxes included) */
  private readonly changedAt = new Map<string, number>();
  private counter = 0;

  get(id: string): InboxTarget | undefined {
    return this.targets.get(id);
  }

  /** where a read begins: pass it to setIfUnchanged / replaceAll with what it read */
  version(): number {
    return this.counter;
  }

  /** a write made through the service (null: the inbox is gone) */
  set(id: string, target: InboxTarget | null): void {
    this.changedAt.set(id, ++this.counter);
    if (target) this.targets.set(id, { endpointId: target.endpointId, script: target.script });
    else this.targets.delete(id);
  }

  /** a read of one inbox that began at `since`; ignored when the inbox changed after that */
  setIfUnchanged(id: string, target: InboxTarget | null, since: number): void {
    if ((this.changedAt.get(id) ?? 0) > since) return;
    this.set(id, target);
  }

  /** a read of every inbox that began at `since`: inboxes it lacks are gone, unless changed after `since` */
  replaceAll(inboxes: readonly ({ id: string } & InboxTarget)[], since: number): void {
    const read = new Map(inboxes.map((i) => [i.id, i] as const));
    for (const id of [...this.targets.keys()]) if (!read.has(id)) this.setIfUnchanged(id, null, since);
    for (const [id, t] of read) this.setIfUnchanged(id, t, since);
  }
}
