import { describe, expect, it } from 'vitest';
import { requestFormCard } from '../../../../bots/teams/cards/request-form-card.js';
import { parseRequestForm } from '../../../../bots/teams/forms/request-form.js';
import { DEMOGRAPHICS_FORM_HINT } from '../../../../domain/demographics.js';
import { demographicsOf } from '../../../../domain/protocol.js';
import { cardText, validForm } from '../support/teams-activities.js';
import { teamsProtocol } from '../support/teams-protocol.js';
import { SERGEANT } from '../support/views.js';

/**
 * The protocol file's `demographics` on the Teams form card (docs/demographics.md): on by default
 * with the default hint; `collect: false` leaves both choice sets off and drops any value a crafted
 * submission carries; `formHint` replaces the line above them.
 */
const ids = (card: unknown) => {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (typeof v !== 'object' || v === null) return;
    const o = v as { id?: unknown; type?: unknown };
    if (typeof o.id === 'string' && typeof o.type === 'string' && o.type.startsWith('Input.')) out.push(o.id);
    Object.values(v).forEach(walk);
  };
  walk(card);
  return out;
};

describe('the Teams form card’s ethnicity and sex, as the protocol file says', () => {
  const base = teamsProtocol();
  const card = (demographics: ReturnType<typeof demographicsOf>) =>
    requestFormCard({
      custodySuites: base.custodySuites,
      localAuthorities: base.localAuthorities,
      demographics,
    });

  it('by default, both choice sets are on the card with the default hint, and a code is taken', () => {
    const c = card(demographicsOf(base));
    expect(ids(c)).toEqual(expect.arrayContaining(['ethnicity', 'sex']));
    expect(cardText(c)).toContain(DEMOGRAPHICS_FORM_HINT);
    const r = parseRequestForm(validForm({ ethnicity: 'W3', sex: '1' }), {
      actor: SERGEANT,
      protocol: base,
      nowIso: new Date().toISOString(),
    });
    expect(r.ok && [r.input.ethnicity, r.input.sex]).toEqual(['W3', '1']);
  });

  it('with collect: false, neither is on the card, and a submission carrying them stores neither', () => {
    const off = { collect: false, formHint: 'x' };
    const c = card(off);
    expect(ids(c)).toContain('needsAndRisks');
    expect(ids(c)).not.toContain('ethnicity');
    expect(ids(c)).not.toContain('sex');
    expect(cardText(c)).not.toContain('Monitoring');
    const r = parseRequestForm(validForm({ ethnicity: 'W3', sex: 'X' }), {
      actor: SERGEANT,
      protocol: { ...base, demographics: off },
      nowIso: new Date().toISOString(),
    });
    expect(r.ok).toBe(true);
    expect(r.ok && [r.input.ethnicity, r.input.sex]).toEqual([undefined, undefined]);
  });

  it('takes the force’s own hint', () => {
    const hint = 'Recorded for equality monitoring under the force’s policy document; never shown on a card.';
    expect(cardText(card({ collect: true, formHint: hint }))).toContain(hint);
  });
});
