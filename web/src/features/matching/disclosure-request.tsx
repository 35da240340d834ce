import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { PURPOSES, type Purpose } from '../../../../src/domain/vocabulary.js';
import { post } from '../../api/client.js';
import type { Disclosure } from '../../api/types.js';
import { Dialog } from '../../ui/dialog.js';
import { Field, FormErrorSummary, useFormSubmit, VocabOptions } from '../../ui/form.js';
import { useToast } from '../../ui/toast.js';
import { announceMatchChange } from './matching-data.js';

interface RequestFormProps {
  /** Exactly one: the hit, or the reference of a check result. */
  source: { hitId: string } | { checkReference: string };
  /** The organization asked, named in the intro. */
  ownerName: string;
  onCancel?: () => void;
}

/**
 * Asks the other organization to disclose its matching record: a purpose from the vocabulary and a
 * justification the owner reads before deciding. On success, opens the new request.
 */
export function DisclosureRequestForm({ source, ownerName, onCancel }: RequestFormProps) {
  const { t } = useTranslation();
  const toast = useToast();
  const navigate = useNavigate();
  const [purpose, setPurpose] = useState<Purpose | ''>('');
  const [justification, setJustification] = useState('');
  const form = useFormSubmit(async () => {
    const created = await post<Disclosure>('/match/disclosures', {
      ...source,
      purpose,
      justification: justification.trim(),
    });
    announceMatchChange();
    toast(t('matching.request.sent', { ref: created.reference }));
    navigate(`/matching/disclosures/${created.id}`);
  });
  return (
    <form className="stack" onSubmit={form.submit} noValidate data-testid="disclosure-request-form">
      <p className="muted">{t('matching.request.intro', { org: ownerName })}</p>
      <FormErrorSummary error={form.error} mapped={['purpose', 'justification']} />
      <Field label={t('matching.request.purpose')} required error={form.field('purpose')}>
        {({ id, describedBy }) => (
          <select
            id={id}
            required
            aria-describedby={describedBy}
            value={purpose}
            onChange={(e) => setPurpose(e.target.value as Purpose)}
          >
            <option value="">{t('matching.request.choosePurpose')}</option>
            <VocabOptions group="purpose" codes={PURPOSES} />
          </select>
        )}
      </Field>
      <Field
        label={t('matching.request.justification')}
        hint={t('matching.request.justificationHint')}
        required
        error={form.field('justification')}
      >
        {({ id, describedBy }) => (
          <textarea
            id={id}
            rows={4}
            required
            dir="auto"
            aria-describedby={describedBy}
            value={justification}
            onChange={(e) => setJustification(e.target.value)}
          />
        )}
      </Field>
      <div className="button-row button-row--end">
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
        <button
          type="submit"
          className="btn btn--primary"
          disabled={form.busy || !purpose || justification.trim().length < 3}
        >
          {form.busy ? t('common.saving') : t('matching.request.submit')}
        </button>
      </div>
    </form>
  );
}

/** The request form in a dialog, for a check result. */
export function DisclosureRequestDialog({
  open,
  onClose,
  checkReference,
  ownerName,
}: {
  open: boolean;
  onClose: () => void;
  checkReference: string;
  ownerName: string;
}) {
  const { t } = useTranslation();
  return (
    <Dialog open={open} title={t('matching.request.title')} onClose={onClose}>
      {open && <DisclosureRequestForm source={{ checkReference }} ownerName={ownerName} onCancel={onClose} />}
    </Dialog>
  );
}
