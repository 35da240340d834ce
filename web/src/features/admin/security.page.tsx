import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { scopesAllowedFor } from '../../../../src/features/users/users.policy.js';
import { del, get, post } from '../../api/client.js';
import type { ApiToken, ApiTokenCreated, Me, Paged } from '../../api/types.js';
import { useMe, useSession } from '../../auth/session.js';
import { MfaEnrollment } from '../../auth/sign-in.page.js';
import { CodeInput } from '../../ui/code-input.js';
import { Dialog, FormDialog } from '../../ui/dialog.js';
import { CheckboxGroup, Field, FormActions, FormErrorSummary, useFormSubmit } from '../../ui/form.js';
import { formatDate, formatDateTime } from '../../ui/format.js';
import { DataTable, ListView } from '../../ui/list-view.js';
import { PageHeader } from '../../ui/page-header.js';
import { useToast } from '../../ui/toast.js';
import { useApi } from '../../ui/use-api.js';
import { vocabLabel } from '../../ui/vocab.js';

/** The user's own security: the second factor and personal API tokens. */
export function SecurityPage() {
  const { t } = useTranslation();
  return (
    <div className="page">
      <PageHeader title={t('admin.securityTitle')} intro={t('admin.securityIntro')} />
      <MfaSection />
      <TokensSection />
    </div>
  );
}

function MfaSection() {
  const { t } = useTranslation();
  const me = useMe();
  const { complete, refresh } = useSession();
  const toast = useToast();
  const [enrolling, setEnrolling] = useState(false);
  const [disabling, setDisabling] = useState(false);
  return (
    <section className="card stack" aria-labelledby="mfa-title">
      <h2 id="mfa-title">{t('admin.mfa')}</h2>
      <p className={`notice ${me.mfaEnabled ? 'notice--ok' : 'notice--info'}`}>
        {me.mfaEnabled ? t('admin.mfaOn') : t('admin.mfaOff')}
      </p>
      <div className="button-row">
        {!me.mfaEnabled && !enrolling && (
          <button type="button" className="btn btn--primary" onClick={() => setEnrolling(true)}>
            {t('admin.mfaEnroll')}
          </button>
        )}
        {me.mfaEnabled &&
          (me.organization.mfaRequired ? (
            <p className="muted small">{t('admin.mfaRequiredByOrg')}</p>
          ) : (
            <button type="button" className="btn btn--danger" onClick={() => setDisabling(true)}>
              {t('admin.mfaDisable')}
            </button>
          ))}
      </div>
      {enrolling && !me.mfaEnabled && (
        <div className="enroll-panel">
          <p>{t('admin.mfaEnrollIntro')}</p>
          <MfaEnrollment
            onActivated={(user, csrf) => {
              complete(user, csrf);
              setEnrolling(false);
              toast(t('admin.mfaEnabledToast'));
            }}
          />
        </div>
      )}
      <FormDialog
        open={disabling}
        title={t('admin.mfaDisable')}
        intro={t('admin.mfaDisableIntro')}
        submitLabel={t('admin.mfaDisable')}
        danger
        onClose={() => setDisabling(false)}
        onSubmit={async (form) => {
          await post<{ user: Me }>('/auth/mfa/disable', { code: String(form.get('code') ?? '').trim() });
          await refresh();
          toast(t('admin.mfaDisabledToast'));
        }}
      >
        <CodeInput id="disable-code" />
      </FormDialog>
    </section>
  );
}

