import { describe, expect, it } from 'vitest';
import { createDesktopNotifier, type NotificationLike } from '../../src/main/app/notifier';

class FakeNotification implements NotificationLike {
  shown = 0;
  readonly handlers = new Map<string, () => void>();
  constructor(readonly opts: { title: string; body: string }) {}
  on(event: string, fn: () => void) {
    this.handlers.set(event, fn);
    return this;
  }
  show() {
    this.shown++;
  }
}

const disabled = {
  topic: 'endpoint.disabled' as const,
  title: 'Endpoint disabled',
  body: 'http://localhost:4000/hooks failed 5 times',
  endpointId: 'ep_1',
};

describe('desktop notifier', () => {
  it('shows the notification, and a click focuses the window', () => {
    const created: FakeNotification[] = [];
    let focused = 0;
    const notify = createDesktopNotifier({
      isSupported: () => true,
      create: (o) => {
        const n = new FakeNotification(o);
        created.push(n);
        return n;
      },
      focusWindow: () => focused++,
    });
    notify(disabled);
    expect(created).toHaveLength(1);
    expect(created[0]?.opts).toEqual({
      title: 'Endpoint disabled',
      body: 'http://localhost:4000/hooks failed 5 times',
    });
    expect(created[0]?.shown).toBe(1);
    expect(focused).toBe(0);
    created[0]?.handlers.get('click')?.();
    expect(focused).toBe(1);
  });

  it('does nothing where notifications are not supported', () => {
    let created = 0;
    const notify = createDesktopNotifier({
      isSupported: () => false,
      create: (o) => {
        created++;
        return new FakeNotification(o);
      },
      focusWindow: () => {},
    });
    notify(disabled);
    expect(created).toBe(0);
  });
});
