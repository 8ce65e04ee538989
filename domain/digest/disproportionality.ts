import {
  ETHNIC_GROUPS,
  ETHNIC_GROUP_LABELS,
  ETHNICITY_CODES,
  SEX_CODES,
  SEX_GROUPS,
  SEX_GROUP_LABELS,
  ethnicGroupOf,
  sexGroupOf,
  type EthnicityCode,
  type SexCode,
} from '../demographics.js';
import type { DemographicFigure, DigestFigures } from './figures.js';

/**
 * Disproportionality figures (docs/demographics.md): the period's requests by the top-level group
 * of the child's officer-recorded self-defined ethnicity and by sex. Only the groups are ever
 * counted, never the 18 categories, and only for all requests together (not per suite or
 * authority): the cells would be too small to publish. Pure: the store counts by code, this groups.
 */

/** What the store gives: requests with one (ethnicity, sex) pair of codes, NULL when not recorded. */
export interface DemographicCount {
  ethnicity: string | null;
  sex: string | null;
  requests: number;
  transferred: number;
  detained: number;
  overnight: number;
}

export type DemographicDimension = 'ethnicGroup' | 'sex';
export const DEMOGRAPHIC_DIMENSIONS: readonly DemographicDimension[] = ['ethnicGroup', 'sex'];

export const DEMOGRAPHIC_MEASURES = ['requests', 'transferred', 'detained', 'overnight'] as const;
export type DemographicMeasure = (typeof DEMOGRAPHIC_MEASURES)[number];

/** A code the database holds but this version does not know counts as not recorded. */
function ethnicityOf(code: string | null): EthnicityCode | null {
  return code !== null && (ETHNICITY_CODES as readonly string[]).includes(code)
    ? (code as EthnicityCode)
    : null;
}
function sexOf(code: string | null): SexCode | null {
  return code !== null && (SEX_CODES as readonly string[]).includes(code) ? (code as SexCode) : null;
}

export function demographicFigures(
  counts: readonly DemographicCount[],
): NonNullable<DigestFigures['demographics']> {
  const table = (keys: readonly string[]) =>
    new Map<string, DemographicFigure>(
      keys.map((key) => [key, { key, requests: 0, transferred: 0, detained: 0, overnight: 0 }]),
    );
  const ethnic = table(ETHNIC_GROUPS);
  const sex = table(SEX_GROUPS);
  for (const c of counts) {
    for (const f of [
      ethnic.get(ethnicGroupOf(ethnicityOf(c.ethnicity))),
      sex.get(sexGroupOf(sexOf(c.sex))),
    ]) {
      if (!f) continue;
      for (const m of DEMOGRAPHIC_MEASURES) f[m] += c[m];
    }
  }
  return { ethnicGroup: [...ethnic.values()], sex: [...sex.values()] };
}

export function demographicLabel(dimension: DemographicDimension, key: string): string {
  return dimension === 'ethnicGroup'
    ? (ETHNIC_GROUP_LABELS[key as keyof typeof ETHNIC_GROUP_LABELS] ?? key)
    : (SEX_GROUP_LABELS[key as keyof typeof SEX_GROUP_LABELS] ?? key);
}

/** The scope of one group's cells in the digest's protected table: "ethnicGroup:white". */
export function demographicScope(dimension: DemographicDimension, key: string): string {
  return `${dimension}:${key}`;
}
