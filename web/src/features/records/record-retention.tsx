import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { type ApiError, post } from '../../api/client.js';
import type { IntelRecord } from '../../api/types.js';
import { Dialog } from '../../ui/dialog.js';
import { Field, FormActions, useFormSubmit } from '../../ui/form.js';
import { daysBetween, formatDate, fromDateInput, toDateInput } from '../../ui/format.js';
import { tLoose } from '../../ui/vocab.js';

/** About six months: the window in which review and expiry dates are shown prominently. */
const SOON_DAYS = 183;

/** A field's error in the interface language when its rule is known, else the server's message. */
function ruleMessage(error: ApiError | null, field: string): string | undefined {
  if (!error) return undefined;
  const found = error.errors.find((e) => e.field.replace(/^\/?(body[./])?/, '') === field);
  if (!found) return error.fieldError(field);
  const translated = tLoose(`retention.rule.${found.rule}`, { defaultValue: found.message });
  // The agreement's reference and limit are only in the server's message: keep it alongside.
  return found.rule === 'agreement_max_retention' && found.message !== translated
    ? `${translated} (${found.message})`
    : translated;
}

/** The review-due and expiry warning, when either date is within about six months (or past). */
export function RetentionNotice({ record }: { record: IntelRecord }) {
  const { t } = useTranslation();
  if (record.status !== 'active') return null;
  const now = new Date();
  const reviewDays = daysBetween(now, new Date(record.reviewAt));
  const expiryDays = daysBetween(now, new Date(record.expiresAt));
  if (reviewDays > SOON_DAYS && expiryDays > SOON_DAYS) return null;
  return (
    <div
      className={`notice ${reviewDays < 0 || expiryDays < 30 ? 'notice--bad' : 'notice--warn'}`}
      role="status"
      data-testid="retention-notice"
    >
      {reviewDays <= SOON_DAYS && (
        <p>
          <strong>
            {reviewDays < 0
              ? t('retention.reviewOverdue', { date: formatDate(record.reviewAt) })
              : t('retention.reviewDue', { date: formatDate(record.reviewAt), n: reviewDays })}
          </strong>
        </p>
      )}
      {expiryDays <= SOON_DAYS && (
        <p>
          <strong>
            {t('retention.expires', { date: formatDate(record.expiresAt), n: Math.max(0, expiryDays) })}
          </strong>
        </p>
      )}
    </div>
  );
}

/** "Extend retention": a new expiry date and a reason; the server's limits show on the date field. */
export function ExtendRetentionDialog({
  record,
  open,
  onClose,
  onDone,
}: {
  record: IntelRecord;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const form = useFormSubmit(async (data) => {
    const expiresAt = fromDateInput(String(data.get('expiresAt') ?? ''));
    // The answer's shape is not needed: the page reloads the record to show the new dates.
    await post<unknown>(`/records/${record.id}/extend`, {
      expiresAt,
      reason: String(data.get('reason') ?? '').trim(),
    });
    onDone();
  });
  const dateError = ruleMessage(form.error, 'expiresAt');
  const reasonError = ruleMessage(form.error, 'reason');
  const other =
    form.error && !dateError && !reasonError
      ? [form.error.title, form.error.detail].filter(Boolean).join(' — ')
      : null;
  return (
    <Dialog open={open} title={t('retention.extendTitle')} onClose={onClose}>
      <form className="stack" onSubmit={form.submit} noValidate>
        <p className="muted">{t('retention.extendIntro', { date: formatDate(record.expiresAt) })}</p>
        <Field label={t('retention.newExpiry')} error={dateError} required>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="expiresAt"
              type="date"
              required
              aria-invalid={invalid}
              aria-describedby={describedBy}
              min={toDateInput(record.expiresAt)}
              defaultValue=""
            />
          )}
        </Field>
        <Field label={t('common.reason')} error={reasonError} required>
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              name="reason"
              rows={3}
              required
              aria-invalid={invalid}
              aria-describedby={describedBy}
            />
          )}
        </Field>
        {other && (
          <p className="form-error" role="alert">
            {other}
          </p>
        )}
        <FormActions submitLabel={t('retention.extend')} busy={form.busy} cancel={onClose} />
      </form>
    </Dialog>
  );
}

/** "Confirm review": the owner says the record is still needed, with an optional note. */
export function ConfirmReviewDialog({
  record,
  open,
  onClose,
  onDone,
}: {
  record: IntelRecord;
  open: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const noteId = useId();
  const form = useFormSubmit(async (data) => {
    const note = String(data.get('note') ?? '').trim();
    await post<unknown>(`/records/${record.id}/review`, note ? { note } : {});
    onDone();
  });
  const error = form.error
    ? [form.error.title, form.error.detail, ...form.error.errors.map((e) => e.message)]
        .filter(Boolean)
        .join(' — ')
    : null;
  return (
    <Dialog open={open} title={t('retention.reviewTitle')} onClose={onClose}>
      <form className="stack" onSubmit={form.submit}>
        <p className="muted">{t('retention.reviewIntro')}</p>
        <div className="field">
          <label htmlFor={noteId}>
            {t('retention.note')} <span className="field__required">({t('common.optional')})</span>
          </label>
          <textarea id={noteId} name="note" rows={3} />
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <FormActions submitLabel={t('retention.confirmReview')} busy={form.busy} cancel={onClose} />
      </form>
    </Dialog>
  );
}
