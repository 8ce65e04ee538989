import type { ZodError } from 'zod';

/**
 * Turns a zod error into `{ fieldName: message }` for inline form errors (Slack
 * `response_action: 'errors'` keyed by block ID; Teams Adaptive Card field errors).
 *
 * Field names are zod paths joined with dots (`child.pncId`). When `fields` is given, an issue is
 * attached to the longest known prefix of its path, or to `fallback` (default: the first field),
 * so every issue is shown somewhere and none is silently lost. The first message per field wins.
 */
export function formErrors(
  error: ZodError,
  fields?: readonly string[],
  fallback?: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  const known = fields ? new Set(fields) : null;
  for (const issue of error.issues) {
    const parts = issue.path.map(String);
    let name = parts.join('.');
    if (known) {
      let found: string | undefined;
      for (let n = parts.length; n > 0 && !found; n--) {
        const candidate = parts.slice(0, n).join('.');
        if (known.has(candidate)) found = candidate;
      }
      name = found ?? fallback ?? fields?.[0] ?? name;
    }
    if (name === '') name = fallback ?? '_form';
    if (!(name in out)) out[name] = issue.message;
  }
  return out;
}
