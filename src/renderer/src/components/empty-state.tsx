import type { ReactNode } from 'react';

export interface EmptyStateProps {
  title: string;
  /** one or two sentences: what will be here and how to get it */
  text?: ReactNode;
  /** buttons */
  action?: ReactNode;
  icon?: ReactNode;
}

export function EmptyState({ title, text, action, icon }: EmptyStateProps) {
  return (
    <div className="empty-state">
      {icon ? <div className="empty-state-icon">{icon}</div> : null}
      <h2>{title}</h2>
      {text ? <p>{text}</p> : null}
      {action ? <div className="empty-state-actions">{action}</div> : null}
    </div>
  );
}
