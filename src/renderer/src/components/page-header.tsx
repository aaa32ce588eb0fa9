import type { ReactNode } from 'react';

export interface PageHeaderProps {
  title: ReactNode;
  /** small text after the title (counts, a breadcrumb) */
  subtitle?: ReactNode;
  /** buttons on the right */
  actions?: ReactNode;
}

/** The header row every page starts with. */
export function PageHeader({ title, subtitle, actions }: PageHeaderProps) {
  return (
    <header className="page-header">
      <h1>{title}</h1>
      {subtitle ? <span className="muted page-subtitle">{subtitle}</span> : null}
      <span className="spacer" />
      {actions ? <div className="row">{actions}</div> : null}
    </header>
  );
}
