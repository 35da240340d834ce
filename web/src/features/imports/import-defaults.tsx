import { useTranslation } from 'react-i18next';
import {
  CRIME_AREAS,
  type CrimeArea,
  EVALUATION_GRADES,
  EVALUATION_SCHEMES,
  type EvaluationScheme,
  HANDLING_CODES,
  type HandlingCode,
  PURPOSES,
  type Purpose,
  SUBJECT_CATEGORIES,
  type SubjectCategory,
  TLP_LABELS,
  type TlpLabel,
} from '../../../../src/domain/vocabulary.js';
import type { ImportDefaults } from '../../api/types.js';
import { TlpChip } from '../../ui/chips.js';
import { CheckboxGroup, Field, VocabOptions } from '../../ui/form.js';
import { handlingMeaning, tLoose, tlpMeaning } from '../../ui/vocab.js';

/** The defaults an import starts with: the record editor's own. */
export const INITIAL_DEFAULTS: ImportDefaults = {
  tlp: 'TLP:AMBER',
  codes: ['H0'],
  evaluation: { scheme: 'eu4x4', source: 'B', information: '2' },
  purposes: ['criminal_investigation'],
  crimeAreas: [],
};

/** The import's handling and purpose defaults, with the record editor's widgets. */
export function ImportDefaultsForm({
  value,
  onChange,
  errors,
}: {
  value: ImportDefaults;
  onChange: (next: ImportDefaults) => void;
  errors: Record<string, string | undefined>;
}) {
  const { t } = useTranslation();
  const set = <K extends keyof ImportDefaults>(key: K, v: ImportDefaults[K]) =>
    onChange({ ...value, [key]: v });
  const scheme = value.evaluation.scheme;
  const grades = EVALUATION_GRADES[scheme];
  const setEvaluation = (changes: Partial<ImportDefaults['evaluation']>) => {
    const next = { ...value.evaluation, ...changes };
    const g = EVALUATION_GRADES[next.scheme];
    // A scheme change keeps the grades only where the new scheme has them.
    if (!g.source.includes(next.source)) next.source = g.source[0] ?? 'A';
    if (!g.information.includes(next.information)) next.information = g.information[0] ?? '1';
    set('evaluation', next);
  };
  return (
    <div className="stack">
      <p className="muted">{t('imports.defaultsIntro')}</p>
      <fieldset className="field">
        <legend>{t('records.label')}</legend>
        <div className="tlp-options">
          {TLP_LABELS.map((label) => (
            <label key={label} className={`tlp-option${value.tlp === label ? ' tlp-option--on' : ''}`}>
              <input
                type="radio"
                name="import-tlp"
                value={label}
                checked={value.tlp === label}
                onChange={() => set('tlp', label as TlpLabel)}
              />
              <TlpChip label={label} />
              <span className="small">{tlpMeaning(label)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <CheckboxGroup
        legend={t('records.handlingCodes')}
        options={HANDLING_CODES}
        value={value.codes}
        onChange={(v) => set('codes', v as HandlingCode[])}
        labels={(code) => `${code} – ${handlingMeaning(code)}`}
        columns={false}
        error={errors.codes}
      />
      {value.codes.includes('H3') && (
        <Field label={t('records.h3Text')} required error={errors.h3Text}>
          {({ id, describedBy }) => (
            <textarea
              id={id}
              aria-describedby={describedBy}
              rows={3}
              value={value.h3Text ?? ''}
              onChange={(e) => set('h3Text', e.target.value)}
            />
          )}
        </Field>
      )}
      <div className="form-row">
        <Field label={t('records.scheme')}>
          {({ id }) => (
            <select
              id={id}
              value={scheme}
              onChange={(e) => setEvaluation({ scheme: e.target.value as EvaluationScheme })}
            >
              <VocabOptions group="scheme" codes={EVALUATION_SCHEMES} />
            </select>
          )}
        </Field>
        <Field label={t('records.source')}>
          {({ id }) => (
            <select
              id={id}
              value={value.evaluation.source}
              onChange={(e) => setEvaluation({ source: e.target.value })}
            >
              {grades.source.map((g) => (
                <option key={g} value={g}>
                  {g} – {tLoose(`evaluation.${scheme}.source.${g}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('records.information')}>
          {({ id }) => (
            <select
              id={id}
              value={value.evaluation.information}
              onChange={(e) => setEvaluation({ information: e.target.value })}
            >
              {grades.information.map((g) => (
                <option key={g} value={g}>
                  {g} – {tLoose(`evaluation.${scheme}.information.${g}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <CheckboxGroup
        legend={t('records.crimeAreas')}
        options={CRIME_AREAS}
        value={value.crimeAreas}
        onChange={(v) => set('crimeAreas', v as CrimeArea[])}
        labels="crimeArea"
        required
        error={errors.crimeAreas}
      />
      <CheckboxGroup
        legend={t('records.purposes')}
        options={PURPOSES}
        value={value.purposes}
        onChange={(v) => set('purposes', v as Purpose[])}
        labels="purpose"
        required
        error={errors.purposes}
      />
      <Field
        label={t('records.subjectCategory')}
        hint={t('imports.subjectHint')}
        error={errors.subjectCategory}
      >
        {({ id, describedBy }) => (
          <select
            id={id}
            aria-describedby={describedBy}
            value={value.subjectCategory ?? ''}
            onChange={(e) => {
              const v = e.target.value as SubjectCategory | '';
              const { subjectCategory: _old, ...rest } = value;
              onChange(v ? { ...rest, subjectCategory: v } : rest);
            }}
          >
            <option value="">—</option>
            <VocabOptions group="subjectCategory" codes={SUBJECT_CATEGORIES} />
          </select>
        )}
      </Field>
    </div>
  );
}
