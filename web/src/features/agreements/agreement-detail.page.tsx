import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { AGREEMENT_STATUSES, type AgreementStatus } from '../../../../src/domain/vocabulary.js';
import { get, post } from '../../api/client.js';
import type { Agreement, AgreementHistoryEntry, ReviewTrigger } from '../../api/types.js';
import { useMe } from '../../auth/session.js';
import { Breadcrumbs } from '../../ui/breadcrumbs.js';
import { AgreementStatusChip, TlpChip, VocabTags } from '../../ui/chips.js';
import { FormDialog, ReasonDialog } from '../../ui/dialog.js';
import { formatDate, formatDateTime, formatNumber, fromDateInput, toDateInput } from '../../ui/format.js';
import { IconCheck } from '../../ui/icons.js';
import { NotFoundPanel } from '../../ui/not-found-panel.js';
import { ErrorState, Spinner } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useApi } from '../../ui/use-api.js';
import { tLoose, vocabLabel } from '../../ui/vocab.js';
import { AgreementTimeline } from './agreement-timeline.js';

/** A review trigger in words: "Every 12 months". */
export function triggerText(trigger: ReviewTrigger): string {
  switch (trigger.kind) {
    case 'periodic':
      return tLoose('agreements.trigger.periodic', { n: trigger.months });
    case 'volume':
      return tLoose('agreements.trigger.volume', { n: formatNumber(trigger.records) });
    case 'incident':
      return tLoose('agreements.trigger.incident');
    case 'sunset':
      return tLoose('agreements.trigger.sunset', { n: trigger.days });
  }
}

type Dialog =
  | { kind: 'sign' }
  | { kind: 'transition'; to: AgreementStatus }
  | { kind: 'incident' }
  | { kind: 'propose' }
  | { kind: 'decline'; extensionId: string }
  | null;

