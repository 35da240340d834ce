import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError, get, post } from '../../api/client.js';
import type { Disclosure, DisclosureDetail, IntelRecord, SchemaDescription } from '../../api/types.js';
import { Breadcrumbs } from '../../ui/breadcrumbs.js';
import { FormDialog, ReasonDialog } from '../../ui/dialog.js';
import { formatDateTime, formatNumber } from '../../ui/format.js';
import { IconCheck } from '../../ui/icons.js';
import { NotFoundPanel } from '../../ui/not-found-panel.js';
import { ErrorState, Spinner } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useApi } from '../../ui/use-api.js';
import { vocabLabel } from '../../ui/vocab.js';
import { TlpBanner } from '../records/record-detail.page.js';
import { loadSchemata } from '../records/records-data.js';
import { announceMatchChange, comparable, formatRelative, useNow } from './matching-data.js';
import {
  Deadline,
  DisclosureStatusChip,
  Fact,
  FeatureChips,
  OrgLink,
  PropertiesTable,
  Reference,
  ScoreBar,
  ValueList,
} from './matching-ui.js';

type PropLabel = (name: string) => string;

function labelFor(
  schemata: SchemaDescription[] | undefined,
  ...schemaNames: (string | undefined)[]
): PropLabel {
  return (name) => {
    for (const s of schemaNames) {
      const label = schemata?.find((x) => x.name === s)?.properties.find((p) => p.name === name)?.label;
      if (label) return label;
    }
    return name;
  };
}

function nonEmpty(record: IntelRecord): [string, string[]][] {
  return Object.entries(record.properties).filter(([, v]) => v.length > 0);
}

/**
 * One disclosure request. The owner sees the request beside its own record and chooses the
 * properties to disclose (or declines with a reason); the requester sees its own record beside the
 * disclosed one once disclosed, properties aligned by name and equal values marked.
 */
export function DisclosureDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const state = useApi(`disclosure-${id}`, (signal) =>
    get<DisclosureDetail>(`/match/disclosures/${encodeURIComponent(id)}`, undefined, signal),
  );
  const schemata = useApi('schemata', () => loadSchemata());

  if (state.error?.status === 404 || state.error?.status === 400)
    return (
      <NotFoundPanel
        title={t('matching.disclosure.notFound')}
        text={t('matching.disclosure.notFoundText')}
        back="/matching/disclosures"
      />
    );
  if (state.error) return <ErrorState error={state.error} onRetry={state.reload} />;
  if (!state.data) return <Spinner block />;
  const d = state.data;
  return d.box === 'incoming' ? (
    <OwnerView disclosure={d} schemata={schemata.data} reload={state.reload} />
  ) : (
    <RequesterView disclosure={d} schemata={schemata.data} reload={state.reload} />
  );
}

function Header({ d, actions }: { d: Disclosure; actions?: ReactNode }) {
  const { t } = useTranslation();
  const now = useNow();
  return (
    <>
      <Breadcrumbs
        trail={[
          {
            to: d.box === 'incoming' ? '/matching/disclosures' : '/matching/disclosures?box=outgoing',
            label: t('matching.disclosures.title'),
          },
        ]}
      />
      <header className="page__header">
        <div className="stack stack--tight">
          <p className="eyebrow">
            {d.box === 'incoming'
              ? t('matching.disclosure.eyebrowIncoming')
              : t('matching.disclosure.eyebrowOutgoing')}
          </p>
          <h1 className="match-title">
            <Reference value={d.reference} large />
          </h1>
          <p className="header-meta">
            <DisclosureStatusChip status={d.status} overdue={d.overdue} />
            {d.status === 'pending' && <Deadline deadlineAt={d.deadlineAt} now={now} />}
            <span className="muted small" title={formatDateTime(d.createdAt)}>
              {t('matching.disclosure.requestedWhen', { when: formatRelative(d.createdAt, now) })}
            </span>
          </p>
        </div>
        {actions}
      </header>
      <StatusNotice d={d} />
    </>
  );
}

