import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get } from '../../api/client.js';
import type { AuditEntry, AuditVerification, Paged } from '../../api/types.js';
import { Dialog } from '../../ui/dialog.js';
import { formatDateTime, formatNumber, fromDateInput } from '../../ui/format.js';
import { useListParams } from '../../ui/list-params.js';
import { Pagination } from '../../ui/pagination.js';
import { EmptyState, ErrorState, SkeletonRows } from '../../ui/states.js';
import { useApi } from '../../ui/use-api.js';
import { vocabLabel } from '../../ui/vocab.js';

const LIMIT = 50;
const OUTCOMES = ['allow', 'deny', 'success', 'failure'] as const;
const OUTCOME_TONES: Record<string, string> = { allow: 'ok', success: 'ok', deny: 'bad', failure: 'bad' };

/** The audit log for auditors: filters, paging, an entry drawer and the chain verification. */
export function AuditPage() {
  const { t } = useTranslation();
  const list = useListParams(['action', 'objectType', 'objectId', 'outcome', 'from', 'to'] as const);
  const query = {
    ...list.values,
    // The API takes timestamps; the day inputs give the start of `from` and the end of `to`.
    from: fromDateInput(list.values.from),
    to: list.values.to ? `${list.values.to}T23:59:59.999Z` : undefined,
    limit: LIMIT,
    offset: list.offset,
  };
  const { data, error, loading, reload } = useApi(list.key, (signal) =>
    get<Paged<AuditEntry>>('/audit', query, signal),
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
      <header className="page__header">
        <div>
          <h1>{t('audit.title')}</h1>
          <p className="muted">{t('audit.intro')}</p>
        </div>
        <button type="button" className="btn btn--primary" onClick={() => void verify()} disabled={verifying}>
          {verifying ? t('audit.verifying') : t('audit.verify')}
        </button>
      </header>
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
      <section className="filters" aria-label={t('common.filters')}>
        <div className="field">
          <label htmlFor="a-action">{t('audit.action')}</label>
          <input
            id="a-action"
            dir="ltr"
            placeholder={t('audit.actionPlaceholder')}
            defaultValue={list.values.action}
            onBlur={(e) => list.set('action', e.target.value.trim())}
            onKeyDown={(e) => e.key === 'Enter' && list.set('action', e.currentTarget.value.trim())}
          />
        </div>
        <div className="field">
          <label htmlFor="a-type">{t('audit.objectType')}</label>
          <input
            id="a-type"
            dir="ltr"
            defaultValue={list.values.objectType}
            onBlur={(e) => list.set('objectType', e.target.value.trim())}
            onKeyDown={(e) => e.key === 'Enter' && list.set('objectType', e.currentTarget.value.trim())}
          />
        </div>
        <div className="field">
          <label htmlFor="a-id">{t('audit.objectId')}</label>
          <input
            id="a-id"
            dir="ltr"
            defaultValue={list.values.objectId}
            onBlur={(e) => list.set('objectId', e.target.value.trim())}
            onKeyDown={(e) => e.key === 'Enter' && list.set('objectId', e.currentTarget.value.trim())}
          />
        </div>
        <div className="field">
          <label htmlFor="a-outcome">{t('audit.outcome')}</label>
          <select
            id="a-outcome"
            value={list.values.outcome}
            onChange={(e) => list.set('outcome', e.target.value)}
          >
            <option value="">{t('common.all')}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {vocabLabel('outcome', o)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="a-from">{t('audit.from')}</label>
          <input
            id="a-from"
            type="date"
            value={list.values.from}
            onChange={(e) => list.set('from', e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor="a-to">{t('audit.to')}</label>
          <input
            id="a-to"
            type="date"
            value={list.values.to}
            onChange={(e) => list.set('to', e.target.value)}
          />
        </div>
        {list.active && (
          <button type="button" className="btn btn--link" onClick={list.clear}>
            {t('common.clearFilters')}
          </button>
        )}
      </section>
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : loading && !data ? (
        <SkeletonRows columns={6} />
      ) : data && data.items.length === 0 ? (
        <EmptyState>{t('audit.empty')}</EmptyState>
      ) : data ? (
        <>
          <div className="table-wrap" aria-busy={loading}>
            <table className="table table--dense">
              <thead>
                <tr>
                  <th scope="col">{t('audit.time')}</th>
                  <th scope="col">{t('audit.actor')}</th>
                  <th scope="col">{t('audit.action')}</th>
                  <th scope="col">{t('audit.object')}</th>
                  <th scope="col">{t('audit.basis')}</th>
                  <th scope="col">{t('audit.outcome')}</th>
                </tr>
              </thead>
              <tbody>
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
              </tbody>
            </table>
          </div>
          <Pagination total={data.total} limit={LIMIT} offset={list.offset} onChange={list.setOffset} />
        </>
      ) : null}
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
