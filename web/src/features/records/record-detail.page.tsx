import { type KeyboardEvent, type ReactNode, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { type ApiError, get, post } from '../../api/client.js';
import type { Agreement, IntelRecord, RecordTombstone } from '../../api/types.js';
import { Breadcrumbs } from '../../ui/breadcrumbs.js';
import { RecordStatusChip, VocabTags } from '../../ui/chips.js';
import { ReasonDialog } from '../../ui/dialog.js';
import { formatDate, formatDateTime } from '../../ui/format.js';
import { NotFoundPanel } from '../../ui/not-found-panel.js';
import { ErrorState, Spinner } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useApi } from '../../ui/use-api.js';
import { evaluationMeaning, handlingMeaning, TLP_COLOURS, tlpMeaning, vocabLabel } from '../../ui/vocab.js';
import { ExportMenu } from './record-export-menu.js';
import { RecordHistoryPanel } from './record-history.js';
import { RecordLinksPanel } from './record-links.js';
import { ConfirmReviewDialog, ExtendRetentionDialog, RetentionNotice } from './record-retention.js';
import { loadSchemata } from './records-data.js';

const TABS = ['details', 'links', 'history'] as const;
type Tab = (typeof TABS)[number];

/** The tombstone of a retracted record, read from a 410 `record_retracted` answer. */
function tombstoneOf(error: ApiError): RecordTombstone {
  const body = error.body as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return { id: text(body.id) ?? '', retractedAt: text(body.retractedAt), reason: text(body.reason) };
}

/** What a reader other than the owner sees of a retracted record: when, why, and no content. */
function TombstonePanel({ tombstone }: { tombstone: RecordTombstone }) {
  const { t } = useTranslation();
  return (
    <div className="page">
      <Breadcrumbs trail={[{ to: '/records', label: t('records.title') }]} />
      <section className="card tombstone" data-testid="tombstone" aria-labelledby="tombstone-title">
        <h1 id="tombstone-title">{t('tombstone.title')}</h1>
        <p>{t('tombstone.text')}</p>
        <dl className="facts">
          <dt>{t('tombstone.retractedAt')}</dt>
          <dd>{formatDateTime(tombstone.retractedAt)}</dd>
          <dt>{t('common.reason')}</dt>
          <dd dir="auto">{tombstone.reason ?? '—'}</dd>
        </dl>
        <Link to="/records" className="btn">
          {t('common.back')}
        </Link>
      </section>
    </div>
  );
}

/** Tabs with the ARIA pattern: arrow keys move between tabs, Home and End jump to the ends. */
function RecordTabs({ tab, onChange }: { tab: Tab; onChange: (tab: Tab) => void }) {
  const { t } = useTranslation();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const labels: Record<Tab, string> = {
    details: t('recordTabs.details'),
    links: t('recordTabs.links'),
    history: t('recordTabs.history'),
  };
  function onKey(event: KeyboardEvent, index: number) {
    const rtl = document.documentElement.dir === 'rtl';
    let next = -1;
    if (event.key === (rtl ? 'ArrowLeft' : 'ArrowRight')) next = (index + 1) % TABS.length;
    if (event.key === (rtl ? 'ArrowRight' : 'ArrowLeft')) next = (index - 1 + TABS.length) % TABS.length;
    if (event.key === 'Home') next = 0;
    if (event.key === 'End') next = TABS.length - 1;
    const target = TABS[next];
    if (next < 0 || !target) return;
    event.preventDefault();
    onChange(target);
    refs.current[next]?.focus();
  }
  return (
    <div className="tabs" role="tablist" aria-label={t('recordTabs.label')}>
      {TABS.map((name, i) => (
        <button
          key={name}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`tab-${name}`}
          aria-selected={tab === name}
          aria-controls={`panel-${name}`}
          tabIndex={tab === name ? 0 : -1}
          className={`tabs__tab${tab === name ? ' tabs__tab--on' : ''}`}
          onClick={() => onChange(name)}
          onKeyDown={(e) => onKey(e, i)}
        >
          {labels[name]}
        </button>
      ))}
    </div>
  );
}

/** The full-width TLP band at the top of a record: the label in its colour on black, and what it means. */
export function TlpBanner({ label }: { label: string }) {
  const colours = TLP_COLOURS[label] ?? { fg: '#FFFFFF', bg: '#000000' };
  return (
    <div className="tlp-banner" style={{ background: colours.bg }} data-tlp={label}>
      <strong className="tlp-banner__label" style={{ color: colours.fg }}>
        {label}
      </strong>
      <span className="tlp-banner__text">{tlpMeaning(label)}</span>
    </div>
  );
}

