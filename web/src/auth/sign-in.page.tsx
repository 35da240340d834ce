import type { TFunction } from 'i18next';
import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api/client.js';
import type { Me, MfaEnrollmentStart } from '../api/types.js';
import { DemoBanner } from '../shell/demo-banner.js';
import { LanguageSelect } from '../shell/language-select.js';
import { CodeInput } from '../ui/code-input.js';
import { Spinner } from '../ui/states.js';
import { useSession } from './session.js';

/** The message for a failed sign-in, per the API's codes (401, 423 with its own text, 429). */
function signInError(err: unknown, t: TFunction): string {
  if (!(err instanceof ApiError)) return t('common.unknownError');
  if (err.status === 0) return t('common.networkError');
  if (err.status === 429) return t('auth.rateLimited');
  if (err.status === 423 || err.code === 'account_locked')
    return [t('auth.locked'), err.detail].filter(Boolean).join(' ');
  if (err.code === 'invalid_credentials' || err.status === 401) return t('auth.invalidCredentials');
  if (err.status === 400 && err.errors.some((e) => e.field.includes('code'))) return t('auth.invalidCode');
  return err.detail || err.title;
}

/** Sign-in: e-mail and password, then the MFA code, or MFA enrolment when the organization requires it. */
export function SignInPage() {
  const { t } = useTranslation();
  const { status } = useSession();
  const step = status.kind === 'mfa' ? status.mfa : 'password';
  return (
    <div className="signin">
      <DemoBanner />
      <div className="signin__lang">
        <LanguageSelect />
      </div>
      <main id="main" className="signin__card" tabIndex={-1}>
        <div className="brand brand--large">
          <span className="brand__mark" aria-hidden="true" />
          <span>{t('common.appName')}</span>
        </div>
        <p className="muted">{t('common.tagline')}</p>
        {step === 'password' && (
          <PasswordStep expired={status.kind === 'signed_out' && status.expired === true} />
        )}
        {step === 'verify' && <VerifyStep />}
        {step === 'enroll' && <EnrollStep />}
      </main>
    </div>
  );
}

function PasswordStep({ expired }: { expired: boolean }) {
  const { t } = useTranslation();
  const { login } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      await login(String(data.get('email') ?? '').trim(), String(data.get('password') ?? ''));
    } catch (err) {
      setError(signInError(err, t));
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} noValidate={false}>
      <h1>{t('auth.signInTitle')}</h1>
      <p>{t('auth.signInIntro')}</p>
      {expired && !error && (
        <p className="notice notice--info" role="status">
          {t('auth.sessionExpired')}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert" id="signin-error">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor="email">{t('auth.email')}</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          aria-describedby={error ? 'signin-error' : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor="password">{t('auth.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required />
      </div>
      <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
        {busy ? t('auth.signingIn') : t('auth.signIn')}
      </button>
    </form>
  );
}

function BackToPassword() {
  const { t } = useTranslation();
  const { logout } = useSession();
  return (
    <button type="button" className="btn btn--link" onClick={() => void logout()}>
      {t('auth.useAnotherAccount')}
    </button>
  );
}

function VerifyStep() {
  const { t } = useTranslation();
  const { complete } = useSession();
  const form = useCodeSubmit('/auth/mfa/verify', complete);

  return (
    <form className="stack" onSubmit={form.submit}>
      <h1>{t('auth.mfaTitle')}</h1>
      <p>{t('auth.mfaIntro')}</p>
      <FormAlert message={form.error} />
      <CodeInput id="code" autoFocus />
      <button type="submit" className="btn btn--primary btn--block" disabled={form.busy}>
        {t('auth.verify')}
      </button>
      <BackToPassword />
    </form>
  );
}

/**
 * Posts the form's `code` to an MFA endpoint that answers with the signed-in user, and hands the
 * user and CSRF token on. A refused code (401) reads as "invalid code", not as a lost session.
 */
function useCodeSubmit(path: string, onDone: (user: Me, csrfToken: string) => void) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = String(new FormData(event.currentTarget).get('code') ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const result = await api<{ user: Me; csrfToken: string }>('POST', path, {
        body: { code },
        quiet401: true,
      });
      onDone(result.user, result.csrfToken);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? t('auth.invalidCode') : signInError(err, t));
      setBusy(false);
    }
  }

  return { busy, error, setError, submit };
}

/** A step's error sentence, announced when it appears. */
function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="form-error" role="alert">
      {message}
    </p>
  );
}

/** The enrolment panel: QR code, secret and the first code. Also used on the security page. */
export function MfaEnrollment({ onActivated }: { onActivated: (user: Me, csrfToken: string) => void }) {
  const { t } = useTranslation();
  const [enrollment, setEnrollment] = useState<MfaEnrollmentStart | null>(null);
  const form = useCodeSubmit('/auth/mfa/activate', onActivated);
  const { setError } = form;

  useEffect(() => {
    let live = true;
    api<MfaEnrollmentStart>('POST', '/auth/mfa/enroll', { body: {}, quiet401: true }).then(
      (e) => live && setEnrollment(e),
      (err) => live && setError(signInError(err, t)),
    );
    return () => {
      live = false;
    };
  }, [t, setError]);

  if (!enrollment && !form.error) return <Spinner block />;
  return (
    <form className="stack" onSubmit={form.submit}>
      <FormAlert message={form.error} />
      {enrollment && (
        <div className="enroll">
          <img
            src={enrollment.qrDataUrl}
            alt={t('auth.qrAlt')}
            width={192}
            height={192}
            className="enroll__qr"
          />
          <div className="field">
            <span className="field__label">{t('auth.secret')}</span>
            <code className="secret" dir="ltr">
              {enrollment.secret}
            </code>
          </div>
        </div>
      )}
      <CodeInput id="code" autoFocus />
      <button type="submit" className="btn btn--primary btn--block" disabled={form.busy || !enrollment}>
        {t('auth.activate')}
      </button>
    </form>
  );
}

function EnrollStep() {
  const { t } = useTranslation();
  const { complete } = useSession();
  return (
    <div className="stack">
      <h1>{t('auth.enrollTitle')}</h1>
      <p>{t('auth.enrollIntro')}</p>
      <MfaEnrollment onActivated={complete} />
      <BackToPassword />
    </div>
  );
}
