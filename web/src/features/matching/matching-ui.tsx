import { type KeyboardEvent, type MouseEvent, type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { DisclosureStatus, HitState, IntelRecord, MatchRecordRef, OrgRef } from '../../api/types.js';
import { TlpChip } from '../../ui/chips.js';
import { IconAlert } from '../../ui/icons.js';
import { useToast } from '../../ui/toast.js';
import { tLoose } from '../../ui/vocab.js';
import { deadlineState, featureLabel, formatScore } from './matching-data.js';

/** The match strength as a bar and a percentage; the bar's colour says strong, likely or weak. */
export function ScoreBar({ score, large = false }: { score: number; large?: boolean }) {
  const { t } = useTranslation();
  const percent = Math.max(0, Math.min(100, Math.round(score * 100)));
  const tone = score >= 0.9 ? 'strong' : score >= 0.75 ? 'likely' : 'weak';
  return (
    <span
      className={`match-score match-score--${tone}${large ? ' match-score--large' : ''}`}
      data-score={score}
    >
      <span className="match-score__track" aria-hidden="true">
        <span className="match-score__fill" style={{ inlineSize: `${percent}%` }} />
      </span>
      <span className="match-score__value">
        <span className="visually-hidden">{t('matching.score')}: </span>
        {formatScore(score)}
      </span>
    </span>
  );
}

/** The kinds of feature that matched ("passport", "name", …), as chips; never a value. */
export function FeatureChips({ features }: { features: readonly string[] | null | undefined }) {
  const { t } = useTranslation();
  if (!features || features.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="match-features" aria-label={t('matching.features')}>
      {features.map((f) => (
        <li key={f} className="match-feature" data-feature={f}>
          {featureLabel(f)}
        </li>
      ))}
    </ul>
  );
}

/** "3 over-common values were not compared": the cap on frequent values, shown wherever it applied. */
export function CapNote({ count, compact = false }: { count: number; compact?: boolean }) {
  const { t } = useTranslation();
  if (count <= 0) return null;
  return (
    <p className={`match-cap${compact ? ' match-cap--compact' : ''}`} data-testid="cap-note">
      <IconAlert />
      <span>
        {t('matching.cap', { n: count })}
        {!compact && <span className="muted"> {t('matching.capWhy')}</span>}
      </span>
    </p>
  );
}

const DISCLOSURE_TONES: Record<DisclosureStatus, string> = {
  pending: 'info',
  disclosed: 'ok',
  declined: 'bad',
  revoked: 'warn',
  withdrawn: 'muted',
};

/** A disclosure's status as a coloured chip; a pending request past its deadline reads "Overdue". */
export function DisclosureStatusChip({ status, overdue }: { status: DisclosureStatus; overdue?: boolean }) {
  useTranslation();
  if (status === 'pending' && overdue)
    return (
      <span className="chip chip--bad" data-status="overdue">
        {tLoose('matching.disclosureStatus.overdue')}
      </span>
    );
  return (
    <span className={`chip chip--${DISCLOSURE_TONES[status] ?? 'neutral'}`} data-status={status}>
      {tLoose(`matching.disclosureStatus.${status}`, { defaultValue: status })}
    </span>
  );
}

const STATE_TONES: Record<HitState, string> = { new: 'info', seen: 'neutral', dismissed: 'muted' };

/** The caller's own inbox state of a hit. */
export function HitStateChip({ state }: { state: HitState }) {
  useTranslation();
  return (
    <span className={`chip chip--${STATE_TONES[state] ?? 'neutral'}`} data-state={state}>
      {tLoose(`matching.hitState.${state}`, { defaultValue: state })}
    </span>
  );
}

/** A deadline relative to now, red when overdue, amber when close; the exact time on hover. */
export function Deadline({
  deadlineAt,
  now,
  active = true,
}: {
  deadlineAt: string;
  now: number;
  active?: boolean;
}) {
  const { text, tone } = deadlineState(deadlineAt, now);
  const exact = new Date(deadlineAt).toLocaleString();
  if (!active)
    return (
      <time className="match-deadline match-deadline--closed" dateTime={deadlineAt} title={exact}>
        {exact}
      </time>
    );
  return (
    <time className={`match-deadline match-deadline--${tone}`} dateTime={deadlineAt} title={exact}>
      {tone === 'overdue' && <IconAlert />}
      {text}
    </time>
  );
}

/** A hit or disclosure reference in monospace, with a copy button: people read it out on the phone. */
export function Reference({
  value,
  label,
  large = false,
  opaque = false,
}: {
  value: string;
  label?: string;
  large?: boolean;
  /** A long sealed token (a check's reference): shown shortened, copied whole. */
  opaque?: boolean;
}) {
  const { t } = useTranslation();
  const toast = useToast();
  return (
    <span className={`match-ref${large ? ' match-ref--large' : ''}`}>
      {label && <span className="match-ref__label">{label}</span>}
      <code
        className={`match-ref__code${opaque ? ' match-ref__code--opaque' : ''}`}
        dir="ltr"
        data-testid="reference"
        title={opaque ? value : undefined}
      >
        {value}
      </code>
      <button
        type="button"
        className="btn btn--small"
        aria-label={t('matching.copyReference', { ref: value })}
        onClick={() => {
          // The clipboard API exists only on secure origins; elsewhere say so instead of doing nothing.
          const written = navigator.clipboard?.writeText(value) ?? Promise.reject(new Error('no clipboard'));
          written.then(
            () => toast(t('common.copied')),
            () => toast(t('matching.copyFailed'), 'error'),
          );
        }}
      >
        {t('common.copy')}
      </button>
    </span>
  );
}

/** One of the caller's records: its caption as a link, and below it the TLP label and type. */
export function RecordRefLink({ record, schemaLabel }: { record: MatchRecordRef; schemaLabel?: string }) {
  return (
    <span className="match-record-ref">
      <Link to={`/records/${record.id}`} className="strong" dir="auto">
        {record.caption || record.id}
      </Link>
      <span className="match-record-ref__meta">
        <TlpChip label={record.tlp} />
        {schemaLabel && <span className="muted small">{schemaLabel}</span>}
      </span>
    </span>
  );
}

/** An organization's name with a link to its directory entry. */
export function OrgLink({ org }: { org: OrgRef }) {
  return (
    <Link to={`/organizations/${org.id}`} dir="auto">
      {org.name}
    </Link>
  );
}

/**
 * Table-row behaviour for a row that opens a page: click anywhere, or focus it and press Enter or
 * Space. Clicks on the row's own links and buttons keep their meaning.
 */
export function useRowLink() {
  const navigate = useNavigate();
  return (to: string) => ({
    tabIndex: 0,
    className: 'match-row',
    'data-href': to,
    onClick: (e: MouseEvent<HTMLTableRowElement>) => {
      if ((e.target as HTMLElement).closest('a, button, input, select, label')) return;
      navigate(to);
    },
    onKeyDown: (e: KeyboardEvent<HTMLTableRowElement>) => {
      if (e.target !== e.currentTarget) return;
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        navigate(to);
      }
    },
  });
}

