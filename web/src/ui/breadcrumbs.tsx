import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** One step back up the hierarchy. */
export interface Crumb {
  to: string;
  label: string;
}

/**
 * The labelled trail of links above a page's heading, from the list down to the parent of the
 * current page (the page itself is the `<h1>`). Falsy steps are left out, for steps that only
 * exist sometimes (the object being edited).
 */
export function Breadcrumbs({ trail }: { trail: readonly (Crumb | null | undefined | false)[] }) {
  const { t } = useTranslation();
  const steps = trail.filter((c): c is Crumb => Boolean(c));
  return (
    <nav className="breadcrumbs" aria-label={t('a11y.breadcrumb')}>
      {steps.map((c, i) => (
        <Fragment key={c.to}>
          {i > 0 && ' / '}
          <Link to={c.to}>{c.label}</Link>
        </Fragment>
      ))}
    </nav>
  );
}