function AccessBasis({ record }: { record: IntelRecord }) {
  const { t } = useTranslation();
  const { basis, ref } = record.access;
  const agreement = useApi(basis === 'agreement' && ref ? `agr-${ref}` : null, (signal) =>
    get<Agreement>(`/agreements/${encodeURIComponent(ref ?? '')}`, undefined, signal),
  );
  let reason: ReactNode;
  switch (basis) {
    case 'agreement':
      reason = ref ? (
        <>
          <Trans
            i18nKey="records.access.agreement"
            // The link carries its own text: react-i18next drops interpolations inside named tags.
            components={{
              link: <Link to={`/agreements/${ref}`}>{agreement.data?.reference ?? ref.slice(0, 8)}</Link>,
            }}
          />
          {agreement.data && <span className="muted"> ({agreement.data.title})</span>}
        </>
      ) : (
        t('records.access.agreementNoRef')
      );
      break;
    case 'owner':
    case 'named_recipient':
    case 'tlp_clear':
    case 'team':
    case 'disclosure':
      reason = t(`records.access.${basis}`);
      break;
    default:
      reason = basis;
  }
  return (
    <section className="card access-card" aria-labelledby="access-title">
      <h2 id="access-title">{t('records.accessTitle')}</h2>
      <p data-testid="access-basis">
        {t('records.accessIntro')} <strong>{reason}</strong>
      </p>
    </section>
  );
}

