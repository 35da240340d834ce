/** One offending input: which field, which rule it broke, and a sentence for people. */
export interface FieldError {
  field: string;
  rule: string;
  message: string;
}

/**
 * An RFC 9457 problem. Services throw these; the error handler renders them as
 * `application/problem+json` with a stable `code` clients can branch on.
 */
export class Problem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly errors: FieldError[];
  readonly extra: Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    title: string,
    detail?: string,
    errors: FieldError[] = [],
    extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = errors;
    this.extra = extra;
  }

  /** The problem+json body. */
  toJSON(instance?: string): Record<string, unknown> {
    return {
      type: `https://entente.example/problems/${this.code}`,
      title: this.title,
      status: this.status,
      code: this.code,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(this.errors.length > 0 ? { errors: this.errors } : {}),
      ...this.extra,
    };
  }
}

/** 400: the input broke a rule; names the field and the rule. */
export function invalid(field: string, rule: string, message: string): Problem {
  return new Problem(400, 'validation_failed', 'The request is not valid', message, [
    { field, rule, message },
  ]);
}

/** 400 with several field errors at once. */
export function invalidMany(errors: FieldError[]): Problem {
  return new Problem(
    400,
    'validation_failed',
    'The request is not valid',
    errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
  );
}

/** 401: no valid credentials. */
export function unauthenticated(detail = 'Sign in or present a valid API token.'): Problem {
  return new Problem(401, 'unauthenticated', 'Authentication required', detail);
}

/** 403: the object is readable but this action is not allowed. */
export function forbidden(detail = 'You may not perform this action.', code = 'forbidden'): Problem {
  return new Problem(403, code, 'Forbidden', detail);
}

/** 404: does not exist, or exists but is not readable by this actor (no existence leak). */
export function notFound(what = 'resource'): Problem {
  return new Problem(404, 'not_found', 'Not found', `No such ${what}, or you may not see it.`);
}

/** 409: the request conflicts with the object's current state. */
export function conflict(code: string, detail: string): Problem {
  return new Problem(409, code, 'Conflict', detail);
}
