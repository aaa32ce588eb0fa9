// settings.get / settings.update: deep-merged, validated as a whole, applied live (concurrency), on either store.
import type { Handlers, Settings } from '../../../shared';
import { assertTargetAllowed } from '../endpoints/guard';
import type { EndpointControlPort } from '../store/control-ports';
import type { SettingsStorePort } from '../store/endpoint-ports';
import type { HandlerContext } from './handler-context';

type SettingsHandlers = Pick<
  Handlers,
  'settings.get' | 'settings.update' | 'settings.notificationSecret' | 'settings.rotateNotificationSecret'
>;

/** What the settings handlers act on: SQLite's SettingsStore/EndpointControl or PostgreSQL's. */
export interface SettingsHandlerParts {
  settingsStore: SettingsStorePort;
  control: EndpointControlPort;
  /** applies stored settings to this process's running parts (settingsApplier) */
  applySettings: (s: Settings) => void;
}

export function settingsHandlers(ctx: HandlerContext, parts: SettingsHandlerParts): SettingsHandlers {
  const { settingsStore, control, applySettings } = parts;
  return {
    'settings.get': () => ctx.settings(),
    'settings.update': async (patch) => {
      const before = ctx.settings().notificationUrl;
      assertTargetAllowed(patch.notificationUrl, 'notificationUrl', {
        ...ctx.settings(),
        allowLinkLocal: patch.allowLinkLocal ?? ctx.settings().allowLinkLocal,
      });
      const next = await settingsStore.update(patch);
      applySettings(next);
      if (next.notificationUrl !== before) await control.syncNotificationUrl(next.notificationUrl);
      ctx.emit('settings.updated', {});
      return next;
    },
    // Shown so the consumer of notificationUrl can verify the operational events it receives.
    'settings.notificationSecret': async () => ({ secret: await settingsStore.operationalSecret() }),
    'settings.rotateNotificationSecret': async () => ({ secret: await settingsStore.rotateOperationalSecret() }),
  };
}
