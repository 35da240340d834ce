import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../api/client.js';
import { type VocabGroup, vocabLabel } from './vocab.js';

interface FieldProps {
  label: string;
  hint?: string;
  error?: string | undefined;
  required?: boolean;
  /** Renders the control with the ids that tie it to its label, hint and error. */
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** A labelled form control with an optional hint and the server's error for the field. */
export function Field({ label, hint, error, required, children }: FieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span className="field__required"> ({t('common.required')})</span>}
      </label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

interface CheckboxGroupProps {
  legend: string;
  options: readonly string[];
  value: readonly string[];
  onChange: (next: string[]) => void;
  /** Translated labels from a vocabulary group, or a function. */
  labels: VocabGroup | ((code: string) => string);
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  columns?: boolean;
}

/** A multi-select as a group of checkboxes: every option visible, keyboard and screen-reader friendly. */
export function CheckboxGroup({
  legend,
  options,
  value,
  onChange,
  labels,
  error,
  hint,
  required,
  columns = true,
}: CheckboxGroupProps) {
  const { t } = useTranslation();
  const id = useId();
  const label = typeof labels === 'function' ? labels : (code: string) => vocabLabel(labels, code);
  const toggle = (code: string, checked: boolean) =>
    onChange(checked ? [...value, code] : value.filter((v) => v !== code));
  return (
    <fieldset
      className={`field checkbox-group${error ? ' field--invalid' : ''}`}
      aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}
    >
      <legend>
        {legend}
        {required && <span className="field__required"> ({t('common.required')})</span>}
        {value.length > 0 && (
          <span className="checkbox-group__count">{t('common.selected', { n: value.length })}</span>
        )}
      </legend>
      {hint && (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <div className={columns ? 'checkbox-grid' : 'stack stack--tight'}>
        {options.map((code) => (
          <label key={code} className="checkbox">
            <input
              type="checkbox"
              checked={value.includes(code)}
              onChange={(e) => toggle(code, e.target.checked)}
            />
            <span>{label(code)}</span>
          </label>
        ))}
      </div>
      {error && (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}

interface DateFieldProps {
  label: string;
  /** A day as `YYYY-MM-DD`, or empty. */
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  required?: boolean;
}

/** A labelled day picker, tied to the server's error for the field. */
export function DateField({ label, value, onChange, error, required }: DateFieldProps) {
  return (
    <Field label={label} error={error} required={required}>
      {({ id, describedBy }) => (
        <input
          id={id}
          type="date"
          required={required}
          aria-describedby={describedBy}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}

interface CheckboxProps {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
}

/** One labelled checkbox; the whole label is the click target. */
export function Checkbox({ label, checked, onChange, disabled }: CheckboxProps) {
  return (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={checked}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked)}
      />
      <span>{label}</span>
    </label>
  );
}

/** Options of a vocabulary for a `<select>`, with an optional "All" first. */
export function VocabOptions({
  group,
  codes,
  all,
}: {
  group: VocabGroup;
  codes: readonly string[];
  all?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <>
      {all && <option value="">{t('common.all')}</option>}
      {codes.map((c) => (
        <option key={c} value={c}>
          {vocabLabel(group, c)}
        </option>
      ))}
    </>
  );
}

/** The error banner at the top of a form: the problem's title and detail, plus unmapped field errors. */
export function FormErrorSummary({ error, mapped }: { error: ApiError | null; mapped?: readonly string[] }) {
  if (!error) return null;
  const clean = (f: string) =>
    f
      .replace(/^body\./, '')
      .replace(/^\/+/, '')
      .replace(/\//g, '.');
  const unmapped = error.errors.filter((e) => !(mapped ?? []).some((m) => clean(e.field).startsWith(m)));
  return (
    <div className="form-error" role="alert" tabIndex={-1}>
      <p className="state__title">{error.title}</p>
      {error.detail && error.errors.length === 0 && <p>{error.detail}</p>}
      {unmapped.length > 0 && (
        <ul>
          {unmapped.map((e) => (
            <li key={`${e.field}-${e.rule}`}>
              <code>{clean(e.field)}</code>: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Holds a form's last ApiError and hands out the message for a field. */
export function useFormErrors() {
  const [error, setError] = useState<ApiError | null>(null);
  return {
    error,
    setError,
    field: (name: string): string | undefined => error?.fieldError(name),
  };
}

/**
 * A dialog form's submit: collects the form's fields, marks it busy and clears the last error, runs
 * `action`, and on failure shows the problem (field errors included) and frees the form again. On
 * success the form stays busy: the caller closes it.
 */
export function useFormSubmit(action: (form: FormData) => Promise<void>) {
  const errors = useFormErrors();
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    errors.setError(null);
    try {
      await action(form);
    } catch (err) {
      errors.setError(err instanceof ApiError ? err : new ApiError(0, {}));
      setBusy(false);
    }
  }
  return { ...errors, busy, submit };
}

interface FormActionsProps {
  /** The submit button's text; while busy it reads "Saving…" and is disabled. */
  submitLabel: string;
  busy: boolean;
  /** Disables submitting while the form cannot be valid (nothing chosen yet, for instance). */
  disabled?: boolean;
  /** Cancel: an address to go back to (a link), or a handler (a button, in dialogs). */
  cancel: string | (() => void);
}

/** The end-aligned Cancel and submit buttons that close every form. */
export function FormActions({ submitLabel, busy, disabled = false, cancel }: FormActionsProps) {
  const { t } = useTranslation();
  return (
    <div className="button-row button-row--end">
      {typeof cancel === 'string' ? (
        <Link to={cancel} className="btn">
          {t('common.cancel')}
        </Link>
      ) : (
        <button type="button" className="btn" onClick={cancel}>
          {t('common.cancel')}
        </button>
      )}
      <button type="submit" className="btn btn--primary" disabled={busy || disabled}>
        {busy ? t('common.saving') : submitLabel}
      </button>
    </div>
  );
}
