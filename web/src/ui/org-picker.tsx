import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Organization } from '../api/types.js';
import { vocabLabel } from './vocab.js';

interface OrgPickerProps {
  legend: string;
  hint?: string;
  organizations: readonly Organization[];
  value: readonly string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
  /** Organizations that are always selected and cannot be removed (the user's own). */
  locked?: readonly string[];
  filterLabel: string;
}

/** Picks organizations from the directory: a filter box over a scrollable list of checkboxes. */
export function OrgPicker({
  legend,
  hint,
  organizations,
  value,
  onChange,
  error,
  locked = [],
  filterLabel,
}: OrgPickerProps) {
  const { t } = useTranslation();
  const id = useId();
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return organizations.filter(
      (o) => !f || o.name.toLowerCase().includes(f) || (o.shortName ?? '').toLowerCase().includes(f),
    );
  }, [organizations, filter]);
  const selected = organizations.filter((o) => value.includes(o.id));
  return (
    <fieldset className={`field org-picker${error ? ' field--invalid' : ''}`}>
      <legend>
        {legend}
        {value.length > 0 && (
          <span className="checkbox-group__count">{t('common.selected', { n: value.length })}</span>
        )}
      </legend>
      {hint && <p className="field__hint">{hint}</p>}
      {selected.length > 0 && (
        <ul className="tags" aria-label={legend}>
          {selected.map((o) => (
            <li key={o.id}>
              <span className="tag">{o.name}</span>
            </li>
          ))}
        </ul>
      )}
      <label htmlFor={`${id}-filter`} className="visually-hidden">
        {filterLabel}
      </label>
      <input
        id={`${id}-filter`}
        type="search"
        placeholder={filterLabel}
        value={filter}
        onChange={(e) => setFilter(e.target.value)}
      />
      <div className="org-picker__list">
        {shown.map((o) => {
          const isLocked = locked.includes(o.id);
          return (
            <label key={o.id} className="checkbox">
              <input
                type="checkbox"
                checked={value.includes(o.id) || isLocked}
                disabled={isLocked}
                onChange={(e) =>
                  onChange(e.target.checked ? [...value, o.id] : value.filter((v) => v !== o.id))
                }
              />
              <span>
                {o.name} <span className="muted small">· {vocabLabel('orgKind', o.kind)}</span>
              </span>
            </label>
          );
        })}
      </div>
      {error && <p className="field__error">{error}</p>}
    </fieldset>
  );
}
