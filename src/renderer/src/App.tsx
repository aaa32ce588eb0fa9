import { useEffect } from 'react';
import { HelpOverlay } from './app/help-overlay';
import { useGlobalShortcuts } from './app/global-shortcuts';
import { QuickSwitcher } from './app/quick-switcher';
import { type PageName, useParsedRoute } from './app/router';
import { installShortcuts } from './app/shortcuts';
import { Sidebar } from './app/sidebar';
import { StatusStrip } from './app/status-strip';
import { useShell } from './app/ui-store';
import { Toaster } from './components';
import { ComposePage } from './features/compose/ComposePage';
import { DeliveriesPage } from './features/deliveries/DeliveriesPage';
import { EndpointsPage } from './features/endpoints/EndpointsPage';
import { InboxPage } from './features/inbox/InboxPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { usePushInvalidation } from './lib/query';
import './app/app.css';

const titles: Record<PageName, string> = {
  endpoints: 'Endpoints',
  compose: 'Compose',
  deliveries: 'Deliveries',
  inbox: 'Inbox',
  settings: 'Settings',
};

function Page({ page }: { page: PageName }) {
  switch (page) {
    case 'compose':
      return <ComposePage />;
    case 'deliveries':
      return <DeliveriesPage />;
    case 'inbox':
      return <InboxPage />;
    case 'settings':
      return <SettingsPage />;
    default:
      return <EndpointsPage />;
  }
}

/** The shell: sidebar, the current page, the status strip, and the global overlays. */
export function App() {
  const route = useParsedRoute();
  const overlay = useShell((s) => s.overlay);
  usePushInvalidation();
  useEffect(() => installShortcuts(), []);
  useGlobalShortcuts();
  useEffect(() => {
    document.title = `${titles[route.page]} · Hookbench`;
  }, [route.page]);
  return (
    <div className="app">
      <Sidebar current={route.page} />
      <main className="main" id="main" aria-label={titles[route.page]}>
        <Page page={route.page} />
      </main>
      <StatusStrip />
      {overlay === 'switcher' ? <QuickSwitcher /> : null}
      {overlay === 'help' ? <HelpOverlay /> : null}
      <Toaster />
    </div>
  );
}
