import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { get, post } from '../../api/client.js';
import type { HitState, IntelRecord, MatchHit } from '../../api/types.js';
import { useMe } from '../../auth/session.js';
import { Breadcrumbs } from '../../ui/breadcrumbs.js';
import { formatDateTime } from '../../ui/format.js';
import { NotFoundPanel } from '../../ui/not-found-panel.js';
import { ErrorState, Spinner } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useApi } from '../../ui/use-api.js';
import { tLoose, vocabLabel } from '../../ui/vocab.js';
import { TlpBanner } from '../records/record-detail.page.js';
import { loadSchemata } from '../records/records-data.js';
import { DisclosureRequestForm } from './disclosure-request.js';
import { announceMatchChange, formatRelative, matchAbilities, useNow } from './matching-data.js';
import {
  CapNote,
  Deadline,
  DisclosureStatusChip,
  FeatureChips,
  HitStateChip,
  OrgLink,
  PropertiesTable,
  RecordRefLink,
  Reference,
  ScoreBar,
} from './matching-ui.js';

/**
 * One hit: its reference to quote, the score and the kinds of feature that matched, the caller's
 * own record in full (with its label), who holds the other record, and the disclosure request.
 * Opening a new hit marks it seen.
 */
export function HitDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const me = useMe();
  const toast = useToast();
  const now = useNow();
  const hit = useApi(`hit-${id}`, (signal) =>
    get<MatchHit>(`/match/hits/${encodeURIComponent(id)}`, undefined, signal),
  );
  const recordId = hit.data?.record.id ?? null;
  const record = useApi(recordId, (signal) =>
    get<IntelRecord>(`/records/${encodeURIComponent(recordId ?? '')}`, undefined, signal),
  );
  const schemata = useApi('schemata', () => loadSchemata());
  const [busy, setBusy] = useState(false);
  const marked = useRef<string | null>(null);

  const { data, setData } = hit;
  // Opening a new hit is reading it: mark it seen once, so the inbox count goes down.
  useEffect(() => {
    if (data?.state !== 'new' || marked.current === data.id) return;
    marked.current = data.id;
    post<MatchHit>(`/match/hits/${encodeURIComponent(data.id)}/state`, { state: 'seen' }).then(
      (updated) => {
        setData(updated);
        announceMatchChange();
      },
      () => {
        // Left new: the inbox still shows it unread, which is true.
      },
    );
  }, [data, setData]);

  async function setState(state: HitState, message: string) {
    if (!data) return;
    setBusy(true);
    try {
      const updated = await post<MatchHit>(`/match/hits/${encodeURIComponent(data.id)}/state`, { state });
      setData(updated);
      announceMatchChange();
      toast(message);
    } catch {
      toast(t('common.unknownError'), 'error');
    } finally {
      setBusy(false);
    }
  }

  if (hit.error?.status === 404 || hit.error?.status === 400)
    return (
      <NotFoundPanel
        title={t('matching.hit.notFound')}
        text={t('matching.hit.notFoundText')}
        back="/matching/hits"
      />
    );
  if (hit.error) return <ErrorState error={hit.error} onRetry={hit.reload} />;
  if (!data) return <Spinner block />;

  const schema = schemata.data?.find((s) => s.name === data.record.schema);
  const propLabel = (name: string) => schema?.properties.find((p) => p.name === name)?.label ?? name;
  const abilities = matchAbilities(me);
  const open = data.status === 'open';
  const disclosure = data.disclosure;
  const canRequest =
    open &&
    abilities.act &&
    (!disclosure || ['declined', 'withdrawn', 'revoked'].includes(disclosure.status));

  return (
    <div className="page page--record" data-testid="hit-detail">
      <TlpBanner label={data.record.tlp} />
      <Breadcrumbs trail={[{ to: '/matching/hits', label: t('matching.hits.title') }]} />
      <header className="page__header">
        <div className="stack stack--tight">
          <p className="eyebrow">{t('matching.hit.eyebrow')}</p>
          <h1 className="match-title">
            <Reference value={data.reference} large />
          </h1>
          <p className="header-meta">
            {open ? (
              <HitStateChip state={data.state} />
            ) : (
              <span className="chip chip--muted">
                {t('matching.hitStatus.closed')}
                {data.closedReason &&
                  ` · ${tLoose(`matching.closedReason.${data.closedReason}`, { defaultValue: data.closedReason })}`}
              </span>
            )}
            <span className="muted small" title={formatDateTime(data.createdAt)}>
              {t('matching.hit.found', { when: formatRelative(data.createdAt, now) })}
            </span>
          </p>
          <p className="muted small">{t('matching.hit.quote')}</p>
        </div>
        <div className="button-row" role="group" aria-label={t('common.actions')}>
          {data.state === 'dismissed' ? (
            <button
              type="button"
              className="btn"
              disabled={busy}
              onClick={() => void setState('seen', t('matching.hit.restored'))}
            >
              {t('matching.hit.restore')}
            </button>
          ) : (
            <>
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => void setState('new', t('matching.hit.markedUnread'))}
              >
                {t('matching.hit.markUnread')}
              </button>
              <button
                type="button"
                className="btn"
                disabled={busy}
                onClick={() => void setState('dismissed', t('matching.hit.dismissed'))}
              >
                {t('matching.hit.dismiss')}
              </button>
            </>
          )}
        </div>
      </header>

      <div className="match-split">
        <div className="stack">
          <section className="card" aria-labelledby="match-title">
            <h2 id="match-title">{t('matching.hit.matchTitle')}</h2>
            <ScoreBar score={data.score} large />
            <h3>{t('matching.hit.matchedOn')}</h3>
            <FeatureChips features={data.features} />
            <CapNote count={data.cappedKeys} />
            <p className="muted small match-note">{t('matching.hit.noContent')}</p>
          </section>
          <section className="card" aria-labelledby="own-title">
            <div className="section-header">
              <h2 id="own-title">{t('matching.hits.yourRecord')}</h2>
              <RecordRefLink record={data.record} schemaLabel={schema?.label ?? data.record.schema} />
            </div>
            {record.error ? (
              <ErrorState error={record.error} onRetry={record.reload} />
            ) : record.data ? (
              <PropertiesTable
                record={record.data}
                propLabel={propLabel}
                caption={t('matching.hits.yourRecord')}
              />
            ) : (
              <Spinner block />
            )}
          </section>
        </div>
        <div className="stack">
          <section className="card" aria-labelledby="other-title">
            <h2 id="other-title">{t('matching.otherOrganization')}</h2>
            <p className="match-org">
              <OrgLink org={data.otherOrganization} />{' '}
              <span className="chip chip--neutral">{vocabLabel('orgKind', data.otherOrganization.kind)}</span>
            </p>
            <p>{t('matching.hit.otherHolds', { org: data.otherOrganization.name })}</p>
            <h3>{t('matching.disclosureLabel')}</h3>
            {disclosure && (
              <div className="match-disclosure-summary" data-testid="hit-disclosure">
                <p className="header-meta">
                  <Link to={`/matching/disclosures/${disclosure.id}`} className="match-ref__code" dir="ltr">
                    {disclosure.reference}
                  </Link>
                  <DisclosureStatusChip status={disclosure.status} overdue={disclosure.overdue} />
                  {disclosure.status === 'pending' && (
                    <Deadline deadlineAt={disclosure.deadlineAt} now={now} />
                  )}
                </p>
                <Link to={`/matching/disclosures/${disclosure.id}`} className="btn">
                  {disclosure.status === 'disclosed'
                    ? t('matching.hit.openSideBySide')
                    : t('matching.hit.openRequest')}
                </Link>
              </div>
            )}
            {canRequest && (
              <DisclosureRequestForm source={{ hitId: data.id }} ownerName={data.otherOrganization.name} />
            )}
            {!disclosure && !canRequest && (
              <p className="muted">
                {open ? t('matching.hit.cannotRequest') : t('matching.hit.closedNoRequest')}
              </p>
            )}
          </section>
        </div>
      </div>
    </div>
  );
}
