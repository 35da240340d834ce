import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../src/domain/vocabulary.js';
import { get, patch, post } from '../../api/client.js';
import type { Paged, User } from '../../api/types.js';
import { useMe, useSession } from '../../auth/session.js';
import { Dialog } from '../../ui/dialog.js';
import { CheckboxGroup, Field, FormActions, FormErrorSummary, useFormSubmit } from '../../ui/form.js';
import { formatDateTime } from '../../ui/format.js';
import { DataTable, ListView } from '../../ui/list-view.js';
import { PageHeader } from '../../ui/page-header.js';
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
  const users = useApi(`users-${offset}`, (signal) =>
    get<Paged<User>>('/users', { limit: LIMIT, offset }, signal),
  );
  const [creating, setCreating] = useState(false);
  // Platform administrators may see users from several organizations.
  const manyOrgs = new Set(users.data?.items.map((u) => u.organization.id)).size > 1;

  async function toggle(user: User) {
    try {
      await patch<User>(`/users/${user.id}`, { disabled: !user.disabled });
      toast(user.disabled ? t('admin.userEnabled') : t('admin.userDisabled'));
      users.reload();
    } catch (err) {
      toast(err instanceof Error ? err.message : t('common.unknownError'), 'error');
    }
  }

  return (
    <div className="page">
      <PageHeader
        title={t('admin.usersTitle')}
        intro={t('admin.usersIntro', { org: me.organization.name })}
        actions={
          <button type="button" className="btn btn--primary" onClick={() => setCreating(true)}>
            {t('admin.createUser')}
          </button>
        }
      />
      <OrgSecurity />
      <ListView
        state={users}
        empty={t('admin.noUsers')}
        skeleton={{ columns: 5 }}
        paging={{ limit: LIMIT, offset, onChange: setOffset }}
      >
        {(data) => (
          <DataTable
            columns={[
              t('admin.displayName'),
              t('admin.roles'),
              t('admin.mfa'),
              t('admin.lastLogin'),
              t('admin.status'),
            ]}
            actionsColumn
          >
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
          </DataTable>
        )}
      </ListView>
      <Dialog open={creating} title={t('admin.createUser')} onClose={() => setCreating(false)}>
        <CreateUserForm
          onDone={() => {
            setCreating(false);
            toast(t('admin.userCreated'));
            users.reload();
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
  const [roles, setRoles] = useState<Role[]>(['analyst']);
  // An organization administrator cannot hand out the platform role.
  const grantable = me.roles.includes('platform_admin') ? ROLES : ROLES.filter((r) => r !== 'platform_admin');
  const { submit, busy, ...errors } = useFormSubmit(async (form) => {
    await post<User>('/users', {
      email: String(form.get('email') ?? '').trim(),
      displayName: String(form.get('displayName') ?? '').trim(),
      password: String(form.get('password') ?? ''),
      roles,
    });
    onDone();
  });

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
      <FormActions
        submitLabel={t('common.create')}
        busy={busy}
        disabled={roles.length === 0}
        cancel={onCancel}
      />
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
