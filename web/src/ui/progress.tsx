import { formatNumber } from './format.js';

/** A labelled progress bar with its percentage, for long work (uploads, imports, cross-referencing). */
export function ProgressBar({ percent, label }: { percent: number; label: string }) {
  return (
    <div className="progress">
      <progress
        className="progress__bar"
        max={100}
        value={percent}
        aria-label={label}
        aria-valuetext={`${percent}%`}
      />
      <span className="progress__value" aria-hidden="true">
        {percent}%
      </span>
    </div>
  );
}

export interface CountItem {
  /** `data-count` of the value, for tests and styles. */
  key: string;
  label: string;
  value: number;
  bad?: boolean;
}

/** Running counts of a job, announced politely to screen readers as they change. */
export function CountList({ items }: { items: readonly CountItem[] }) {
  return (
    <dl className="counts" aria-live="polite">
      {items.map((c) => (
        <div key={c.key} className={c.bad ? 'counts--bad' : ''}>
          <dt>{c.label}</dt>
          <dd data-count={c.key}>{formatNumber(c.value)}</dd>
        </div>
      ))}
    </dl>
  );
}
