import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TLP_COLOURS, tlpMeaning, vocabLabel } from './vocab.js';

/** A TLP label as FIRST draws it: the label's colour on black. */
export function TlpChip({ label }: { label: string }) {
  const colours = TLP_COLOURS[label] ?? { fg: '#FFFFFF', bg: '#000000' };
  return (
    <span
      className="tlp-chip"
      style={{ color: colours.fg, background: colours.bg }}
      title={tlpMeaning(label)}
    >
      {label}
    </span>
  );
}

const AGREEMENT_TONES: Record<string, string> = {
  draft: 'neutral',
  pilot: 'info',
  active: 'ok',
  under_review: 'warn',
  suspended: 'bad',
  terminated: 'muted',
  expired: 'muted',
};

/** An agreement status, coloured by what it means for data flows. */
export function AgreementStatusChip({ status }: { status: string }) {
  useTranslation();
  return (
    <span className={`chip chip--${AGREEMENT_TONES[status] ?? 'neutral'}`}>
      {vocabLabel('agreementStatus', status)}
    </span>
  );
}

const RECORD_TONES: Record<string, string> = { active: 'ok', retracted: 'bad', expired: 'muted' };

/** A record status. */
export function RecordStatusChip({ status }: { status: string }) {
  useTranslation();
  return (
    <span className={`chip chip--${RECORD_TONES[status] ?? 'neutral'}`}>
      {vocabLabel('recordStatus', status)}
    </span>
  );
}

/** A neutral tag, e.g. a crime area. */
export function Tag({ children }: { children: ReactNode }) {
  return <span className="tag">{children}</span>;
}

/** A list of translated vocabulary tags, or a dash for none. */
export function VocabTags({
  group,
  codes,
}: {
  group: Parameters<typeof vocabLabel>[0];
  codes: readonly string[];
}) {
  useTranslation();
  if (codes.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="tags">
      {codes.map((c) => (
        <li key={c}>
          <Tag>{vocabLabel(group, c)}</Tag>
        </li>
      ))}
    </ul>
  );
}