function TokensSection() {
  const { t } = useTranslation();
  const toast = useToast();
  const tokens = useApi('tokens', (signal) => get<Paged<ApiToken>>('/tokens', { limit: 200 }, signal));
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);

  return (
    <section className="card stack" aria-labelledby="tokens-title">
      <div className="section-header">
        <div>
          <h2 id="tokens-title">{t('admin.tokens')}</h2>
          <p className="muted">{t('admin.tokensIntro')}</p>
        </div>
        <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
          {t('admin.createToken')}
        </button>
      </div>
      {created && (
        <div className="notice notice--warn" role="status">
          <p>
            <strong>{t('admin.tokenCreated')}</strong>
          </p>
          <div className="token-once">
            <code className="secret" dir="ltr">
              {created.token}
            </code>
            <button
              type="button"
              className="btn btn--small"
              onClick={() =>
                void navigator.clipboard?.writeText(created.token).then(
                  () => toast(t('common.copied')),
                  () => {},
                )
              }
            >
              {t('common.copy')}
            </button>
          </div>
        </div>
      )}
      <ListView state={tokens} empty={t('admin.noTokens')} skeleton={{ rows: 3, columns: 4 }}>
        {(data) => (
          <DataTable
            columns={[
              t('admin.tokenName'),
              t('admin.scopes'),
              t('admin.expires'),
              t('admin.lastUsed'),
              t('admin.status'),
            ]}
            actionsColumn
          >
            {data.items.map((tok) => (
              <tr key={tok.id} className={tok.status === 'active' ? undefined : 'row--muted'}>
                <td>
                  <span className="strong">{tok.name}</span>
                  <div className="muted small">
                    {t('admin.prefix')} <code dir="ltr">{tok.prefix}</code>
                  </div>
                </td>
                <td className="small">{tok.scopes.map((s) => vocabLabel('scope', s)).join(', ')}</td>
                <td className="small nowrap">{formatDate(tok.expiresAt)}</td>
                <td className="small nowrap">
                  {tok.lastUsedAt ? formatDateTime(tok.lastUsedAt) : t('admin.never')}
                </td>
                <td>
                  <span className={`chip chip--${tok.status === 'active' ? 'ok' : 'muted'}`}>
                    {vocabLabel('tokenStatus', tok.status)}
                  </span>
                </td>
                <td>
                  {tok.status === 'active' && (
                    <button
                      type="button"
                      className="btn btn--small btn--danger"
                      onClick={() => setRevoking(tok)}
                    >
                      {t('admin.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </ListView>
      <Dialog open={creating} title={t('admin.createToken')} onClose={() => setCreating(false)}>
        <CreateTokenForm
          onCancel={() => setCreating(false)}
          onCreated={(token) => {
            setCreating(false);
            setCreated(token);
            tokens.reload();
          }}
        />
      </Dialog>
      <FormDialog
        open={revoking !== null}
        title={t('admin.revoke')}
        intro={revoking ? t('admin.revokeConfirm', { name: revoking.name }) : ''}
        submitLabel={t('admin.revoke')}
        danger
        onClose={() => setRevoking(null)}
        onSubmit={async () => {
          if (!revoking) return;
          await del(`/tokens/${revoking.id}`);
          toast(t('admin.revoked'));
          tokens.reload();
        }}
      />
    </section>
  );
}

function CreateTokenForm({
  onCreated,
  onCancel,
}: {
  onCreated: (t: ApiTokenCreated) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const allowed = scopesAllowedFor(me.roles);
  const [scopes, setScopes] = useState<string[]>(allowed.filter((s) => s.endsWith(':read')));
  const { submit, busy, ...errors } = useFormSubmit(async (form) => {
    onCreated(
      await post<ApiTokenCreated>('/tokens', {
        name: String(form.get('name') ?? '').trim(),
        scopes,
        expiresInDays: Number.parseInt(String(form.get('days') ?? '90'), 10),
      }),
    );
  });

  return (
    <form className="stack" onSubmit={submit}>
      <FormErrorSummary error={errors.error} mapped={['name', 'scopes', 'expiresInDays']} />
      <Field label={t('admin.tokenName')} error={errors.field('name')} required>
        {({ id }) => <input id={id} name="name" required maxLength={100} autoComplete="off" />}
      </Field>
      <CheckboxGroup
        legend={t('admin.scopes')}
        options={allowed}
        value={scopes}
        onChange={setScopes}
        labels="scope"
        required
        columns={false}
        error={errors.field('scopes')}
      />
      <Field label={t('admin.expiresInDays')} error={errors.field('expiresInDays')} required>
        {({ id }) => <input id={id} name="days" type="number" min={1} max={365} defaultValue={90} required />}
      </Field>
      <FormActions
        submitLabel={t('admin.createToken')}
        busy={busy}
        disabled={scopes.length === 0}
        cancel={onCancel}
      />
    </form>
  );
}
