import type { FastifyRequest } from 'fastify';
import type { Role } from '../../domain/vocabulary.js';
import { type Actor, hasRole, hasScope, type TokenScope } from '../auth/actor.js';
import { forbidden, unauthenticated } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook; null for anonymous requests. */
    actor: Actor | null;
  }
}

/**
 * The request's actor, or a 401. With `scope`, a token without that scope gets a 403; with
 * `roles`, an actor holding none of them gets a 403.
 */
export function requireActor(
  request: FastifyRequest,
  opts: { scope?: TokenScope; roles?: Role[] } = {},
): Actor {
  const actor = request.actor;
  if (!actor) throw unauthenticated();
  if (opts.scope && !hasScope(actor, opts.scope)) {
    throw forbidden(`This API token lacks the "${opts.scope}" scope.`, 'insufficient_scope');
  }
  if (opts.roles && !hasRole(actor, ...opts.roles)) {
    throw forbidden(`This action needs one of the roles: ${opts.roles.join(', ')}.`, 'role_required');
  }
  return actor;
}