/** One agreement: status, validity timeline, scope, ceiling, parties, incidents, extensions, history. */
export function AgreementDetailPage() {
  const { t } = useTranslation();
  const toast = useToast();
  const me = useMe();
  const { id = '' } = useParams();
  const {
    data: agreement,
    error,
    loading,
    reload,
    setData,
  } = useApi(id, (signal) => get<Agreement>(`/agreements/${encodeURIComponent(id)}`, undefined, signal));
  const history = useApi(agreement ? `${id}-${agreement.version}-${agreement.updatedAt}` : null, (signal) =>
    get<{ items: AgreementHistoryEntry[] }>(
      `/agreements/${encodeURIComponent(id)}/history`,
      undefined,
      signal,
    ),
  );
  const [dialog, setDialog] = useState<Dialog>(null);

  if (error?.status === 404 || error?.status === 400)
    return (
      <NotFoundPanel title={t('errors.notFoundTitle')} text={t('agreements.notFound')} back="/agreements" />
    );
  if (error) return <ErrorState error={error} onRetry={reload} />;
  if (loading || !agreement) return <Spinner block />;

  const a = agreement;
  const can = (p: string) => a.permissions.includes(p);
  const transitions = AGREEMENT_STATUSES.filter((s) => can(`transition:${s}`));
  const pending = a.extensions.find((e) => e.status === 'pending');
  const done = async (promise: Promise<Agreement>, message: string) => {
    setData(await promise);
    toast(message);
  };
  const myOrg =
    a.parties.find((p) => p.organization.id === me.organization.id)?.organization.name ??
    me.organization.name;

  return (
    <div className="page">
      <Breadcrumbs trail={[{ to: '/agreements', label: t('agreements.title') }]} />
      <header className="page__header">
        <div>
          <p className="eyebrow" dir="ltr">
            {a.reference}
          </p>
          <h1>{a.title}</h1>
          <p className="header-meta">
            <AgreementStatusChip status={a.status} />
            <span>{vocabLabel('agreementKind', a.kind)}</span>
            <span className={`flow ${a.flowing ? 'flow--on' : 'flow--off'}`}>
              {a.flowing ? t('agreements.flowing') : t('agreements.notFlowing')}
            </span>
          </p>
        </div>
        <div className="button-row" role="group" aria-label={t('common.actions')}>
          {can('edit') && (
            <Link to={`/agreements/${a.id}/edit`} className="btn">
              {t('common.edit')}
            </Link>
          )}
          {can('sign') && (
            <button type="button" className="btn btn--primary" onClick={() => setDialog({ kind: 'sign' })}>
              {t('agreements.sign')}
            </button>
          )}
          {transitions.map((to) => (
            <button
              key={to}
              type="button"
              className={`btn${to === 'suspended' || to === 'terminated' ? ' btn--danger' : ''}`}
              onClick={() => setDialog({ kind: 'transition', to })}
            >
              {t(`agreements.transitionTo.${to}`)}
            </button>
          ))}
          {can('report_incident') && (
            <button type="button" className="btn btn--danger" onClick={() => setDialog({ kind: 'incident' })}>
              {t('agreements.reportIncident')}
            </button>
          )}
          {can('propose_extension') && (
            <button type="button" className="btn" onClick={() => setDialog({ kind: 'propose' })}>
              {t('agreements.proposeExtension')}
            </button>
          )}
        </div>
      </header>

      {a.description && <p className="lead">{a.description}</p>}

      <section className="card" aria-labelledby="validity-title">
        <h2 id="validity-title">{t('agreements.validity')}</h2>
        <AgreementTimeline agreement={a} />
        {a.pilot && (
          <p>
            <strong>{t('agreements.successCriteria')}:</strong> {a.pilot.successCriteria}
          </p>
        )}
      </section>

      <div className="grid-2">
        <section className="card" aria-labelledby="scope-title">
          <h2 id="scope-title">{t('agreements.scope')}</h2>
          <h3>{t('agreements.crimeAreas')}</h3>
          <VocabTags group="crimeArea" codes={a.scope.crimeAreas} />
          <h3>{t('agreements.dataCategories')}</h3>
          <VocabTags group="dataCategory" codes={a.scope.dataCategories} />
          <h3>{t('agreements.purposes')}</h3>
          <VocabTags group="purpose" codes={a.scope.purposes} />
        </section>
        <section className="card" aria-labelledby="ceiling-title">
          <h2 id="ceiling-title">{t('agreements.ceiling')}</h2>
          <dl className="facts">
            <dt>{t('agreements.ceilingTlp')}</dt>
            <dd>
              <TlpChip label={a.ceiling.tlp} />
            </dd>
            <dt>{t('agreements.h2Allowed')}</dt>
            <dd>{a.ceiling.h2Allowed ? t('common.yes') : t('common.no')}</dd>
            <dt>{t('agreements.onwardTransfer')}</dt>
            <dd>{a.ceiling.onwardTransfer ? t('common.yes') : t('common.no')}</dd>
            <dt>{t('agreements.matchingAllowed')}</dt>
            <dd>{a.matchingAllowed ? t('common.yes') : t('common.no')}</dd>
            <dt>{t('agreements.maxRetentionDays')}</dt>
            <dd>{a.maxRetentionDays === null ? t('common.notSet') : formatNumber(a.maxRetentionDays)}</dd>
          </dl>
        </section>
      </div>

      <div className="grid-2">
        <section className="card" aria-labelledby="parties-title">
          <h2 id="parties-title">{t('agreements.parties')}</h2>
          <ul className="parties">
            {a.parties.map((p) => (
              <li key={p.organization.id} className={p.signedAt ? 'party party--signed' : 'party'}>
                <span className="party__icon" aria-hidden="true">
                  {p.signedAt ? <IconCheck /> : '…'}
                </span>
                <span>
                  <Link to={`/organizations/${p.organization.id}`}>{p.organization.name}</Link>
                  <br />
                  <span className="muted small">
                    {p.signedAt
                      ? p.signedBy
                        ? t('agreements.signedBy', {
                            date: formatDate(p.signedAt),
                            name: p.signedBy.displayName,
                          })
                        : t('agreements.signedOn', { date: formatDate(p.signedAt) })
                      : t('agreements.awaitingSignature')}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="triggers-title">
          <h2 id="triggers-title">{t('agreements.reviewTriggers')}</h2>
          {a.reviewTriggers.length === 0 ? (
            <p className="muted">{t('agreements.noTriggers')}</p>
          ) : (
            <ul className="bullets">
              {a.reviewTriggers.map((r) => (
                <li key={r.kind}>{triggerText(r)}</li>
              ))}
            </ul>
          )}
          <dl className="facts">
            <dt>{t('agreements.lastReviewedAt')}</dt>
            <dd>{formatDate(a.lastReviewedAt)}</dd>
            <dt>{t('agreements.exchangedSinceReview')}</dt>
            <dd>{formatNumber(a.exchangedSinceReview)}</dd>
          </dl>
        </section>
      </div>

      <div className="grid-2">
        <section className="card" aria-labelledby="incidents-title">
          <h2 id="incidents-title">{t('agreements.incidents')}</h2>
          {a.incidents.length === 0 ? (
            <p className="muted">{t('agreements.noIncidents')}</p>
          ) : (
            <ul className="entries">
              {a.incidents.map((i) => (
                <li key={i.id} className="entry">
                  <p className="muted small">
                    {t('agreements.reportedBy', {
                      date: formatDateTime(i.reportedAt),
                      org: i.reportedBy.organization.name,
                    })}
                    {' · '}
                    {i.resolvedAt
                      ? t('agreements.resolvedOn', { date: formatDate(i.resolvedAt) })
                      : t('agreements.unresolved')}
                  </p>
                  <p>{i.description}</p>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="ext-title">
          <h2 id="ext-title">{t('agreements.extensions')}</h2>
          {a.extensions.length === 0 ? (
            <p className="muted">{t('agreements.noExtensions')}</p>
          ) : (
            <ul className="entries">
              {a.extensions.map((e) => (
                <li key={e.id} className="entry">
                  <p>
                    <strong>{t('agreements.extensionTo', { date: formatDate(e.newSunsetAt) })}</strong>{' '}
                    <span className="chip chip--neutral">{vocabLabel('extensionStatus', e.status)}</span>
                  </p>
                  <p className="muted small">
                    {t('agreements.proposedBy', {
                      org: e.proposedBy.organization.name,
                      date: formatDate(e.createdAt),
                    })}
                  </p>
                  <p>{e.reason}</p>
                  <ul className="consents">
                    {e.consents.map((c) => (
                      <li key={c.organization.id} className="consent consent--yes">
                        <IconCheck /> {c.organization.name}{' '}
                        <span className="muted small">({formatDate(c.consentedAt)})</span>
                      </li>
                    ))}
                    {e.status === 'pending' &&
                      e.awaiting.map((o) => (
                        <li key={o.id} className="consent consent--wait">
                          <span aria-hidden="true">…</span> {o.name}{' '}
                          <span className="muted small">({t('agreements.awaiting')})</span>
                        </li>
                      ))}
                  </ul>
                  {e.status === 'pending' && e.id === pending?.id && (
                    <div className="button-row">
                      {can('consent_extension') && (
                        <button
                          type="button"
                          className="btn btn--primary"
                          onClick={() =>
                            void done(
                              post<Agreement>(`/agreements/${a.id}/extensions/${e.id}/consent`),
                              t('agreements.consented'),
                            ).catch((err: Error) => toast(err.message, 'error'))
                          }
                        >
                          {t('agreements.consent')}
                        </button>
                      )}
                      {can('decline_extension') && (
                        <button
                          type="button"
                          className="btn btn--danger"
                          onClick={() => setDialog({ kind: 'decline', extensionId: e.id })}
                        >
                          {t('agreements.decline')}
                        </button>
                      )}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>

      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">{t('agreements.history')}</h2>
        <History entries={history.data?.items} loading={history.loading} />
      </section>

      <FormDialog
        open={dialog?.kind === 'sign'}
        title={t('agreements.sign')}
        intro={t('agreements.signConfirm', { title: a.title, org: myOrg })}
        submitLabel={t('agreements.sign')}
        onClose={() => setDialog(null)}
        onSubmit={() => done(post<Agreement>(`/agreements/${a.id}/sign`), t('agreements.signed'))}
      />
      <ReasonDialog
        open={dialog?.kind === 'transition'}
        title={
          dialog?.kind === 'transition'
            ? t('agreements.transitionTitle', { status: vocabLabel('agreementStatus', dialog.to) })
            : ''
        }
        intro={t('agreements.transitionIntro')}
        submitLabel={t('common.confirm')}
        danger={dialog?.kind === 'transition' && (dialog.to === 'suspended' || dialog.to === 'terminated')}
        onClose={() => setDialog(null)}
        onSubmit={async (reason) => {
          if (dialog?.kind !== 'transition') return;
          const to = dialog.to;
          await done(
            post<Agreement>(`/agreements/${a.id}/transition`, { to, reason, version: a.version }),
            t('agreements.transitioned', { status: vocabLabel('agreementStatus', to) }),
          );
        }}
      />
      <ReasonDialog
        open={dialog?.kind === 'incident'}
        title={t('agreements.reportIncident')}
        intro={t('agreements.incidentIntro')}
        label={t('agreements.incidentDescription')}
        submitLabel={t('agreements.reportIncident')}
        danger
        onClose={() => setDialog(null)}
        onSubmit={(description) =>
          done(
            post<Agreement>(`/agreements/${a.id}/incidents`, { description }),
            t('agreements.incidentReported'),
          )
        }
      />
      <FormDialog
        open={dialog?.kind === 'propose'}
        title={t('agreements.proposeExtension')}
        intro={t('agreements.extensionIntro')}
        submitLabel={t('agreements.proposeExtension')}
        onClose={() => setDialog(null)}
        onSubmit={async (form) => {
          const newSunsetAt = fromDateInput(String(form.get('newSunsetAt') ?? ''));
          const reason = String(form.get('reason') ?? '').trim();
          await done(
            post<Agreement>(`/agreements/${a.id}/extensions`, { newSunsetAt, reason }),
            t('agreements.extensionProposed'),
          );
        }}
      >
        <div className="field">
          <label htmlFor="ext-date">{t('agreements.newSunsetAt')}</label>
          <input id="ext-date" name="newSunsetAt" type="date" required min={toDateInput(a.sunsetAt)} />
        </div>
        <div className="field">
          <label htmlFor="ext-reason">{t('common.reason')}</label>
          <textarea id="ext-reason" name="reason" rows={3} required />
        </div>
      </FormDialog>
      <ReasonDialog
        open={dialog?.kind === 'decline'}
        title={t('agreements.declineTitle')}
        submitLabel={t('agreements.decline')}
        danger
        required={false}
        onClose={() => setDialog(null)}
        onSubmit={async (reason) => {
          if (dialog?.kind !== 'decline') return;
          await done(
            post<Agreement>(
              `/agreements/${a.id}/extensions/${dialog.extensionId}/decline`,
              reason ? { reason } : {},
            ),
            t('agreements.declined'),
          );
        }}
      />
    </div>
  );
}

function historyActionLabel(action: string): string {
  return tLoose(`agreements.historyAction.${action}`, { defaultValue: action.replace(/_/g, ' ') });
}

/** The agreement's history as a vertical timeline, newest first. */
function History({ entries, loading }: { entries: AgreementHistoryEntry[] | undefined; loading: boolean }) {
  const { t } = useTranslation();
  if (loading && !entries) return <Spinner />;
  if (!entries || entries.length === 0) return <p className="muted">{t('agreements.noHistory')}</p>;
  const newestFirst = [...entries].reverse();
  return (
    <ol className="vtimeline">
      {newestFirst.map((e) => {
        const reason = typeof e.details.reason === 'string' ? e.details.reason : null;
        const who = e.actor.user
          ? t('agreements.historyBy', {
              user: e.actor.user.displayName,
              org: e.actor.organization?.name ?? '—',
            })
          : (e.actor.organization?.name ?? t('agreements.system'));
        return (
          <li key={e.id} className="vtimeline__item">
            <span className="vtimeline__dot" aria-hidden="true" />
            <div>
              <p className="vtimeline__title">
                <strong>{historyActionLabel(e.action)}</strong>
                {e.fromStatus && e.toStatus && e.fromStatus !== e.toStatus && (
                  <span className="muted">
                    {' '}
                    {vocabLabel('agreementStatus', e.fromStatus)} →{' '}
                    {vocabLabel('agreementStatus', e.toStatus)}
                  </span>
                )}
              </p>
              <p className="muted small">
                <time dateTime={e.at}>{formatDateTime(e.at)}</time> · {who}
              </p>
              {reason && <p className="vtimeline__reason">“{reason}”</p>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