/** One record: TLP banner, handling, evaluation, why the reader sees it, properties and dates. */
export function RecordDetailPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const { id = '' } = useParams();
  const {
    data: record,
    error,
    loading,
    reload,
    setData,
  } = useApi(id, (signal) => get<IntelRecord>(`/records/${encodeURIComponent(id)}`, undefined, signal));
  const schemata = useApi('schemata', () => loadSchemata());
  const [retracting, setRetracting] = useState(false);
  const [extending, setExtending] = useState(false);
  const [reviewing, setReviewing] = useState(false);
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'details';
  const setTab = (next: Tab) => {
    const p = new URLSearchParams(params);
    if (next === 'details') p.delete('tab');
    else p.set('tab', next);
    setParams(p, { replace: true });
  };

  if (error?.status === 410) return <TombstonePanel tombstone={tombstoneOf(error)} />;
  // Unreadable and unknown records answer 404 alike (no existence leak); a malformed id answers 400.
  if (error?.status === 404 || error?.status === 400)
    return <NotFoundPanel title={t('records.notFound')} text={t('records.notFoundDetail')} back="/records" />;
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (loading || !record) return <Spinner block />;

  const schema = schemata.data?.find((s) => s.name === record.schema);
  const propLabel = (name: string) => schema?.properties.find((p) => p.name === name)?.label ?? name;
  const properties = Object.entries(record.properties).filter(([, values]) => values.length > 0);
  const can = (p: string) => record.permissions.includes(p);
  // Retention is the owner's: the API lists `extend` and `review` only for the owning organization.
  const active = record.status === 'active';

  return (
    <div className="page page--record">
      <TlpBanner label={record.handling.tlp} />
      <Breadcrumbs trail={[{ to: '/records', label: t('records.title') }]} />
      <header className="page__header">
        <div>
          <p className="eyebrow">{schema?.label ?? record.schema}</p>
          <h1>{record.caption || record.id}</h1>
          <p className="muted">
            {t('records.owner')}: <strong>{record.owner.name}</strong> ·{' '}
            <RecordStatusChip status={record.status} />
          </p>
        </div>
        <div className="button-row">
          <ExportMenu recordId={record.id} />
          {active && can('review') && (
            <button type="button" className="btn" onClick={() => setReviewing(true)}>
              {t('retention.confirmReview')}
            </button>
          )}
          {active && can('extend') && (
            <button type="button" className="btn" onClick={() => setExtending(true)}>
              {t('retention.extend')}
            </button>
          )}
          {can('update') && record.status === 'active' && (
            <Link to={`/records/${record.id}/edit`} className="btn">
              {t('common.edit')}
            </Link>
          )}
          {can('retract') && record.status === 'active' && (
            <button type="button" className="btn btn--danger" onClick={() => setRetracting(true)}>
              {t('records.retract')}
            </button>
          )}
        </div>
      </header>
      {record.status === 'retracted' && (
        <p className="notice notice--bad" role="status">
          {t('records.retractedBanner', { reason: record.retractedReason ?? '—' })}
        </p>
      )}
      <RetentionNotice record={record} />
      <RecordTabs tab={tab} onChange={setTab} />
      {tab === 'links' && (
        <section className="card" role="tabpanel" id="panel-links" aria-labelledby="tab-links">
          <RecordLinksPanel
            recordId={record.id}
            schemaLabel={(s) => schemata.data?.find((x) => x.name === s)?.label ?? s}
          />
        </section>
      )}
      {tab === 'history' && (
        <section className="card" role="tabpanel" id="panel-history" aria-labelledby="tab-history">
          <RecordHistoryPanel recordId={record.id} propLabel={propLabel} />
        </section>
      )}
      {tab === 'details' && (
        <div role="tabpanel" id="panel-details" aria-labelledby="tab-details" className="stack">
          <AccessBasis record={record} />
          <div className="grid-2">
            <section className="card" aria-labelledby="handling-title">
              <h2 id="handling-title">{t('records.handling')}</h2>
              {record.handling.codes.length === 0 ? (
                <p className="muted">{t('records.noCodes')}</p>
              ) : (
                <dl className="codes">
                  {record.handling.codes.map((code) => (
                    <div key={code} className="codes__item">
                      <dt>
                        <span className="code-badge">{code}</span>
                      </dt>
                      <dd>
                        {handlingMeaning(code)}
                        {code === 'H3' && record.handling.h3Text && (
                          <blockquote className="h3-text">{record.handling.h3Text}</blockquote>
                        )}
                      </dd>
                    </div>
                  ))}
                </dl>
              )}
            </section>
            <section className="card" aria-labelledby="evaluation-title">
              <h2 id="evaluation-title">{t('records.evaluation')}</h2>
              <p className="grade">
                <span className="grade__code" dir="ltr">
                  {record.evaluation.source}
                  {record.evaluation.information}
                </span>
                <span>{evaluationMeaning(record.evaluation)}</span>
              </p>
              <p className="muted small">
                {t('records.scheme')}: {vocabLabel('scheme', record.evaluation.scheme)}
              </p>
            </section>
          </div>
          <section className="card" aria-labelledby="props-title">
            <h2 id="props-title">{t('records.properties')}</h2>
            {properties.length === 0 ? (
              <p className="muted">{t('records.noProperties')}</p>
            ) : (
              <table className="table table--plain">
                <thead>
                  <tr>
                    <th scope="col">{t('records.property')}</th>
                    <th scope="col">{t('records.values')}</th>
                  </tr>
                </thead>
                <tbody>
                  {properties.map(([name, values]) => (
                    <tr key={name}>
                      <th scope="row">{propLabel(name)}</th>
                      <td>
                        <ul className="values">
                          {values.map((v, i) => (
                            // biome-ignore lint/suspicious/noArrayIndexKey: values may repeat.
                            <li key={i} dir="auto">
                              {v}
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <div className="grid-2">
            <section className="card">
              <h2>{t('records.crimeAreas')}</h2>
              <VocabTags group="crimeArea" codes={record.crimeAreas} />
              <h2>{t('records.purposes')}</h2>
              <VocabTags group="purpose" codes={record.purposes} />
            </section>
            <section className="card">
              <dl className="facts">
                <dt>{t('records.dataCategory')}</dt>
                <dd>{vocabLabel('dataCategory', record.dataCategory)}</dd>
                {record.subjectCategory && (
                  <>
                    <dt>{t('records.subjectCategory')}</dt>
                    <dd>{vocabLabel('subjectCategory', record.subjectCategory)}</dd>
                  </>
                )}
                <dt>{t('records.createdAt')}</dt>
                <dd>{formatDateTime(record.createdAt)}</dd>
                <dt>{t('records.updated')}</dt>
                <dd>{formatDateTime(record.updatedAt)}</dd>
                <dt>{t('records.reviewAt')}</dt>
                <dd>{formatDate(record.reviewAt)}</dd>
                <dt>{t('records.expiresAt')}</dt>
                <dd>{formatDate(record.expiresAt)}</dd>
                {record.recipients.length > 0 && (
                  <>
                    <dt>{t('records.recipients')}</dt>
                    <dd>{record.recipients.map((o) => o.name).join(', ')}</dd>
                  </>
                )}
              </dl>
            </section>
          </div>
        </div>
      )}
      <ExtendRetentionDialog
        record={record}
        open={extending}
        onClose={() => setExtending(false)}
        onDone={() => {
          reload();
          setExtending(false);
          toast(t('retention.extended'));
        }}
      />
      <ConfirmReviewDialog
        record={record}
        open={reviewing}
        onClose={() => setReviewing(false)}
        onDone={() => {
          reload();
          setReviewing(false);
          toast(t('retention.reviewed'));
        }}
      />
      <ReasonDialog
        open={retracting}
        title={t('records.retractTitle')}
        intro={t('records.retractIntro')}
        submitLabel={t('records.retract')}
        danger
        onClose={() => setRetracting(false)}
        onSubmit={async (reason) => {
          const updated = await post<IntelRecord>(`/records/${record.id}/retract`, { reason });
          setData(updated);
          toast(t('records.retracted'));
        }}
      />
    </div>
  );
}
