import { useTranslation } from 'react-i18next';
import { get } from '../../api/client.js';
import type { RecordVersion } from '../../api/types.js';
import { formatDateTime } from '../../ui/format.js';
import { EmptyState, ErrorState, Spinner } from '../../ui/states.js';
import { useApi } from '../../ui/use-api.js';
import { tLoose, type VocabGroup, vocabLabel } from '../../ui/vocab.js';

/** Fields whose values are vocabulary codes, shown with their translated labels. */
const VOCAB_FIELDS: Record<string, VocabGroup> = {
  crimeAreas: 'crimeArea',
  purposes: 'purpose',
  dataCategory: 'dataCategory',
  subjectCategory: 'subjectCategory',
  status: 'recordStatus',
  'evaluation.scheme': 'scheme',
};
const DATE_FIELDS = new Set(['expiresAt', 'reviewAt', 'retractedAt', 'createdAt', 'updatedAt']);

/** A change's value for display: vocabulary codes translated, timestamps formatted. */
function displayValue(field: string, value: unknown): string {
  const group = VOCAB_FIELDS[field];
  if (group && typeof value === 'string') return vocabLabel(group, value);
  if (group && Array.isArray(value))
    return value.length ? value.map((v) => vocabLabel(group, String(v))).join(', ') : '—';
  if (DATE_FIELDS.has(field) && typeof value === 'string') return formatDateTime(value);
  return changeValue(value);
}

/** A JSON value of a change as short text: lists joined, empty as a dash. */
export function changeValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map((v) => changeValue(v)).join(', ') : '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** The record's versions, newest first, each with its changes as before → after, actor and time. */
export function RecordHistoryPanel({
  recordId,
  propLabel,
}: {
  recordId: string;
  propLabel: (name: string) => string;
}) {
  const { t } = useTranslation();
  const history = useApi(`history-${recordId}`, (signal) =>
    get<{ items: RecordVersion[] }>(`/records/${encodeURIComponent(recordId)}/history`, undefined, signal),
  );
  if (history.error) return <ErrorState error={history.error} onRetry={history.reload} />;
  if (!history.data) return <Spinner block />;
  const items = [...history.data.items].sort((a, b) => b.version - a.version);
  if (items.length === 0) return <EmptyState>{t('recordHistory.none')}</EmptyState>;

  const fieldLabel = (field: string) => {
    if (field.startsWith('properties.')) return propLabel(field.slice('properties.'.length));
    return tLoose(`recordHistory.field.${field.replace(/\./g, '_')}`, { defaultValue: field });
  };

  return (
    <ol className="vtimeline history" data-testid="record-history">
      {items.map((v) => (
        <li key={v.version} className="vtimeline__item">
          <span className="vtimeline__dot" aria-hidden="true" />
          <div>
            <p className="vtimeline__title">
              <strong>{t('common.version', { n: v.version })}</strong> ·{' '}
              {tLoose(`recordHistory.action.${v.action}`, { defaultValue: v.action })}
            </p>
            <p className="muted small">
              {formatDateTime(v.at)} ·{' '}
              {[v.actor.user?.displayName, v.actor.organization?.name].filter(Boolean).join(', ') ||
                t('recordHistory.system')}
            </p>
            {v.changes.length > 0 && (
              <table className="table table--plain table--dense history__changes">
                <caption className="visually-hidden">
                  {t('recordHistory.changesOf', { n: v.version })}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('recordHistory.fieldHeader')}</th>
                    <th scope="col">{t('recordHistory.before')}</th>
                    <th scope="col">{t('recordHistory.after')}</th>
                  </tr>
                </thead>
                <tbody>
                  {v.changes.map((c) => (
                    <tr key={c.field}>
                      <th scope="row">{fieldLabel(c.field)}</th>
                      <td className="history__before" dir="auto">
                        {displayValue(c.field, c.before)}
                      </td>
                      <td className="history__after" dir="auto">
                        <span aria-hidden="true" className="history__arrow">
                          →{' '}
                        </span>
                        {displayValue(c.field, c.after)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </li>
      ))}
    </ol>
  );
}
