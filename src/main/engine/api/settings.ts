// settings.get / settings.update: deep-merged, validated as a whole, applied live (concurrency).
import type { Handlers } from '../../../shared';
import type { EngineContext } from '../context';
import { assertTargetAllowed } from '../endpoints/guard';
import type { HandlerParts } from './index';

export function settingsHandlers(
  ctx: EngineContext,
  { settingsStore, dispatcher, control }: HandlerParts,
): Pick<
  Handlers,
  'settings.get' | 'settings.update' | 'settings.notificationSecret' | 'settings.rotateNotificationSecret'
> {
  return {
    'settings.get': () => ctx.settings(),
    'settings.update': (patch) => {
      const before = ctx.settings().notificationUrl;
      assertTargetAllowed(patch.notificationUrl, 'notificationUrl', {
        ...ctx.settings(),
        allowLinkLocal: patch.allowLinkLocal ?? ctx.settings().allowLinkLocal,
      });
      const next = settingsStore.update(patch);
      dispatcher.setConcurrency(next.concurrency);
      if (next.notificationUrl !== before) control.syncNotificationUrl(next.notificationUrl);
      ctx.emit('settings.updated', {});
      return next;
    },
    // Shown so the consumer of notificationUrl can verify the operational events it receives.
    'settings.notificationSecret': () => ({ secret: settingsStore.operationalSecret() }),
    'settings.rotateNotificationSecret': () => ({ secret: settingsStore.rotateOperationalSecret() }),
  };
}
