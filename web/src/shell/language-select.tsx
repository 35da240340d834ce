import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage, LANGUAGES, setLanguage } from '../i18n/i18n.js';

/** The language switch: each language named in itself; the choice is kept in this browser. */
export function LanguageSelect() {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="language-select">
      <label htmlFor={id}>{t('common.language')}</label>
      <select id={id} value={currentLanguage()} onChange={(e) => void setLanguage(e.target.value)}>
        {LANGUAGES.map((lang) => (
          <option key={lang} value={lang} lang={lang}>
            {t(`languages.${lang}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