interface ChoiceFilterProps {
  label: string;
  value: string;
  /** The choices; the one whose value is "" is what the API does without the filter. */
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
}

/** A labelled `<select>` filter whose default is a real choice ("Open"), not "All". */
export function ChoiceFilter({ label, value, options, onChange }: ChoiceFilterProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The properties of a record as a definition table, values as the record holds them. */
export function PropertiesTable({
  record,
  propLabel,
  caption,
}: {
  record: IntelRecord;
  propLabel: (name: string) => string;
  caption?: string;
}) {
  const { t } = useTranslation();
  const properties = Object.entries(record.properties).filter(([, v]) => v.length > 0);
  if (properties.length === 0) return <p className="muted">{t('records.noProperties')}</p>;
  return (
    <table className="table table--plain table--dense">
      {caption && <caption className="visually-hidden">{caption}</caption>}
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
              <ValueList values={values} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A property's values, one per line, each in its own direction (names in Arabic, numbers left to right). */
export function ValueList({
  values,
  mark,
}: {
  values: readonly string[];
  mark?: (value: string) => boolean;
}) {
  const { t } = useTranslation();
  return (
    <ul className="values">
      {values.map((v, i) => {
        const same = mark?.(v) ?? false;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: values may repeat.
          <li key={i} dir="auto" className={same ? 'match-same' : undefined} data-same={same || undefined}>
            {v}
            {same && <span className="visually-hidden"> ({t('matching.sideBySide.sameValue')})</span>}
          </li>
        );
      })}
    </ul>
  );
}

/** A small labelled panel in the request summary (a fact with its value). */
export function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}
