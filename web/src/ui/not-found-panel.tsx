import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

/** "Not found" inside the shell, for an object the user cannot see (the API answers 404 alike). */
export function NotFoundPanel({ title, text, back }: { title: string; text: string; back: string }) {
  const { t } = useTranslation();
  return (
    <div className="page page--center" data-testid="not-found">
      <p className="big-code" aria-hidden="true">
        404
      </p>
      <h1>{title}</h1>
      <p>{text}</p>
      <Link to={back} className="btn">
        {t('common.back')}
      </Link>
    </div>
  );
}
