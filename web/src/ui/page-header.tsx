import type { ReactNode } from 'react';

interface PageHeaderProps {
  title: ReactNode;
  intro?: ReactNode;
  /** The page's primary action (a link or button), shown at the end of the header. */
  actions?: ReactNode;
}

/** A page's one `<h1>` with its intro line and primary action, laid out the same on every page. */
export function PageHeader({ title, intro, actions }: PageHeaderProps) {
  return (
    <header className="page__header">
      <div>
        <h1>{title}</h1>
        {intro && <p className="muted">{intro}</p>}
      </div>
      {actions}
    </header>
  );
}