/** What happened to the request, in a sentence, with the reasons given. */
function StatusNotice({ d }: { d: Disclosure }) {
  const { t } = useTranslation();
  const now = useNow();
  const other = d.box === 'incoming' ? d.requesterOrganization.name : d.ownerOrganization.name;
  switch (d.status) {
    case 'pending':
      return (
        <p
          className={`notice ${d.overdue ? 'notice--bad' : 'notice--info'}`}
          role="status"
          data-testid="status-notice"
        >
          {d.box === 'incoming'
            ? d.overdue
              ? t('matching.disclosure.pendingOwnerOverdue')
              : t('matching.disclosure.pendingOwner', { at: formatDateTime(d.deadlineAt) })
            : t('matching.disclosure.pendingRequester', { org: other, at: formatDateTime(d.deadlineAt) })}
        </p>
      );
    case 'disclosed':
      return (
        <p className="notice notice--ok" role="status" data-testid="status-notice">
          {d.properties === null
            ? t('matching.disclosure.disclosedWhole', { when: formatDateTime(d.decidedAt) })
            : t('matching.disclosure.disclosedSome', {
                n: formatNumber(d.properties.length),
                when: formatDateTime(d.decidedAt),
              })}
        </p>
      );
    case 'declined':
      return (
        <div className="notice notice--bad" role="status" data-testid="status-notice">
          <p>{t('matching.disclosure.declinedOn', { when: formatDateTime(d.decidedAt) })}</p>
          {d.decisionReason && (
            <p>
              {t('common.reason')}: <q dir="auto">{d.decisionReason}</q>
            </p>
          )}
        </div>
      );
    case 'revoked':
      return (
        <div className="notice notice--warn" role="status" data-testid="status-notice">
          <p>
            <strong>{t('matching.disclosureStatus.revoked')}</strong> ·{' '}
            {t('matching.disclosure.revokedOn', {
              when: formatDateTime(d.revokedAt),
              ago: formatRelative(d.revokedAt, now),
            })}
          </p>
          {d.revokeReason && (
            <p>
              {t('common.reason')}: <q dir="auto">{d.revokeReason}</q>
            </p>
          )}
        </div>
      );
    case 'withdrawn':
      return (
        <p className="notice notice--info" role="status" data-testid="status-notice">
          {t('matching.disclosure.withdrawnNotice')}
        </p>
      );
  }
}

/** The request as the owner reads it: who asks, why, how strong the match is, by when. */
function RequestFacts({ d }: { d: Disclosure }) {
  const { t } = useTranslation();
  const now = useNow();
  const score = d.hit?.score ?? d.checkScore;
  const features = d.hit?.features ?? d.checkFeatures;
  const incoming = d.box === 'incoming';
  const other = incoming ? d.requesterOrganization : d.ownerOrganization;
  return (
    <dl className="facts match-facts">
      <Fact label={incoming ? t('matching.disclosures.requestedBy') : t('matching.disclosures.askedOf')}>
        <OrgLink org={other} />{' '}
        <span className="chip chip--neutral">{vocabLabel('orgKind', other.kind)}</span>
        {incoming && d.requester && (
          <div className="muted small" dir="auto">
            {d.requester.displayName}
          </div>
        )}
      </Fact>
      <Fact label={t('matching.request.purpose')}>
        <strong>{vocabLabel('purpose', d.purpose)}</strong>
      </Fact>
      <Fact label={t('matching.request.justification')}>
        <blockquote className="match-quote" dir="auto" data-testid="justification">
          {d.justification}
        </blockquote>
      </Fact>
      <Fact label={t('matching.score')}>
        {score !== null && score !== undefined ? <ScoreBar score={score} large /> : '—'}
      </Fact>
      <Fact label={t('matching.features')}>
        <FeatureChips features={features} />
      </Fact>
      <Fact label={t('matching.disclosure.source')}>
        {d.hit ? (
          <Link to={`/matching/hits/${d.hit.id}`} className="match-ref__code" dir="ltr">
            {d.hit.reference}
          </Link>
        ) : (
          t('matching.disclosure.fromCheck')
        )}
      </Fact>
      <Fact label={t('matching.disclosure.requestedAt')}>{formatDateTime(d.createdAt)}</Fact>
      <Fact label={t('matching.disclosures.deadline')}>
        {d.status === 'pending' ? (
          <>
            <Deadline deadlineAt={d.deadlineAt} now={now} />
            <div className="muted small">{formatDateTime(d.deadlineAt)}</div>
          </>
        ) : (
          formatDateTime(d.deadlineAt)
        )}
      </Fact>
    </dl>
  );
}

