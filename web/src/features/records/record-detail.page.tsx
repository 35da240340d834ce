import { type ReactNode, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { get, post } from '../../api/client.js';
import type { Agreement, IntelRecord } from '../../api/types.js';
import { Breadcrumbs } from '../../ui/breadcrumbs.js';
import { RecordStatusChip, VocabTags } from '../../ui/chips.js';
import { ReasonDialog } from '../../ui/dialog.js';
import { formatDate, formatDateTime } from '../../ui/format.js';
import { NotFoundPanel } from '../../ui/not-found-panel.js';
import { ErrorState, Spinner } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useApi } from '../../ui/use-api.js';
import { evaluationMeaning, handlingMeaning, TLP_COLOURS, tlpMeaning, vocabLabel } from '../../ui/vocab.js';
import { loadSchemata } from './records-data.js';

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

  // Unreadable and unknown records answer 404 alike (no existence leak); a malformed id answers 400.
  if (error?.status === 404 || error?.status === 400)
    return <NotFoundPanel title={t('records.notFound')} text={t('records.notFoundDetail')} back="/records" />;
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (loading || !record) return <Spinner block />;

  const schema = schemata.data?.find((s) => s.name === record.schema);
  const propLabel = (name: string) => schema?.properties.find((p) => p.name === name)?.label ?? name;
  const properties = Object.entries(record.properties).filter(([, values]) => values.length > 0);
  const can = (p: string) => record.permissions.includes(p);

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
