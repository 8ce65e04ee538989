import { z } from 'zod';

const SHORT = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/i;
const ISO = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/**
 * Parses `30m`, `2h`, `1h30m`, `45s`, `PT45S`, `PT1H30M`, `P1D` into milliseconds.
 * Protocol files are written by people, so both the short and the ISO-8601 forms are accepted.
 */
export function parseDuration(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  const m = SHORT.exec(s) ?? ISO.exec(s);
  if (!m || m.slice(1).every((g) => g === undefined)) return null;
  const [d, h, min, sec] = m.slice(1).map((g) => (g === undefined ? 0 : Number(g))) as [
    number,
    number,
    number,
    number,
  ];
  return Math.round((((d * 24 + h) * 60 + min) * 60 + sec) * 1000);
}

/** A zod schema that accepts a duration string and yields milliseconds. */
export const durationSchema = z.string().transform((text, ctx) => {
  const ms = parseDuration(text);
  if (ms === null || ms <= 0) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `"${text}" is not a duration: write it like 30m, 2h, 1h30m, 45s or PT45S`,
    });
    return z.NEVER;
  }
  return ms;
});

export function formatDuration(ms: number): string {
  const totalMin = Math.round(ms / 60_000);
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  if (h === 0) return `${m}m`;
  return m === 0 ? `${h}h` : `${h}h ${m}m`;
}