interface ViewProps {
  disclosure: DisclosureDetail;
  schemata: SchemaDescription[] | undefined;
  reload: () => void;
}

/** The owner's decision: the request on the left, its own record on the right with a checkbox per property. */
function OwnerView({ disclosure: d, schemata, reload }: ViewProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const review = d.review;
  const all = useMemo(() => (review ? nonEmpty(review).map(([n]) => n) : []), [review]);
  const [chosen, setChosen] = useState<string[]>(all);
  useEffect(() => setChosen(all), [all]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [declining, setDeclining] = useState(false);
  const [revoking, setRevoking] = useState(false);
  const propLabel = labelFor(schemata, review?.schema);
  const deciding = d.permissions.decide && d.status === 'pending';

  async function disclose() {
    setBusy(true);
    setError(null);
    try {
      // Everything chosen is the whole record; otherwise only the chosen properties.
      const body =
        chosen.length === all.length
          ? { decision: 'disclose' }
          : { decision: 'disclose', properties: chosen };
      await post<Disclosure>(`/match/disclosures/${encodeURIComponent(d.id)}/decision`, body);
      announceMatchChange();
      toast(t('matching.disclosure.disclosedToast', { org: d.requesterOrganization.name }));
      reload();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, {}));
    } finally {
      setBusy(false);
    }
  }

  const disclosedSet = d.status === 'disclosed' || d.status === 'revoked' ? (d.properties ?? all) : null;

  return (
    <div className="page" data-testid="disclosure-owner">
      <Header
        d={d}
        actions={
          d.permissions.revoke && (
            <button type="button" className="btn btn--danger" onClick={() => setRevoking(true)}>
              {t('matching.disclosure.revoke')}
            </button>
          )
        }
      />
      <div className="match-split">
        <section className="card" aria-labelledby="request-title" data-testid="request-panel">
          <h2 id="request-title">{t('matching.disclosure.requestTitle')}</h2>
          <RequestFacts d={d} />
        </section>
        <section
          className="card match-record-panel"
          aria-labelledby="review-title"
          data-testid="review-panel"
        >
          <h2 id="review-title">{t('matching.disclosure.yourRecord')}</h2>
          {!review ? (
            <p className="muted">{t('matching.disclosure.recordGone')}</p>
          ) : (
            <>
              <TlpBanner label={review.handling.tlp} />
              <p className="match-record-head">
                <Link to={`/records/${review.id}`} className="strong" dir="auto">
                  {review.caption || review.id}
                </Link>
                <span className="muted small">
                  {' '}
                  · {schemata?.find((s) => s.name === review.schema)?.label ?? review.schema}
                </span>
              </p>
              {deciding ? (
                <ChooseProperties
                  record={review}
                  propLabel={propLabel}
                  chosen={chosen}
                  onChange={setChosen}
                  all={all}
                />
              ) : (
                <DecidedProperties record={review} propLabel={propLabel} disclosed={disclosedSet} />
              )}
            </>
          )}
          {deciding && (
            <div className="stack">
              {error && (
                <p className="form-error" role="alert">
                  {[error.title, error.detail].filter(Boolean).join(' — ')}
                </p>
              )}
              <div className="button-row button-row--end">
                <button
                  type="button"
                  className="btn btn--danger"
                  onClick={() => setDeclining(true)}
                  disabled={busy}
                >
                  {t('matching.disclosure.decline')}
                </button>
                <button
                  type="button"
                  className="btn btn--primary"
                  onClick={() => void disclose()}
                  disabled={busy || chosen.length === 0 || !review}
                  data-testid="disclose-button"
                >
                  {busy
                    ? t('common.saving')
                    : chosen.length === all.length
                      ? t('matching.disclosure.discloseAll')
                      : t('matching.disclosure.discloseN', {
                          n: formatNumber(chosen.length),
                          total: formatNumber(all.length),
                        })}
                </button>
              </div>
            </div>
          )}
        </section>
      </div>
      <ReasonDialog
        open={declining}
        title={t('matching.disclosure.declineTitle')}
        intro={t('matching.disclosure.declineIntro', { org: d.requesterOrganization.name })}
        submitLabel={t('matching.disclosure.decline')}
        danger
        onClose={() => setDeclining(false)}
        onSubmit={async (reason) => {
          await post<Disclosure>(`/match/disclosures/${encodeURIComponent(d.id)}/decision`, {
            decision: 'decline',
            reason,
          });
          announceMatchChange();
          toast(t('matching.disclosure.declinedToast'));
          reload();
        }}
      />
      <ReasonDialog
        open={revoking}
        title={t('matching.disclosure.revokeTitle')}
        intro={t('matching.disclosure.revokeIntro', { org: d.requesterOrganization.name })}
        submitLabel={t('matching.disclosure.revoke')}
        danger
        onClose={() => setRevoking(false)}
        onSubmit={async (reason) => {
          await post<Disclosure>(`/match/disclosures/${encodeURIComponent(d.id)}/revoke`, { reason });
          announceMatchChange();
          toast(t('matching.disclosure.revokedToast'));
          reload();
        }}
      />
    </div>
  );
}

