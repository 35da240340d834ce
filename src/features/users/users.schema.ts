import { type Static, Type } from '@sinclair/typebox';
import { ROLES } from '../../domain/vocabulary.js';
import { TOKEN_SCOPES } from '../../platform/auth/actor.js';
import { StringEnum } from '../../platform/http/schema.js';

export const RoleSchema = StringEnum(ROLES);
export const ScopeSchema = StringEnum(TOKEN_SCOPES);
const DateTime = Type.String({ format: 'date-time' });
const NullableDateTime = Type.Union([DateTime, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });

/** Minimum password length (NIST SP 800-63B asks for at least 8; we ask more of shared-intelligence users). */
export const MIN_PASSWORD_LENGTH = 12;
/** argon2 cost grows with input; a cap keeps a huge "password" from becoming a denial of service. */
export const MAX_PASSWORD_LENGTH = 256;
export const MAX_TOKEN_DAYS = 365;

export const MeOrganization = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  mfaRequired: Type.Boolean(),
});

export const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(RoleSchema),
  locale: Type.String(),
  mfaEnabled: Type.Boolean(),
  organization: MeOrganization,
  permissions: Type.Array(Type.String()),
});
export type Me = Static<typeof Me>;

export const MfaState = StringEnum(['none', 'verify', 'enroll'] as const);
export type MfaState = Static<typeof MfaState>;

export const LoginBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 320 }),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);

export const LoginResponse = Type.Object({ user: Me, csrfToken: Type.String(), mfa: MfaState });
export const SessionResponse = Type.Object({
  user: Me,
  /** Null for API-token requests, which need no CSRF token. */
  csrfToken: Type.Union([Type.String(), Type.Null()]),
});
export const MeResponse = Type.Object({ user: Me });
export const MeWithCsrfResponse = Type.Object({ user: Me, csrfToken: Type.String() });

export const MfaCodeBody = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$', description: 'The 6-digit code of the authenticator app.' }) },
  { additionalProperties: false },
);
export const MfaEnrollResponse = Type.Object({
  secret: Type.String({ description: 'Base32 TOTP secret, for manual entry.' }),
  otpauthUrl: Type.String(),
  qrDataUrl: Type.String(),
});

export const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the token, to recognise it.' }),
  scopes: Type.Array(ScopeSchema),
  expiresAt: DateTime,
  createdAt: DateTime,
  lastUsedAt: NullableDateTime,
  revokedAt: NullableDateTime,
  status: StringEnum(['active', 'expired', 'revoked'] as const),
});
export type ApiToken = Static<typeof ApiToken>;

export const ListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

export const ApiTokenList = Type.Object({
  items: Type.Array(ApiToken),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const TokenCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(ScopeSchema, { minItems: 1, uniqueItems: true }),
    expiresInDays: Type.Integer({ minimum: 1, maximum: MAX_TOKEN_DAYS }),
  },
  { additionalProperties: false },
);

export const TokenCreated = Type.Object({
  id: Type.String(),
  token: Type.String({ description: 'The secret; shown this once and never again.' }),
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(ScopeSchema),
  expiresAt: DateTime,
  createdAt: DateTime,
});

export const IdParams = Type.Object({ id: Uuid });

export const OrgRef = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  kind: Type.String(),
});

export const User = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(RoleSchema),
  locale: Type.String(),
  mfaEnabled: Type.Boolean(),
  disabled: Type.Boolean(),
  disabledAt: NullableDateTime,
  lockedUntil: NullableDateTime,
  lastLoginAt: NullableDateTime,
  createdAt: DateTime,
  updatedAt: DateTime,
  organization: OrgRef,
  permissions: Type.Array(Type.String()),
});
export type User = Static<typeof User>;

export const UsersQuery = Type.Object(
  {
    organization: Type.Optional(Uuid),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    offset: Type.Integer({ minimum: 0, default: 0 }),
  },
  { additionalProperties: false },
);

export const UserList = Type.Object({
  items: Type.Array(User),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
});

export const UserCreateBody = Type.Object(
  {
    organizationId: Type.Optional(Uuid),
    email: Type.String({ format: 'email', maxLength: 320 }),
    displayName: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
    roles: Type.Array(RoleSchema, { minItems: 1, uniqueItems: true }),
    locale: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[A-Z]{2})?$' })),
  },
  { additionalProperties: false },
);

export const UserPatchBody = Type.Object(
  {
    roles: Type.Optional(Type.Array(RoleSchema, { minItems: 1, uniqueItems: true })),
    disabled: Type.Optional(Type.Boolean()),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    resetMfa: Type.Optional(
      Type.Literal(true, {
        description:
          'Remove the second factor (lost device); the user enrols again at next sign-in if required.',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const OrgSecurityBody = Type.Object({ mfaRequired: Type.Boolean() }, { additionalProperties: false });
export const OrgSecurity = Type.Object({ id: Type.String(), mfaRequired: Type.Boolean() });
