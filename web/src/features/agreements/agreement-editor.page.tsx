import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import {
  AGREEMENT_KINDS,
  type AgreementKind,
  CRIME_AREAS,
  type CrimeArea,
  DATA_CATEGORIES,
  type DataCategory,
  PURPOSES,
  type Purpose,
  REVIEW_TRIGGER_KINDS,
  type ReviewTriggerKind,
  TLP_LABELS,
  type TlpLabel,
} from '../../../../src/domain/vocabulary.js';
import { ApiError, get, patch, post } from '../../api/client.js';
import type { Agreement, AgreementInput, ReviewTriggerInput } from '../../api/types.js';
import { useMe } from '../../auth/session.js';
import { Breadcrumbs } from '../../ui/breadcrumbs.js';
import {
  Checkbox,
  CheckboxGroup,
  DateField,
  Field,
  FormActions,
  FormErrorSummary,
  useFormErrors,
  VocabOptions,
} from '../../ui/form.js';
import { fromDateInput, toDateInput } from '../../ui/format.js';
import { NotFoundPanel } from '../../ui/not-found-panel.js';
import { OrgPicker } from '../../ui/org-picker.js';
import { PageHeader } from '../../ui/page-header.js';
import { ErrorState, Spinner } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useApi } from '../../ui/use-api.js';
import type { VocabGroup } from '../../ui/vocab.js';
import { loadOrganizations } from '../records/records-data.js';

interface Draft {
  reference: string;
  title: string;
  kind: AgreementKind;
  description: string;
  parties: string[];
  crimeAreas: CrimeArea[];
  dataCategories: DataCategory[];
  purposes: Purpose[];
  tlp: TlpLabel;
  h2Allowed: boolean;
  onwardTransfer: boolean;
  matchingAllowed: boolean;
  maxRetentionDays: string;
  validFrom: string;
  sunsetAt: string;
  isPilot: boolean;
  pilotEndsAt: string;
  successCriteria: string;
  triggers: ReviewTriggerInput[];
}

/** The agreement's scope: one required multi-select per dimension, in this order. */
const SCOPE_GROUPS = [
  { field: 'crimeAreas', options: CRIME_AREAS, labels: 'crimeArea' },
  { field: 'dataCategories', options: DATA_CATEGORIES, labels: 'dataCategory' },
  { field: 'purposes', options: PURPOSES, labels: 'purpose' },
] as const satisfies readonly {
  field: 'crimeAreas' | 'dataCategories' | 'purposes';
  options: readonly string[];
  labels: VocabGroup;
}[];

function addYears(date: Date, years: number): string {
  const d = new Date(date);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString().slice(0, 10);
}

function emptyDraft(ownOrg: string): Draft {
  const today = new Date();
  return {
    reference: '',
    title: '',
    kind: 'mou',
    description: '',
    parties: [ownOrg],
    crimeAreas: [],
    dataCategories: [],
    purposes: ['criminal_investigation'],
    tlp: 'TLP:AMBER',
    h2Allowed: false,
    onwardTransfer: false,
    matchingAllowed: true,
    maxRetentionDays: '',
    validFrom: today.toISOString().slice(0, 10),
    sunsetAt: addYears(today, 2),
    isPilot: false,
    pilotEndsAt: addYears(today, 1),
    successCriteria: '',
    triggers: [{ kind: 'periodic', months: 12 }, { kind: 'incident' }, { kind: 'sunset', days: 90 }],
  };
}

function fromAgreement(a: Agreement): Draft {
  return {
    reference: a.reference,
    title: a.title,
    kind: a.kind,
    description: a.description,
    parties: a.parties.map((p) => p.organization.id),
    crimeAreas: a.scope.crimeAreas as CrimeArea[],
    dataCategories: a.scope.dataCategories as DataCategory[],
    purposes: a.scope.purposes as Purpose[],
    tlp: a.ceiling.tlp as TlpLabel,
    h2Allowed: a.ceiling.h2Allowed,
    onwardTransfer: a.ceiling.onwardTransfer,
    matchingAllowed: a.matchingAllowed,
    maxRetentionDays: a.maxRetentionDays === null ? '' : String(a.maxRetentionDays),
    validFrom: toDateInput(a.validFrom),
    sunsetAt: toDateInput(a.sunsetAt),
    isPilot: a.pilot !== null,
    pilotEndsAt: toDateInput(a.pilot?.endsAt) || toDateInput(a.sunsetAt),
    successCriteria: a.pilot?.successCriteria ?? '',
    triggers: a.reviewTriggers.map((r) => ({ ...r })),
  };
}

