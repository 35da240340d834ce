import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../src/domain/vocabulary.js';
import { ApiError, get, patch, post } from '../../api/client.js';
import type { Paged, User } from '../../api/types.js';
import { useMe, useSession } from '../../auth/session.js';
import { Dialog } from '../../ui/dialog.js';
import { CheckboxGroup, Field, FormErrorSummary, useFormErrors } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { Pagination } from '../../ui/pagination.js';
import { EmptyState, ErrorState, SkeletonRows } from '../../ui/states.js';
import { useToast } from '../../ui/toast.js';
import { useApi } from '../../ui/use-api.js';
import { vocabLabel } from '../../ui/vocab.js';

const LIMIT = 50;

/** Organization administrators: the organization's users, creating and disabling them, and MFA policy. */
export function UsersPage() {
  const { t } = useTranslation();
  const me = useMe();
  const toast = useToast();
  const [offset, setOffset] = useState(0);
  const { data, error, loading, reload } = useApi(`users-${offset}`, (signal) =>
    get<Paged<User>>('/users', { limit: LIMIT, offset }, signal),
  );
  const [creating, setCreating] = useState(false);
  // Platform administrators may see users from several organizations.
  const manyOrgs = new Set(data?.items.map((u) => u.organization.id)).size > 1;

  async function toggle(user: User) {
    try {
      await patch<User>(`/users/${user.id}`, { disabled: !user.disabled });
      toast(user.disabled ? t('admin.userEnabled') : t('admin.userDisabled'));
      reload();
    } catch (err) {
      toast(err instanceof Error ? err.message : t('common.unknownError'), 'error');
    }
  }

  return (
    <div className="page">
      <header className="page__header">
        <div>
          <h1>{t('admin.usersTitle')}</h1>
          <p className="muted">{t('admin.usersIntro', { org: me.organization.name })}</p>
        </div>
        <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
          {t('admin.createUser')}
        </button>
      </header>
      <OrgSecurity />
      {error ? (
        <ErrorState error={error} onRetry={reload} />
      ) : loading && !data ? (
        <SkeletonRows columns={5} />
      ) : data && data.items.length === 0 ? (
        <EmptyState>{t('admin.noUsers')}</EmptyState>
      ) : data ? (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t('admin.displayName')}</th>
                  <th scope="col">{t('admin.roles')}</th>
                  <th scope="col">{t('admin.mfa')}</th>
                  <th scope="col">{t('admin.lastLogin')}</th>
                  <th scope="col">{t('admin.status')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('common.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((u) => (
                  <tr key={u.id} className={u.disabled ? 'row--muted' : undefined}>
                    <td>
                      <span className="strong">{u.displayName}</span>
                      <div className="muted small" dir="ltr">
                        {u.email}
                      </div>
                      {manyOrgs && <div className="muted small">{u.organization.name}</div>}
                    </td>
                    <td className="small">{u.roles.map((r) => vocabLabel('role', r)).join(', ')}</td>
                    <td className="small">{u.mfaEnabled ? t('common.yes') : t('common.no')}</td>
                    <td className="small nowrap">
                      {u.lastLoginAt ? formatDateTime(u.lastLoginAt) : t('admin.never')}
                    </td>
                    <td>
                      <span className={`chip chip--${u.disabled ? 'muted' : 'ok'}`}>
                        {u.disabled ? t('admin.disabled') : t('admin.enabled')}
                      </span>
                    </td>
                    <td>
                      {u.permissions.includes('users.disable') && (
                        <button
                          type="button"
                          className={`btn btn--small${u.disabled ? '' : ' btn--danger'}`}
                          onClick={() => void toggle(u)}
                        >
                          {u.disabled ? t('admin.enable') : t('admin.disable')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination total={data.total} limit={LIMIT} offset={offset} onChange={setOffset} />
        </>
      ) : null}
      <Dialog open={creating} title={t('admin.createUser')} onClose={() => setCreating(false)}>
        <CreateUserForm
          onDone={() => {
            setCreating(false);
            toast(t('admin.userCreated'));
            reload();
          }}
          onCancel={() => setCreating(false)}
        />
      </Dialog>
    </div>
  );
}

function CreateUserForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const errors = useFormErrors();
  const [roles, setRoles] = useState<Role[]>(['analyst']);
  const [busy, setBusy] = useState(false);
  // An organization administrator cannot hand out the platform role.
  const grantable = me.roles.includes('platform_admin') ? ROLES : ROLES.filter((r) => r !== 'platform_admin');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    errors.setError(null);
    try {
      await post<User>('/users', {
        email: String(form.get('email') ?? '').trim(),
        displayName: String(form.get('displayName') ?? '').trim(),
        password: String(form.get('password') ?? ''),
        roles,
      });
      onDone();
    } catch (err) {
      errors.setError(err instanceof ApiError ? err : new ApiError(0, {}));
      setBusy(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit}>
      <FormErrorSummary error={errors.error} mapped={['email', 'displayName', 'password', 'roles']} />
      <Field label={t('admin.displayName')} error={errors.field('displayName')} required>
        {({ id }) => <input id={id} name="displayName" required autoComplete="off" />}
      </Field>
      <Field label={t('admin.email')} error={errors.field('email')} required>
        {({ id }) => <input id={id} name="email" type="email" required autoComplete="off" dir="ltr" />}
      </Field>
      <Field
        label={t('admin.password')}
        hint={t('admin.passwordHint')}
        error={errors.field('password')}
        required
      >
        {({ id, describedBy }) => (
          <input
            id={id}
            name="password"
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
            aria-describedby={describedBy}
          />
        )}
      </Field>
      <CheckboxGroup
        legend={t('admin.roles')}
        options={grantable}
        value={roles}
        onChange={(v) => setRoles(v as Role[])}
        labels="role"
        required
        error={errors.field('roles')}
      />
      <div className="button-row button-row--end">
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="btn btn--primary" disabled={busy || roles.length === 0}>
          {busy ? t('common.saving') : t('common.create')}
        </button>
      </div>
    </form>
  );
}

function OrgSecurity() {
  const { t } = useTranslation();
  const me = useMe();
  const { refresh } = useSession();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  if (!me.roles.includes('org_admin')) return null;
  return (
    <section className="card" aria-labelledby="orgsec-title">
      <h2 id="orgsec-title">{t('admin.orgSecurity')}</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={me.organization.mfaRequired}
          disabled={busy}
          onChange={async (e) => {
            setBusy(true);
            try {
              await patch(`/organizations/${me.organization.id}/security`, { mfaRequired: e.target.checked });
              await refresh();
              toast(t('admin.requireMfaSaved'));
            } catch (err) {
              toast(err instanceof Error ? err.message : t('common.unknownError'), 'error');
            } finally {
              setBusy(false);
            }
          }}
        />
        <span>{t('admin.requireMfa', { org: me.organization.name })}</span>
      </label>
    </section>
  );
}
