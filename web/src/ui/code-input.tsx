import { useTranslation } from 'react-i18next';

interface CodeInputProps {
  /** The input's id; its form posts the value as `code`. */
  id: string;
  /** Focus the field on mount: only where it is the single field of the step. */
  autoFocus?: boolean;
}

/** The labelled six-digit one-time-code field (authenticator app), with the numeric keyboard on phones. */
export function CodeInput({ id, autoFocus = false }: CodeInputProps) {
  const { t } = useTranslation();
  return (
    <div className="field">
      <label htmlFor={id}>{t('auth.code')}</label>
      <input
        id={id}
        name="code"
        className="input--code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]{6}"
        maxLength={6}
        required
        // biome-ignore lint/a11y/noAutofocus: callers ask for it only where the code is the step's only field.
        autoFocus={autoFocus}
      />
    </div>
  );
}
