import { DATA_READER_ROLES, DATA_WRITER_ROLES, ROLES, type Role } from '../../domain/vocabulary.js';
import { type Actor, hasRole, TOKEN_SCOPES, type TokenScope } from '../../platform/auth/actor.js';

/** Platform-level actions the web application shows or hides buttons for (`Me.permissions`). */
export const PLATFORM_PERMISSIONS = [
  'records.read',
  'records.create',
  'agreements.read',
  'agreements.create',
  'organizations.read',
  'audit.read',
  'users.manage',
  'organizations.manage',
  'tokens.manage',
] as const;
export type PlatformPermission = (typeof PLATFORM_PERMISSIONS)[number];

const ALL_ROLES: readonly Role[] = ROLES;
const ADMIN_ROLES: readonly Role[] = ['org_admin', 'platform_admin'];

/** Which roles grant each platform permission. One table, so the UI and the server agree. */
const PERMISSION_ROLES: Record<PlatformPermission, readonly Role[]> = {
  'records.read': DATA_READER_ROLES,
  'records.create': DATA_WRITER_ROLES,
  'agreements.read': ALL_ROLES,
  'agreements.create': ADMIN_ROLES,
  'organizations.read': ALL_ROLES,
  'audit.read': ['auditor'],
  'users.manage': ADMIN_ROLES,
  'organizations.manage': ['platform_admin'],
  'tokens.manage': ALL_ROLES,
};

/** Which roles may put each scope on an API token: a token never carries more than its owner's roles. */
const SCOPE_ROLES: Record<TokenScope, readonly Role[]> = {
  'records:read': DATA_READER_ROLES,
  'records:write': DATA_WRITER_ROLES,
  'agreements:read': ALL_ROLES,
  'agreements:write': ADMIN_ROLES,
  'organizations:read': ALL_ROLES,
  'audit:read': ['auditor'],
  'match:read': DATA_READER_ROLES,
  'match:check': DATA_WRITER_ROLES,
  'match:write': DATA_WRITER_ROLES,
  admin: ADMIN_ROLES,
};

/** The platform permissions the roles grant, in the fixed order of PLATFORM_PERMISSIONS. */
export function permissionsFor(roles: readonly Role[]): PlatformPermission[] {
  return PLATFORM_PERMISSIONS.filter((p) => PERMISSION_ROLES[p].some((r) => roles.includes(r)));
}

/** The token scopes the roles allow, in the fixed order of TOKEN_SCOPES. */
export function scopesAllowedFor(roles: readonly Role[]): TokenScope[] {
  return TOKEN_SCOPES.filter((s) => SCOPE_ROLES[s].some((r) => roles.includes(r)));
}

/** The subset of `wanted` the roles do not allow (empty when every scope may be granted). */
export function disallowedScopes(roles: readonly Role[], wanted: readonly TokenScope[]): TokenScope[] {
  const allowed = scopesAllowedFor(roles);
  return wanted.filter((s) => !allowed.includes(s));
}

/** True when the actor administers users at all (org_admin or platform_admin). */
export function canManageUsers(actor: Actor): boolean {
  return hasRole(actor, 'org_admin', 'platform_admin');
}

/**
 * Whether the actor may see (and so manage) users of an organization: platform admins everywhere,
 * org admins in their own organization only. Users elsewhere are unreadable (404).
 */
export function canManageUsersOf(actor: Actor, organizationId: string): boolean {
  if (hasRole(actor, 'platform_admin')) return true;
  return hasRole(actor, 'org_admin') && actor.organizationId === organizationId;
}

/**
 * Whether the actor may grant or withdraw these roles. `platform_admin` is only in a platform
 * admin's gift, and an org admin cannot change a platform admin's account.
 */
export function canAssignRoles(actor: Actor, before: readonly Role[], after: readonly Role[]): boolean {
  if (hasRole(actor, 'platform_admin')) return true;
  return !before.includes('platform_admin') && !after.includes('platform_admin');
}

/** Whether the actor may change an organization's security settings (MFA requirement). */
export function canManageOrganizationSecurity(actor: Actor, organizationId: string): boolean {
  return canManageUsersOf(actor, organizationId);
}

/** The actions the actor may take on one user account, for the UI (`User.permissions`). */
export function userPermissions(
  actor: Actor,
  target: { id: string; organizationId: string; roles: readonly Role[] },
): string[] {
  if (!canManageUsersOf(actor, target.organizationId)) return [];
  if (!canAssignRoles(actor, target.roles, target.roles)) return [];
  const permissions = ['users.update', 'users.roles'];
  // Nobody disables their own account: the last admin would lock the organization out.
  if (target.id !== actor.userId) permissions.push('users.disable', 'users.reset_mfa');
  return permissions;
}
