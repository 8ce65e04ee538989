import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CERTIFICATE_TEMPLATE,
  certificateTemplateSchema,
  certificateText,
} from '../../domain/certificate.js';
import { STAY_REASON_LABELS, stayReasonSchema, type StayReason } from '../../domain/outcomes.js';
import { parseProtocol } from '../../runtime/config.js';
import { NOW, SERGEANT, openView } from './view-fixture.js';

const example = parseProtocol(readFileSync('config/concordat.example.yaml', 'utf8'));
const render = (reason: StayReason, template = example.certificate) =>
  certificateText({
    view: openView({ escalationLevel: 2 }),
    reason,
    explanation: 'Snow closed the A45 and the M1 from 21:30.',
    by: SERGEANT,
    at: NOW,
    timeZone: 'Europe/London',
    template,
  });

describe('the certificate template (issue 11, item 5)', () => {
  it('ships in the example protocol file as exactly the default wording', () => {
    expect(example.certificate).toEqual(certificateTemplateSchema.parse(undefined));
    expect(certificateTemplateSchema.parse(undefined).heading).toBe(DEFAULT_CERTIFICATE_TEMPLATE.heading);
  });

  it.each(stayReasonSchema.options)(
    'renders %s with every placeholder filled and the facts stated',
    (reason) => {
      const text = certificateText({
        view: openView({ escalationLevel: 2 }),
        reason,
        explanation: 'Snow closed the A45 and the M1 from 21:30.',
        by: SERGEANT,
        at: NOW,
        template: example.certificate,
      });
      expect(text).not.toMatch(/\{[A-Za-z]+\}/);
      expect(text).toContain(
        'Custody record: NC-1302-0042 at Northampton Criminal Justice Centre (case CN-7K3F9Q).',
      );
      expect(text).toContain('No accommodation was offered by the local authority.');
      expect(text).toContain('escalated to level 2');
      expect(text).toContain(`Reason recorded: ${STAY_REASON_LABELS[reason]}.`);
      expect(text).toContain('Circumstances: Snow closed the A45 and the M1 from 21:30.');
      expect(text).toContain(
        'Custody officer: Sgt Example (U0SERGEANT). Signed at Mon 18 Feb 2013, 22:00 GMT.',
      );
    },
  );

  it('certifies impracticability under s.38(6)(a) for each coded circumstance, and s.38(6)(b) for no secure bed', () => {
    expect(render('impracticable_extreme_weather')).toMatch(
      /38\(6\)\(a\).*weather or road conditions made the move impossible/s,
    );
    expect(render('impracticable_medical')).toMatch(/urgent medical needs made the move impossible/);
    expect(render('impracticable_other')).toMatch(/exceptional circumstances made the move impossible/);
    expect(render('impracticable_court_too_soon')).toMatch(
      /court sits at Tue 19 Feb 2013, 10:00 GMT, so soon that a transfer would have deprived the child of rest or made the child miss court/,
    );
    expect(render('no_secure_bed_serious_harm')).toMatch(/38\(6\)\(b\).*serious harm from the child/s);
  });

  it('states a local authority’s failure as what it is: principle 4, repayment under principle 6, not impracticability', () => {
    const text = render('no_accommodation_provided');
    expect(text.split('\n')[0]).toBe(
      'STATEMENT TO THE COURT (SECTION 38(6) POLICE AND CRIMINAL EVIDENCE ACT 1984): THE LOCAL AUTHORITY PROVIDED NO ACCOMMODATION',
    );
    expect(text).toContain(
      'West Northamptonshire Council was asked to receive the child and provided no accommodation.',
    );
    expect(text).toMatch(/principle 4/);
    expect(text).toMatch(/reimburse the cost of the detention \(principle 6\)/);
    expect(text).toContain('It is not a certificate that a transfer was impracticable.');
    expect(text).not.toMatch(/I certify/);
    expect(text).not.toMatch(/38\(6\)\(a\)/);
  });

  it('uses the force’s own wording, and the default for any part left out', () => {
    const template = certificateTemplateSchema.parse({
      heading: 'S.38(6) CERTIFICATE, {custodySuite}',
      statements: { impracticable_medical: 'Medical: {explanation}' },
    });
    const text = render('impracticable_medical', template);
    expect(text.split('\n')[0]).toBe('S.38(6) CERTIFICATE, Northampton Criminal Justice Centre');
    expect(text).toContain('Medical: Snow closed the A45');
    expect(text).toContain(
      DEFAULT_CERTIFICATE_TEMPLATE.court.replace('{nextCourtSitting}', 'Tue 19 Feb 2013, 10:00 GMT'),
    );
  });

  it('refuses a template naming an unknown placeholder, naming the field', () => {
    const bad = certificateTemplateSchema.safeParse({
      statements: { impracticable_other: 'Because {childName}' },
    });
    expect(bad.success).toBe(false);
    if (!bad.success) {
      expect(bad.error.issues[0]?.path).toEqual(['statements', 'impracticable_other']);
      expect(bad.error.issues[0]?.message).toMatch(/Unknown placeholder \{childName\}/);
    }
  });

  it('does not read placeholders inside the sergeant’s own words', () => {
    const text = certificateText({
      view: openView(),
      reason: 'impracticable_other',
      explanation: 'The van’s {age} light came on',
      by: SERGEANT,
      at: NOW,
    });
    expect(text).toContain('Circumstances: The van’s {age} light came on');
  });
});
