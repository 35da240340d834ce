import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../domain/vocabulary.js';
import type { Actor } from '../../platform/auth/actor.js';
import {
  canAssignRoles,
  disallowedScopes,
  permissionsFor,
  scopesAllowedFor,
  userPermissions,
} from './users.policy.js';

const actor = (roles: Role[], organizationId = 'org-a', userId = 'u1'): Actor => ({
  userId,
  organizationId,
  email: 'a@b.c',
  displayName: 'A',
  roles,
  via: 'session',
  scopes: null,
});

describe('permissionsFor (role × platform permission)', () => {
  const table: Record<Role, string[]> = {
    platform_admin: [
      'records.read',
      'agreements.read',
      'agreements.create',
      'organizations.read',
      'users.manage',
      'organizations.manage',
      'tokens.manage',
    ],
    org_admin: [
      'records.read',
      'records.create',
      'agreements.read',
      'agreements.create',
      'organizations.read',
      'users.manage',
      'tokens.manage',
    ],
    analyst: ['records.read', 'records.create', 'agreements.read', 'organizations.read', 'tokens.manage'],
    investigator: [
      'records.read',
      'records.create',
      'agreements.read',
      'organizations.read',
      'tokens.manage',
    ],
    liaison: ['records.read', 'records.create', 'agreements.read', 'organizations.read', 'tokens.manage'],
    auditor: ['agreements.read', 'organizations.read', 'audit.read', 'tokens.manage'],
    viewer: ['records.read', 'agreements.read', 'organizations.read', 'tokens.manage'],
  };
  for (const role of ROLES) {
    it(role, () => {
      expect(permissionsFor([role])).toEqual(table[role]);
    });
  }
  it('unites the permissions of several roles', () => {
    expect(permissionsFor(['auditor', 'analyst'])).toEqual(
      expect.arrayContaining(['audit.read', 'records.create']),
    );
  });
});

describe('token scopes', () => {
  it('allow audit:read only to auditors and admin only to administrators', () => {
    expect(scopesAllowedFor(['analyst'])).toEqual([
      'records:read',
      'records:write',
      'agreements:read',
      'organizations:read',
      'match:read',
      'match:check',
      'match:write',
    ]);
    expect(scopesAllowedFor(['viewer'])).toContain('match:read');
    expect(scopesAllowedFor(['viewer'])).not.toContain('match:check');
    expect(scopesAllowedFor(['auditor'])).toEqual(['agreements:read', 'organizations:read', 'audit:read']);
    expect(scopesAllowedFor(['org_admin'])).toContain('admin');
    expect(disallowedScopes(['viewer'], ['records:read', 'records:write', 'admin'])).toEqual([
      'records:write',
      'admin',
    ]);
  });
});

describe('user administration', () => {
  it('keeps platform_admin in platform admins’ hands', () => {
    expect(canAssignRoles(actor(['org_admin']), ['analyst'], ['analyst', 'auditor'])).toBe(true);
    expect(canAssignRoles(actor(['org_admin']), ['analyst'], ['platform_admin'])).toBe(false);
    expect(canAssignRoles(actor(['org_admin']), ['platform_admin'], ['analyst'])).toBe(false);
    expect(canAssignRoles(actor(['platform_admin']), ['analyst'], ['platform_admin'])).toBe(true);
  });
  it('gives per-user actions only within the administered organization', () => {
    const admin = actor(['org_admin']);
    expect(userPermissions(admin, { id: 'u2', organizationId: 'org-a', roles: ['analyst'] })).toContain(
      'users.disable',
    );
    expect(userPermissions(admin, { id: 'u1', organizationId: 'org-a', roles: ['org_admin'] })).not.toContain(
      'users.disable',
    );
    expect(userPermissions(admin, { id: 'u3', organizationId: 'org-b', roles: ['analyst'] })).toEqual([]);
    expect(
      userPermissions(actor(['analyst']), { id: 'u2', organizationId: 'org-a', roles: ['analyst'] }),
    ).toEqual([]);
  });
});
