import { DETAINED_OUTCOMES } from '../domain/outcomes.js';

/** JSON text for a `$n::text::jsonb` parameter (the same on PGlite and node-postgres). */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/** A SQL list of codes, checked strictly because it is interpolated, not bound. */
export function sqlList(codes: readonly string[]): string {
  return codes
    .map((c) => {
      if (!/^[a-z_]+$/.test(c)) throw new Error(`Unexpected code ${c}`);
      return `'${c}'`;
    })
    .join(', ');
}

/** The post-charge detention outcomes, as a SQL list (they match a partial index). */
export const DETAINED_SQL = sqlList(DETAINED_OUTCOMES);
