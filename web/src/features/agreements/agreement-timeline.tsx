import { useTranslation } from 'react-i18next';
import type { Agreement } from '../../api/types.js';
import { daysBetween, formatDate } from '../../ui/format.js';

/** Where a date falls between `from` and `to`, as a percentage clamped to 0–100. */
export function positionPercent(from: Date, to: Date, at: Date): number {
  const span = to.getTime() - from.getTime();
  if (span <= 0) return 100;
  return Math.min(100, Math.max(0, ((at.getTime() - from.getTime()) / span) * 100));
}

/** Days before the sunset at which to warn: the agreement's sunset trigger, or 90 days. */
export function sunsetWarningDays(agreement: Pick<Agreement, 'reviewTriggers'>): number {
  const trigger = agreement.reviewTriggers.find((r) => r.kind === 'sunset');
  return trigger && trigger.kind === 'sunset' ? trigger.days : 90;
}

/**
 * The validity as a horizontal bar from `validFrom` to `sunsetAt`, with a "today" marker, the
 * pilot's end, and a warning band before the sunset.
 */
export function AgreementTimeline({ agreement, now = new Date() }: { agreement: Agreement; now?: Date }) {
  const { t } = useTranslation();
  const from = new Date(agreement.validFrom);
  const to = new Date(agreement.sunsetAt);
  const todayPct = positionPercent(from, to, now);
  const daysLeft = daysBetween(now, to);
  const warnDays = sunsetWarningDays(agreement);
  const warnPct = positionPercent(from, to, new Date(to.getTime() - warnDays * 86_400_000));
  const pilotPct = agreement.pilot ? positionPercent(from, to, new Date(agreement.pilot.endsAt)) : null;
  const warning = daysLeft >= 0 && daysLeft <= warnDays;
  const state =
    now < from
      ? t('agreements.notYetValid')
      : daysLeft < 0
        ? t('agreements.sunsetPassed')
        : t('agreements.sunsetIn', { n: daysLeft });

  return (
    <figure
      className="timeline"
      aria-label={t('agreements.timelineLabel', {
        from: formatDate(agreement.validFrom),
        to: formatDate(agreement.sunsetAt),
      })}
    >
      <div className="timeline__ends">
        <span>
          <span className="muted small">{t('agreements.validFrom')}</span>
          <br />
          <strong>{formatDate(agreement.validFrom)}</strong>
        </span>
        <span className="timeline__end">
          <span className="muted small">{t('agreements.sunsetAt')}</span>
          <br />
          <strong>{formatDate(agreement.sunsetAt)}</strong>
        </span>
      </div>
      <div className="timeline__track">
        <div className="timeline__elapsed" style={{ inlineSize: `${todayPct}%` }} />
        <div className="timeline__warn" style={{ insetInlineStart: `${warnPct}%` }} />
        {pilotPct !== null && (
          <div
            className="timeline__marker timeline__marker--pilot"
            style={{ insetInlineStart: `${pilotPct}%` }}
          >
            <span className="timeline__marker-label">
              {t('agreements.pilotEnd')} · {formatDate(agreement.pilot?.endsAt)}
            </span>
          </div>
        )}
        <div
          className="timeline__marker timeline__marker--today"
          style={{ insetInlineStart: `${todayPct}%` }}
        >
          <span className="timeline__marker-label">{t('agreements.today')}</span>
        </div>
      </div>
      <figcaption className={`timeline__caption${warning || daysLeft < 0 ? ' timeline__caption--warn' : ''}`}>
        {state}
      </figcaption>
    </figure>
  );
}
