import type { FastifyError, FastifyInstance } from 'fastify';
import { type FieldError, Problem } from './problem.js';

interface AjvError {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** Turns Ajv's validation output into field errors: `body.handling.tlp` + rule `enum`. */
function fieldErrors(validation: AjvError[], context: string | undefined): FieldError[] {
  return validation.map((v) => {
    const base = (v.instancePath ?? '').replace(/^\//, '').replaceAll('/', '.');
    const missing = v.keyword === 'required' ? String(v.params?.missingProperty ?? '') : '';
    const extra = v.keyword === 'additionalProperties' ? String(v.params?.additionalProperty ?? '') : '';
    const path = [context ?? 'body', base, missing || extra].filter((s) => s.length > 0).join('.');
    const allowed = Array.isArray(v.params?.allowedValues)
      ? `: ${(v.params.allowedValues as unknown[]).join(', ')}`
      : '';
    return { field: path, rule: v.keyword ?? 'invalid', message: `${v.message ?? 'is invalid'}${allowed}` };
  });
}

/**
 * Every error leaves as RFC 9457 problem+json. Validation problems are 400 with the field and
 * rule; unknown errors are 500 with nothing internal disclosed (the log keeps the detail).
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Problem | Error, request, reply) => {
    let problem: Problem;
    if (error instanceof Problem) {
      problem = error;
    } else if ('validation' in error && Array.isArray(error.validation)) {
      const errors = fieldErrors(error.validation as AjvError[], (error as FastifyError).validationContext);
      problem = new Problem(
        400,
        'validation_failed',
        'The request is not valid',
        errors.map((e) => `${e.field}: ${e.message}`).join('; '),
        errors,
      );
    } else if ('statusCode' in error && typeof error.statusCode === 'number' && error.statusCode < 500) {
      const code = String((error as FastifyError).code ?? 'bad_request')
        .replace(/^FST_ERR_/, '')
        .toLowerCase();
      const status = error.statusCode;
      const title =
        status === 413
          ? 'Request body too large'
          : status === 429
            ? 'Too many requests'
            : 'The request cannot be processed';
      problem = new Problem(status, code, title, error.message);
    } else {
      request.log.error({ err: error }, 'unhandled error');
      problem = new Problem(
        500,
        'internal_error',
        'Internal error',
        'Something went wrong on our side; it has been logged.',
      );
    }
    if (problem.status === 429 && 'headers' in error) {
      // keep Retry-After set by the rate limiter
    }
    void reply.status(problem.status).type('application/problem+json').send(problem.toJSON(request.url));
  });
}
