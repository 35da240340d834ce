import { Type } from '@sinclair/typebox';

/**
 * A string restricted to a vocabulary. A plain JSON-Schema `enum` (rather than a union of
 * literals) makes Ajv report one error naming the allowed values instead of one per literal.
 */
export function StringEnum<T extends string>(values: readonly T[], opts: { description?: string } = {}) {
  return Type.Unsafe<T>({ type: 'string', enum: [...values], ...opts });
}
