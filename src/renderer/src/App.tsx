import { lazy, Suspense, useEffect } from 'react';
import { useDisabledToast } from './app/disabled-toast';
import { useGlobalShortcuts } from './app/global-shortcuts';
import { HelpOverlay } from './app/help-overlay';
import { QuickSwitcher } from './app/quick-switcher';
import { type PageName, useParsedRoute } from './app/router';
import { installShortcuts } from './app/shortcuts';
import { Sidebar } from './app/sidebar';
import { StatusStrip } from './app/status-strip';
import { useShell } from './app/ui-store';
import { Toaster } from './components';
import { DeliveriesPage } from './features/deliveries/DeliveriesPage';
import { EndpointsPage } from './features/endpoints/EndpointsPage';
import { EventsPage } from './features/events/EventsPage';
import { InboxPage } from './features/inbox/InboxPage';
import { SettingsPage } from './features/settings/SettingsPage';
import { usePushInvalidation } from './lib/query';
import './app/app.css';

// Compose carries CodeMirror, most of the bundle: load it on demand and prefetch it once the shell is idle.
const loadCompose = () => import('./features/compose/ComposePage');
const ComposePage = lazy(() => loadCompose().then((m) => ({ default: m.ComposePage })));

const titles: Record<PageName, string> = {
  endpoints: 'Endpoints',
  compose: 'Compose',
  deliveries: 'Deliveries',
  events: 'Events',
  inbox: 'Inbox',
  settings: 'Settings',
};

function Page({ page }: { page: PageName }) {
  switch (page) {
    case 'compose':
      return (
        <Suspense fallback={<div className="page-body muted">Loading…</div>}>
          <ComposePage />
        </Suspense>
      );
    case 'deliveries':
      return <DeliveriesPage />;
    case 'events':
      return <EventsPage />;
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
  useDisabledToast();
  useEffect(() => installShortcuts(), []);
  useGlobalShortcuts();
  useEffect(() => {
    const t = setTimeout(() => void loadCompose(), 1500);
    return () => clearTimeout(t);
  }, []);
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