const TRIGGER_FIELD: Record<ReviewTriggerKind, 'months' | 'records' | 'days' | null> = {
  periodic: 'months',
  volume: 'records',
  incident: null,
  sunset: 'days',
};

/** Creates a draft agreement or edits one (drafts only; the server checks the version). */
export function AgreementEditorPage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const existing = useApi(id ?? null, (signal) =>
    get<Agreement>(`/agreements/${encodeURIComponent(id ?? '')}`, undefined, signal),
  );
  const orgs = useApi('orgs', () => loadOrganizations());
  if (existing.error?.status === 404 || existing.error?.status === 400)
    return (
      <NotFoundPanel title={t('errors.notFoundTitle')} text={t('agreements.notFound')} back="/agreements" />
    );
  const error = existing.error ?? orgs.error;
  if (error)
    return <ErrorState error={error} onRetry={() => (existing.error ? existing.reload() : orgs.reload())} />;
  if ((id && !existing.data) || !orgs.data) return <Spinner block />;
  return <AgreementForm agreement={existing.data} orgs={orgs.data} />;
}

function AgreementForm({
  agreement,
  orgs,
}: {
  agreement: Agreement | undefined;
  orgs: Awaited<ReturnType<typeof loadOrganizations>>;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const toast = useToast();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(() =>
    agreement ? fromAgreement(agreement) : emptyDraft(me.organization.id),
  );
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors();
  const update = <K extends keyof Draft>(key: K, value: Draft[K]) =>
    setDraft((d) => ({ ...d, [key]: value }));
  const unusedKinds = REVIEW_TRIGGER_KINDS.filter((k) => !draft.triggers.some((tr) => tr.kind === k));

  function setTrigger(index: number, next: ReviewTriggerInput) {
    setDraft((d) => ({ ...d, triggers: d.triggers.map((tr, i) => (i === index ? next : tr)) }));
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body: AgreementInput = {
      title: draft.title.trim(),
      kind: draft.kind,
      description: draft.description,
      parties: draft.parties.includes(me.organization.id)
        ? draft.parties
        : [me.organization.id, ...draft.parties],
      scope: { crimeAreas: draft.crimeAreas, dataCategories: draft.dataCategories, purposes: draft.purposes },
      ceiling: { tlp: draft.tlp, h2Allowed: draft.h2Allowed, onwardTransfer: draft.onwardTransfer },
      matchingAllowed: draft.matchingAllowed,
      maxRetentionDays: draft.maxRetentionDays ? Number.parseInt(draft.maxRetentionDays, 10) : null,
      validFrom: fromDateInput(draft.validFrom) ?? '',
      sunsetAt: fromDateInput(draft.sunsetAt) ?? '',
      pilot: draft.isPilot
        ? { endsAt: fromDateInput(draft.pilotEndsAt) ?? '', successCriteria: draft.successCriteria.trim() }
        : null,
      reviewTriggers: draft.triggers,
    };
    if (draft.reference.trim()) body.reference = draft.reference.trim();
    setBusy(true);
    errors.setError(null);
    try {
      const saved = agreement
        ? await patch<Agreement>(`/agreements/${agreement.id}`, { ...body, version: agreement.version })
        : await post<Agreement>('/agreements', body);
      toast(agreement ? t('agreements.saved') : t('agreements.created'));
      navigate(`/agreements/${saved.id}`);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, { title: t('common.unknownError') });
      errors.setError(
        e.status === 409 ? new ApiError(409, { ...e.body, detail: t('agreements.conflict') }) : e,
      );
      setBusy(false);
      window.scrollTo({ top: 0 });
    }
  }

  return (
    <div className="page">
      <Breadcrumbs
        trail={[
          { to: '/agreements', label: t('agreements.title') },
          agreement && { to: `/agreements/${agreement.id}`, label: agreement.reference },
        ]}
      />
      <PageHeader title={agreement ? t('agreements.editTitle') : t('agreements.newTitle')} />
      <form className="form" onSubmit={submit} noValidate>
        <FormErrorSummary
          error={errors.error}
          mapped={[
            'reference',
            'title',
            'kind',
            'description',
            'parties',
            'scope',
            'ceiling',
            'maxRetentionDays',
            'validFrom',
            'sunsetAt',
            'pilot',
            'reviewTriggers',
          ]}
        />
        <section className="card stack">
          <div className="form-row">
            <Field label={t('agreements.titleField')} error={errors.field('title')} required>
              {({ id, describedBy }) => (
                <input
                  id={id}
                  aria-describedby={describedBy}
                  value={draft.title}
                  required
                  onChange={(e) => update('title', e.target.value)}
                />
              )}
            </Field>
            <Field
              label={t('agreements.reference')}
              hint={t('agreements.referenceHint')}
              error={errors.field('reference')}
            >
              {({ id, describedBy }) => (
                <input
                  id={id}
                  dir="ltr"
                  aria-describedby={describedBy}
                  value={draft.reference}
                  onChange={(e) => update('reference', e.target.value)}
                />
              )}
            </Field>
            <Field label={t('agreements.kind')} error={errors.field('kind')}>
              {({ id }) => (
                <select
                  id={id}
                  value={draft.kind}
                  onChange={(e) => update('kind', e.target.value as AgreementKind)}
                >
                  <VocabOptions group="agreementKind" codes={AGREEMENT_KINDS} />
                </select>
              )}
            </Field>
          </div>
          <Field label={t('agreements.description')} error={errors.field('description')}>
            {({ id }) => (
              <textarea
                id={id}
                rows={4}
                value={draft.description}
                onChange={(e) => update('description', e.target.value)}
              />
            )}
          </Field>
          <OrgPicker
            legend={t('agreements.parties')}
            hint={t('agreements.partiesHint')}
            organizations={orgs}
            value={draft.parties}
            locked={[me.organization.id]}
            onChange={(v) => update('parties', v)}
            error={errors.field('parties')}
            filterLabel={t('agreements.partiesFilter')}
          />
        </section>

        <section className="card stack" aria-labelledby="scope-h">
          <h2 id="scope-h">{t('agreements.scope')}</h2>
          {SCOPE_GROUPS.map((group) => (
            <CheckboxGroup
              key={group.field}
              legend={t(`agreements.${group.field}`)}
              options={group.options}
              value={draft[group.field]}
              // The group's options are the codes of its own field, so the cast cannot mix fields.
              onChange={(v) => update(group.field, v as Draft[typeof group.field])}
              labels={group.labels}
              required
              error={errors.field(`scope.${group.field}`)}
            />
          ))}
        </section>

        <section className="card stack" aria-labelledby="ceiling-h">
          <h2 id="ceiling-h">{t('agreements.ceiling')}</h2>
          <div className="form-row">
            <Field
              label={t('agreements.ceilingTlp')}
              hint={t('agreements.ceilingRedRefused')}
              error={errors.field('ceiling.tlp')}
            >
              {({ id, describedBy }) => (
                <select
                  id={id}
                  aria-describedby={describedBy}
                  value={draft.tlp}
                  onChange={(e) => update('tlp', e.target.value as TlpLabel)}
                >
                  {TLP_LABELS.map((l) => (
                    <option key={l} value={l}>
                      {l}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('agreements.maxRetentionDays')} error={errors.field('maxRetentionDays')}>
              {({ id }) => (
                <input
                  id={id}
                  type="number"
                  min={1}
                  max={3650}
                  value={draft.maxRetentionDays}
                  onChange={(e) => update('maxRetentionDays', e.target.value)}
                />
              )}
            </Field>
          </div>
          <Checkbox
            label={t('agreements.h2Allowed')}
            checked={draft.h2Allowed}
            onChange={(v) => update('h2Allowed', v)}
          />
          <Checkbox
            label={t('agreements.onwardTransfer')}
            checked={draft.onwardTransfer}
            onChange={(v) => update('onwardTransfer', v)}
          />
          <Checkbox
            label={t('agreements.matchingAllowed')}
            checked={draft.matchingAllowed}
            onChange={(v) => update('matchingAllowed', v)}
          />
        </section>

        <section className="card stack" aria-labelledby="validity-h">
          <h2 id="validity-h">{t('agreements.validity')}</h2>
          <div className="form-row">
            <DateField
              label={t('agreements.validFrom')}
              error={errors.field('validFrom')}
              value={draft.validFrom}
              onChange={(v) => update('validFrom', v)}
              required
            />
            <DateField
              label={t('agreements.sunsetAt')}
              error={errors.field('sunsetAt')}
              value={draft.sunsetAt}
              onChange={(v) => update('sunsetAt', v)}
              required
            />
          </div>
          <Checkbox
            label={t('agreements.isPilot')}
            checked={draft.isPilot}
            onChange={(v) => update('isPilot', v)}
          />
          {draft.isPilot && (
            <div className="form-row">
              <DateField
                label={t('agreements.pilotEndsAt')}
                error={errors.field('pilot.endsAt')}
                value={draft.pilotEndsAt}
                onChange={(v) => update('pilotEndsAt', v)}
                required
              />
              <Field
                label={t('agreements.successCriteria')}
                error={errors.field('pilot.successCriteria')}
                required
              >
                {({ id }) => (
                  <textarea
                    id={id}
                    rows={2}
                    value={draft.successCriteria}
                    onChange={(e) => update('successCriteria', e.target.value)}
                  />
                )}
              </Field>
            </div>
          )}
        </section>

        <section className="card stack" aria-labelledby="triggers-h">
          <h2 id="triggers-h">{t('agreements.reviewTriggers')}</h2>
          {errors.field('reviewTriggers') && <p className="field__error">{errors.field('reviewTriggers')}</p>}
          {draft.triggers.length === 0 && <p className="muted">{t('agreements.noTriggers')}</p>}
          <ul className="trigger-list">
            {draft.triggers.map((trigger, index) => {
              const numberField = TRIGGER_FIELD[trigger.kind];
              return (
                <li key={trigger.kind} className="trigger-row">
                  <span className="strong">{t(`agreements.triggerKindLabel.${trigger.kind}`)}</span>
                  {numberField && (
                    <label className="inline-field">
                      <span>{t(`agreements.${numberField}`)}</span>
                      <input
                        type="number"
                        min={1}
                        value={trigger[numberField] ?? ''}
                        onChange={(e) =>
                          setTrigger(index, {
                            kind: trigger.kind,
                            [numberField]: e.target.value ? Number.parseInt(e.target.value, 10) : undefined,
                          })
                        }
                      />
                    </label>
                  )}
                  <button
                    type="button"
                    className="btn btn--link"
                    onClick={() =>
                      update(
                        'triggers',
                        draft.triggers.filter((_, i) => i !== index),
                      )
                    }
                  >
                    {t('common.remove')}
                  </button>
                </li>
              );
            })}
          </ul>
          {unusedKinds.length > 0 && (
            <div className="field field--inline">
              <label htmlFor="add-trigger">{t('agreements.addTrigger')}</label>
              <select
                id="add-trigger"
                value=""
                onChange={(e) => {
                  const kind = e.target.value as ReviewTriggerKind;
                  if (!kind) return;
                  const defaults: Record<ReviewTriggerKind, ReviewTriggerInput> = {
                    periodic: { kind: 'periodic', months: 12 },
                    volume: { kind: 'volume', records: 1000 },
                    incident: { kind: 'incident' },
                    sunset: { kind: 'sunset', days: 90 },
                  };
                  update('triggers', [...draft.triggers, defaults[kind]]);
                }}
              >
                <option value="">+ {t('common.add')}…</option>
                {unusedKinds.map((k) => (
                  <option key={k} value={k}>
                    {t(`agreements.triggerKindLabel.${k}`)}
                  </option>
                ))}
              </select>
            </div>
          )}
        </section>

        <FormActions
          submitLabel={agreement ? t('common.save') : t('common.create')}
          busy={busy}
          cancel={agreement ? `/agreements/${agreement.id}` : '/agreements'}
        />
      </form>
    </div>
  );
}
