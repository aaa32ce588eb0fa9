import { useRoute } from '../lib/query';
import { LogoIcon, pageIcons, SearchIcon } from './icons';
import { type PageName, pages } from './router';
import { comboLabel } from './shortcuts';
import { useShell } from './ui-store';

function Keys({ combo }: { combo: string }) {
  return (
    <span className="nav-keys" aria-hidden="true">
      {comboLabel(combo)
        .flat()
        .map((k) => (
          <kbd key={k} className="kbd">
            {k}
          </kbd>
        ))}
    </span>
  );
}

/** Navigation; Endpoints carries a warning dot while any endpoint is disabled. */
export function Sidebar({ current }: { current: PageName }) {
  const open = useShell((s) => s.open);
  const status = useRoute('system.status', {}, { refetchInterval: 5_000 });
  const disabled = status.data?.endpoints.disabled ?? 0;
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        {LogoIcon}
        <span>Hookbench</span>
      </div>
      <button type="button" className="nav-search" onClick={() => open('switcher')}>
        {SearchIcon}
        <span>Search…</span>
        <Keys combo="mod+k" />
      </button>
      {pages.map((p) => (
        <a
          key={p.name}
          className="nav-item"
          href={`#${p.path}`}
          aria-current={p.name === current ? 'page' : undefined}
          title={`${p.label} (g ${p.key})`}
        >
          {pageIcons[p.name]}
          <span className="nav-label">{p.label}</span>
          {p.name === 'endpoints' && disabled > 0 ? (
            <span className="nav-dot" role="img" aria-label={`${disabled} disabled`} />
          ) : null}
        </a>
      ))}
      <span className="spacer" />
      <button type="button" className="nav-item nav-help" onClick={() => open('help')}>
        <span className="nav-label">Keyboard shortcuts</span>
        <Keys combo="?" />
      </button>
    </nav>
  );
}
