import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../../api/client.js';
import type { AuditEntry, AuditVerification } from '../../api/types.js';
import { Dialog } from '../../ui/dialog.js';
import { DateFilter, FilterBar, SelectFilter, TextFilter, vocabFilterOptions } from '../../ui/filters.js';
import { formatDateTime, formatNumber, fromDateInput } from '../../ui/format.js';
import { DataTable, ListView } from '../../ui/list-view.js';
import { PageHeader } from '../../ui/page-header.js';
import { useListPage } from '../../ui/use-list-page.js';
import { vocabLabel } from '../../ui/vocab.js';

const LIMIT = 50;
const OUTCOMES = ['allow', 'deny', 'success', 'failure'] as const;
type AuditFilter = 'action' | 'objectType' | 'objectId' | 'outcome' | 'from' | 'to';
const OUTCOME_TONES: Record<string, string> = { allow: 'ok', success: 'ok', deny: 'bad', failure: 'bad' };

/** The audit log for auditors: filters, paging, an entry drawer and the chain verification. */
export function AuditPage() {
  const { t } = useTranslation();
  const { list, state, paging } = useListPage<AuditEntry, AuditFilter>(
    '/audit',
    ['action', 'objectType', 'objectId', 'outcome', 'from', 'to'],
    LIMIT,
    // The API takes timestamps; the day inputs give the start of `from` and the end of `to`.
    (values) => ({
      from: fromDateInput(values.from),
      to: values.to ? `${values.to}T23:59:59.999Z` : undefined,
    }),
  );
  const [open, setOpen] = useState<AuditEntry | null>(null);
  const [verification, setVerification] = useState<AuditVerification | ApiError | null>(null);
  const [verifying, setVerifying] = useState(false);

  async function verify() {
    setVerifying(true);
    setVerification(null);
    try {
      setVerification(await get<AuditVerification>('/audit/verify'));
    } catch (err) {
      setVerification(err instanceof ApiError ? err : new ApiError(0, {}));
    } finally {
      setVerifying(false);
    }
  }

  return (
    <div className="page">
      <PageHeader
        title={t('audit.title')}
        intro={t('audit.intro')}
        actions={
          <button
            type="button"
            className="btn btn--primary"
            onClick={() => void verify()}
            disabled={verifying}
          >
            {verifying ? t('audit.verifying') : t('audit.verify')}
          </button>
        }
      />
      {verification && (
        <div
          className={`notice ${verification instanceof ApiError || !verification.ok ? 'notice--bad' : 'notice--ok'}`}
          role="status"
        >
          {verification instanceof ApiError ? (
            <p>{verification.message}</p>
          ) : verification.ok ? (
            <p>
              <strong>{t('audit.chainOk', { n: formatNumber(verification.checked) })}</strong>
            </p>
          ) : (
            <p>
              <strong>
                {t('audit.chainBroken', {
                  seq: verification.broken?.seq ?? '?',
                  reason: verification.broken?.reason ?? '',
                })}
              </strong>
            </p>
          )}
          {!(verification instanceof ApiError) && (
            <p className="small">
              {t('audit.headHash')}: <code className="hash">{verification.headHash}</code>
            </p>
          )}
        </div>
      )}
      <FilterBar active={list.active} onClear={list.clear}>
        <TextFilter
          label={t('audit.action')}
          placeholder={t('audit.actionPlaceholder')}
          value={list.values.action}
          onChange={(v) => list.set('action', v)}
        />
        <TextFilter
          label={t('audit.objectType')}
          value={list.values.objectType}
          onChange={(v) => list.set('objectType', v)}
        />
        <TextFilter
          label={t('audit.objectId')}
          value={list.values.objectId}
          onChange={(v) => list.set('objectId', v)}
        />
        <SelectFilter
          label={t('audit.outcome')}
          value={list.values.outcome}
          options={vocabFilterOptions('outcome', OUTCOMES)}
          onChange={(v) => list.set('outcome', v)}
        />
        <DateFilter label={t('audit.from')} value={list.values.from} onChange={(v) => list.set('from', v)} />
        <DateFilter label={t('audit.to')} value={list.values.to} onChange={(v) => list.set('to', v)} />
      </FilterBar>
      <ListView state={state} empty={t('audit.empty')} skeleton={{ columns: 6 }} paging={paging}>
        {(data) => (
          <DataTable
            busy={state.loading}
            className="table table--dense"
            columns={[
              t('audit.time'),
              t('audit.actor'),
              t('audit.action'),
              t('audit.object'),
              t('audit.basis'),
              t('audit.outcome'),
            ]}
          >
            {data.items.map((e) => (
              <tr key={e.seq}>
                <td className="nowrap">
                  <button
                    type="button"
                    className="btn btn--link"
                    onClick={() => setOpen(e)}
                    aria-label={t('audit.open', { seq: e.seq })}
                  >
                    {formatDateTime(e.at)}
                  </button>
                </td>
                <td className="small">
                  <span dir="ltr">{e.actor.email ?? e.actor.userId ?? '—'}</span>
                  {e.actor.orgName && <div className="muted">{e.actor.orgName}</div>}
                </td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td className="small" dir="ltr">
                  {e.objectType ? `${e.objectType} ${e.objectId?.slice(0, 8) ?? ''}` : '—'}
                </td>
                <td className="small">{e.basis ? vocabLabel('accessBasis', e.basis) : '—'}</td>
                <td>
                  <span className={`chip chip--${OUTCOME_TONES[e.outcome] ?? 'neutral'}`}>
                    {vocabLabel('outcome', e.outcome)}
                  </span>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </ListView>
      <Dialog
        open={open !== null}
        title={open ? t('audit.entry', { seq: open.seq }) : ''}
        onClose={() => setOpen(null)}
        variant="drawer"
      >
        {open && (
          <div className="stack">
            <dl className="facts">
              <dt>{t('audit.time')}</dt>
              <dd>{formatDateTime(open.at)}</dd>
              <dt>{t('audit.actor')}</dt>
              <dd dir="ltr">
                {open.actor.email ?? open.actor.userId ?? '—'}{' '}
                {open.actor.orgName ? `(${open.actor.orgName})` : ''}
              </dd>
              <dt>{t('audit.action')}</dt>
              <dd>
                <code>{open.action}</code>
              </dd>
              <dt>{t('audit.object')}</dt>
              <dd dir="ltr">
                {open.objectType ?? '—'} {open.objectId ?? ''}
              </dd>
              <dt>{t('audit.owner')}</dt>
              <dd dir="ltr">{open.ownerOrgId ?? '—'}</dd>
              <dt>{t('audit.basis')}</dt>
              <dd>
                {open.basis ? vocabLabel('accessBasis', open.basis) : '—'}{' '}
                {open.basisRef ? <code>{open.basisRef}</code> : null}
              </dd>
              <dt>{t('audit.outcome')}</dt>
              <dd>{vocabLabel('outcome', open.outcome)}</dd>
            </dl>
            <h3>{t('audit.detailsJson')}</h3>
            <pre className="json" dir="ltr">
              {JSON.stringify(open.details, null, 2)}
            </pre>
            <h3>{t('audit.hash')}</h3>
            <code className="hash" dir="ltr">
              {open.hash}
            </code>
          </div>
        )}
      </Dialog>
    </div>
  );
}
