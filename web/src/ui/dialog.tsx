import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';
import { IconClose } from './icons.js';

interface DialogProps {
  open: boolean;
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** `drawer` slides in from the inline end. */
  variant?: 'modal' | 'drawer';
  footer?: ReactNode;
}

/**
 * A modal `<dialog>`: the browser traps focus, closes on Escape and restores focus to the opener.
 */
export function Dialog({ open, title, onClose, children, variant = 'modal', footer }: DialogProps) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog--${variant}`}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      {open && (
        <div className="dialog__body">
          <header className="dialog__header">
            <h2 id={titleId}>{title}</h2>
            <button
              type="button"
              className="btn btn--icon"
              onClick={onClose}
              aria-label={t('a11y.closeDialog')}
            >
              <IconClose />
            </button>
          </header>
          <div className="dialog__content">{children}</div>
          {footer && <footer className="dialog__footer">{footer}</footer>}
        </div>
      )}
    </dialog>
  );
}

interface FormDialogProps {
  open: boolean;
  title: string;
  intro?: string;
  submitLabel: string;
  danger?: boolean;
  onClose: () => void;
  /** Performs the action; a rejected ApiError is shown in the dialog, which stays open. */
  onSubmit: (values: FormData) => Promise<void>;
  children?: ReactNode;
}

/** A dialog holding a small form (a reason, a date): shows the server's error and a busy state. */
export function FormDialog({
  open,
  title,
  intro,
  submitLabel,
  danger,
  onClose,
  onSubmit,
  children,
}: FormDialogProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (open) setError(null);
  }, [open]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(new FormData(event.currentTarget));
      onClose();
    } catch (err) {
      setError(
        err instanceof ApiError
          ? [err.title, err.detail, ...err.errors.map((e) => e.message)].filter(Boolean).join(' — ')
          : t('common.unknownError'),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <form onSubmit={submit} className="stack">
        {intro && <p className="muted">{intro}</p>}
        {children}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="button-row">
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className={`btn ${danger ? 'btn--danger' : 'btn--primary'}`} disabled={busy}>
            {busy ? t('common.saving') : submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A reason dialog: one required text area named `reason`. */
export function ReasonDialog(
  props: Omit<FormDialogProps, 'onSubmit' | 'children'> & {
    onSubmit: (reason: string) => Promise<void>;
    label?: string;
    required?: boolean;
  },
) {
  const { t } = useTranslation();
  const id = useId();
  const { onSubmit, label, required = true, ...rest } = props;
  return (
    <FormDialog {...rest} onSubmit={(data) => onSubmit(String(data.get('reason') ?? '').trim())}>
      <div className="field">
        <label htmlFor={id}>{label ?? t('common.reason')}</label>
        <textarea id={id} name="reason" rows={4} required={required} minLength={required ? 3 : undefined} />
      </div>
    </FormDialog>
  );
}
