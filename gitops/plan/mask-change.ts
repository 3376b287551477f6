import { maskValue } from '../../kernel/mask.ts';
import type { FieldChange } from './types.ts';

/** A field change with its values masked; the last key of its path says whether they are credentials. */
export function maskFieldChange(field: FieldChange): FieldChange {
  const key = [...field.path].reverse().find((p): p is string => typeof p === 'string');
  const masked: FieldChange = { op: field.op, path: field.path };
  if ('before' in field) masked.before = maskValue(field.before, key);
  if ('after' in field) masked.after = maskValue(field.after, key);
  return masked;
}
