import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** Any address the application does not know. */
export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="page page--center">
      <p className="big-code" aria-hidden="true">
        404
      </p>
      <h1>{t('errors.notFoundTitle')}</h1>
      <p>{t('errors.notFoundText')}</p>
      <Link to="/" className="btn btn--primary">
        {t('errors.goHome')}
      </Link>
    </div>
  );
}

/** A page the user's roles do not allow. */
export function ForbiddenPage() {
  const { t } = useTranslation();
  return (
    <div className="page page--center">
      <p className="big-code" aria-hidden="true">
        403
      </p>
      <h1>{t('errors.forbiddenTitle')}</h1>
      <p>{t('errors.forbiddenText')}</p>
      <Link to="/" className="btn btn--primary">
        {t('errors.goHome')}
      </Link>
    </div>
  );
}