interface ChooseProps {
  record: IntelRecord;
  propLabel: PropLabel;
  chosen: string[];
  all: string[];
  onChange: (chosen: string[]) => void;
}

/** The owner's record with a checkbox per property: what is ticked is disclosed. All by default. */
function ChooseProperties({ record, propLabel, chosen, all, onChange }: ChooseProps) {
  const { t } = useTranslation();
  const props = nonEmpty(record);
  return (
    <fieldset className="match-choose" data-testid="choose-properties">
      <legend className="field__label">
        {t('matching.disclosure.chooseLegend')}{' '}
        <span className="checkbox-group__count" aria-live="polite">
          {t('matching.disclosure.chosenCount', {
            n: formatNumber(chosen.length),
            total: formatNumber(all.length),
          })}
        </span>
      </legend>
      <div className="button-row">
        <button
          type="button"
          className="btn btn--small"
          onClick={() => onChange(all)}
          disabled={chosen.length === all.length}
        >
          {t('matching.disclosure.selectAll')}
        </button>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => onChange([])}
          disabled={chosen.length === 0}
        >
          {t('matching.disclosure.selectNone')}
        </button>
      </div>
      <table className="table table--plain table--dense match-choose__table">
        <thead>
          <tr>
            <th scope="col">{t('matching.disclosure.disclose')}</th>
            <th scope="col">{t('records.property')}</th>
            <th scope="col">{t('records.values')}</th>
          </tr>
        </thead>
        <tbody>
          {props.map(([name, values]) => {
            const on = chosen.includes(name);
            const id = `disclose-${name}`;
            return (
              <tr key={name} className={on ? undefined : 'match-withheld'} data-property={name}>
                <td>
                  <input
                    id={id}
                    type="checkbox"
                    checked={on}
                    onChange={(e) =>
                      onChange(
                        e.target.checked
                          ? all.filter((n) => n === name || chosen.includes(n))
                          : chosen.filter((n) => n !== name),
                      )
                    }
                    aria-label={t('matching.disclosure.discloseProperty', { property: propLabel(name) })}
                  />
                </td>
                <th scope="row">
                  <label htmlFor={id}>{propLabel(name)}</label>
                </th>
                <td>
                  <ValueList values={values} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </fieldset>
  );
}

/** After the decision: the owner's record with what was disclosed marked, the rest withheld. */
function DecidedProperties({
  record,
  propLabel,
  disclosed,
}: {
  record: IntelRecord;
  propLabel: PropLabel;
  disclosed: string[] | null;
}) {
  const { t } = useTranslation();
  if (!disclosed) return <PropertiesTable record={record} propLabel={propLabel} />;
  return (
    <table className="table table--plain table--dense">
      <thead>
        <tr>
          <th scope="col">{t('records.property')}</th>
          <th scope="col">{t('records.values')}</th>
          <th scope="col">{t('matching.disclosure.disclosedColumn')}</th>
        </tr>
      </thead>
      <tbody>
        {nonEmpty(record).map(([name, values]) => {
          const on = disclosed.includes(name);
          return (
            <tr key={name} className={on ? undefined : 'match-withheld'}>
              <th scope="row">{propLabel(name)}</th>
              <td>
                <ValueList values={values} />
              </td>
              <td>
                {on ? (
                  <span className="chip chip--ok">{t('matching.disclosure.disclosedMark')}</span>
                ) : (
                  <span className="chip chip--muted">{t('matching.disclosure.withheld')}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The requester's page: the request, and its own record beside the disclosed one. */
function RequesterView({ disclosure: d, schemata, reload }: ViewProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const [withdrawing, setWithdrawing] = useState(false);
  return (
    <div className="page" data-testid="disclosure-requester">
      <Header
        d={d}
        actions={
          d.permissions.withdraw && (
            <button type="button" className="btn" onClick={() => setWithdrawing(true)}>
              {t('matching.disclosure.withdraw')}
            </button>
          )
        }
      />
      <details className="card match-request-details" open={d.status !== 'disclosed'}>
        <summary>
          <h2>{t('matching.disclosure.requestTitle')}</h2>
        </summary>
        <RequestFacts d={d} />
      </details>
      <SideBySide d={d} schemata={schemata} />
      <FormDialog
        open={withdrawing}
        title={t('matching.disclosure.withdrawTitle')}
        intro={t('matching.disclosure.withdrawIntro', { org: d.ownerOrganization.name })}
        submitLabel={t('matching.disclosure.withdraw')}
        danger
        onClose={() => setWithdrawing(false)}
        onSubmit={async () => {
          await post<Disclosure>(`/match/disclosures/${encodeURIComponent(d.id)}/withdraw`);
          announceMatchChange();
          toast(t('matching.disclosure.withdrawnToast'));
          reload();
        }}
      />
    </div>
  );
}

/** One side's heading: the record's label band, caption and who holds it. */
function SideHead({ record, title, holder }: { record: IntelRecord; title: string; holder: string }) {
  return (
    <div className="match-side" data-tlp={record.handling.tlp}>
      <span className="match-side__title">{title}</span>
      <TlpBanner label={record.handling.tlp} />
      <p className="match-record-head">
        <strong dir="auto">{record.caption || record.id}</strong>
        <span className="muted small"> · {holder}</span>
      </p>
    </div>
  );
}

/** Own record left, disclosed record right, one row per property name, equal values marked. */
function SideBySide({ d, schemata }: { d: DisclosureDetail; schemata: SchemaDescription[] | undefined }) {
  const { t } = useTranslation();
  const own = d.own;
  // A revoked disclosure is no longer readable, whatever the answer still carries.
  const disclosed = d.status === 'disclosed' ? d.disclosed : undefined;
  const propLabel = useMemo(
    () => labelFor(schemata, own?.schema, disclosed?.schema),
    [schemata, own, disclosed],
  );

  const rows = useMemo(() => {
    const ownProps = new Map(own ? nonEmpty(own) : []);
    const otherProps = new Map(disclosed ? nonEmpty(disclosed) : []);
    const names = [...new Set([...ownProps.keys(), ...otherProps.keys()])];
    return names
      .map((name) => {
        const mine = ownProps.get(name) ?? [];
        const theirs = otherProps.get(name) ?? [];
        const theirSet = new Set(theirs.map(comparable));
        const mineSet = new Set(mine.map(comparable));
        const same = mine.some((v) => theirSet.has(comparable(v)));
        return { name, mine, theirs, theirSet, mineSet, same };
      })
      .sort((a, b) => {
        const rank = (r: typeof a) => (r.same ? 0 : r.mine.length && r.theirs.length ? 1 : 2);
        return rank(a) - rank(b) || propLabel(a.name).localeCompare(propLabel(b.name));
      });
  }, [own, disclosed, propLabel]);

  const withheld = (name: string) => d.properties !== null && !d.properties.includes(name);
  const same = rows.filter((r) => r.same);

  let right: ReactNode;
  if (disclosed) {
    right = (
      <SideHead
        record={disclosed}
        title={t('matching.sideBySide.disclosedTitle', { org: d.ownerOrganization.name })}
        holder={d.ownerOrganization.name}
      />
    );
  } else {
    const text =
      d.status === 'revoked'
        ? t('matching.sideBySide.revoked')
        : d.status === 'declined'
          ? t('matching.sideBySide.declined')
          : d.status === 'withdrawn'
            ? t('matching.sideBySide.withdrawn')
            : t('matching.sideBySide.waiting', { org: d.ownerOrganization.name });
    right = (
      <div
        className={`match-side match-side--empty match-side--${d.status}`}
        data-testid="disclosed-placeholder"
      >
        <span className="match-side__title">
          {t('matching.sideBySide.disclosedTitle', { org: d.ownerOrganization.name })}
        </span>
        {d.status === 'revoked' && (
          <span className="chip chip--warn">{t('matching.disclosureStatus.revoked')}</span>
        )}
        <p className="muted">{text}</p>
      </div>
    );
  }

  const left = own ? (
    <SideHead record={own} title={t('matching.hits.yourRecord')} holder={own.owner.name} />
  ) : (
    <div className="match-side match-side--empty">
      <span className="match-side__title">{t('matching.hits.yourRecord')}</span>
      <p className="muted">{t('matching.sideBySide.noOwn')}</p>
    </div>
  );

  return (
    <section className="card stack match-card" aria-labelledby="sbs-title" data-testid="side-by-side">
      <h2 id="sbs-title">{t('matching.sideBySide.title')}</h2>
      {disclosed && (
        <p className="muted" data-testid="same-summary">
          {same.length > 0
            ? t('matching.sideBySide.sameSummary', {
                n: formatNumber(same.length),
                names: same.map((r) => propLabel(r.name)).join(', '),
              })
            : t('matching.sideBySide.noSame')}
        </p>
      )}
      <div className="table-wrap">
        <table className="table table--dense match-compare" data-testid="compare-table">
          <caption className="visually-hidden">{t('matching.sideBySide.caption')}</caption>
          <thead>
            <tr>
              <th scope="col" className="match-compare__corner">
                {t('records.property')}
              </th>
              <th scope="col">{left}</th>
              <th scope="col">{right}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.name}
                className={r.same ? 'match-compare__same' : undefined}
                data-property={r.name}
                data-same={r.same || undefined}
              >
                <th scope="row">
                  {r.same && (
                    <span className="match-same-mark" title={t('matching.sideBySide.sameValue')}>
                      <IconCheck />
                    </span>
                  )}
                  {propLabel(r.name)}
                </th>
                <td>
                  {r.mine.length ? (
                    <ValueList
                      values={r.mine}
                      mark={disclosed ? (v) => r.theirSet.has(comparable(v)) : undefined}
                    />
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td>
                  {!disclosed ? (
                    <span className="muted" aria-hidden="true">
                      ·
                    </span>
                  ) : r.theirs.length ? (
                    <ValueList values={r.theirs} mark={(v) => r.mineSet.has(comparable(v))} />
                  ) : withheld(r.name) ? (
                    <span className="muted small">{t('matching.sideBySide.notDisclosed')}</span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
