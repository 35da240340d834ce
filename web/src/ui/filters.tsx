import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { type VocabGroup, vocabLabel } from './vocab.js';

/** One choice of a select filter. */
export interface FilterOption {
  value: string;
  label: string;
}

/** A vocabulary's codes as filter options, labelled in the current language. */
export function vocabFilterOptions(group: VocabGroup, codes: readonly string[]): FilterOption[] {
  return codes.map((code) => ({ value: code, label: vocabLabel(group, code) }));
}

/** Codes that are their own label (TLP labels, for instance) as filter options. */
export function plainFilterOptions(codes: readonly string[]): FilterOption[] {
  return codes.map((code) => ({ value: code, label: code }));
}

interface FilterBarProps {
  /** Whether any filter is set; only then is "Clear filters" offered. */
  active: boolean;
  onClear: () => void;
  children: ReactNode;
}

/** The labelled region above a list that holds its filters and the "Clear filters" button. */
export function FilterBar({ active, onClear, children }: FilterBarProps) {
  const { t } = useTranslation();
  return (
    <section className="filters" aria-label={t('common.filters')}>
      {children}
      {active && (
        <button type="button" className="btn btn--link" onClick={onClear}>
          {t('common.clearFilters')}
        </button>
      )}
    </section>
  );
}

interface SelectFilterProps {
  label: string;
  value: string;
  options: readonly FilterOption[];
  onChange: (value: string) => void;
}

/** A labelled `<select>` whose first choice, "All", clears the filter (the empty value). */
export function SelectFilter({ label, value, options, onChange }: SelectFilterProps) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('common.all')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

interface TextFilterProps {
  label: string;
  value: string;
  placeholder?: string;
  onChange: (value: string) => void;
}

/**
 * A labelled free-text filter (codes and identifiers, so left-to-right) that reports its trimmed
 * value on blur or Enter, not on every key, so typing does not refetch.
 */
export function TextFilter({ label, value, placeholder, onChange }: TextFilterProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        dir="ltr"
        placeholder={placeholder}
        defaultValue={value}
        onBlur={(e) => onChange(e.target.value.trim())}
        onKeyDown={(e) => e.key === 'Enter' && onChange(e.currentTarget.value.trim())}
      />
    </div>
  );
}

interface DateFilterProps {
  label: string;
  /** A day as `YYYY-MM-DD`, or empty. */
  value: string;
  onChange: (value: string) => void;
}

/** A labelled day picker filter. */
export function DateFilter({ label, value, onChange }: DateFilterProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="date" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
