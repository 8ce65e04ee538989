import { describe, expect, it } from 'vitest';
import { walkCard } from '../../../../bots/teams/cards/adaptive-card.js';
import { FORM_FIELDS, FORM_INPUTS, requestFormCard } from '../../../../bots/teams/cards/request-form-card.js';
import { teamsProtocol } from '../support/teams-protocol.js';

const protocol = teamsProtocol();
const base = { custodySuites: protocol.custodySuites, localAuthorities: protocol.localAuthorities };

describe('the bed-request form card', () => {
  it('has every input once, the protocol’s suites and authorities, and an Execute submit with a Submit fallback', () => {
    const card = requestFormCard(base);
    expect(card.version).toBe('1.5');
    const inputs = walkCard(card).filter((x) => x.type.startsWith('Input.'));
    expect(inputs.map((i) => (i as { id: string }).id).sort()).toEqual([...FORM_INPUTS].sort());
    const suite = inputs.find((i) => (i as { id: string }).id === 'custodySuiteId');
    expect(suite).toMatchObject({
      choices: [{ title: 'Northampton Criminal Justice Centre', value: 'northampton-cjc' }],
    });
    expect(card.actions?.[0]).toMatchObject({
      type: 'Action.Execute',
      verb: 'bedrequest.submit',
      fallback: { type: 'Action.Submit', data: { verb: 'bedrequest.submit' } },
    });
    expect(JSON.stringify(card)).not.toContain('Please correct');
  });

  it('names each bad field in a summary and under the field, and keeps what was typed', () => {
    const card = requestFormCard({
      ...base,
      values: { custodyRecordNumber: 'NC 1', age: '9', givenName: 'Jordanna' },
      errors: {
        custodyRecordNumber: 'Custody record number must be 4 to 30 letters, digits, / or -',
        age: 'A child under 10 cannot be charged: check the age',
      },
    });
    const summary = card.body[1];
    expect(summary).toMatchObject({ type: 'Container', style: 'attention', id: 'errors' });
    const text = JSON.stringify(summary);
    expect(text).toContain('Please correct these 2 fields:');
    expect(text).toContain('Custody record number: Custody record number must be');
    expect(text).toContain('Age: A child under 10 cannot be charged');
    const elements = walkCard(card);
    expect(elements).toContainEqual(
      expect.objectContaining({ id: 'custodyRecordNumber__error', color: 'attention' }),
    );
    expect(elements).toContainEqual(expect.objectContaining({ id: 'age__error' }));
    expect(elements).toContainEqual(expect.objectContaining({ id: 'custodyRecordNumber', value: 'NC 1' }));
    expect(elements).toContainEqual(expect.objectContaining({ id: 'age', value: 9 }));
    expect(elements).toContainEqual(expect.objectContaining({ id: 'givenName', value: 'Jordanna' }));
  });

  it('labels every field path the schema can report', () => {
    expect(FORM_FIELDS.map((f) => f.path)).toEqual([
      'custodyRecordNumber',
      'custodySuiteId',
      'child.pncId',
      'child.givenName',
      'child.familyName',
      'child.dateOfBirth',
      'age',
      'homeLocalAuthorityId',
      'chargedAt',
      'bailRefusalGround',
      'nextCourtSitting',
      'accommodation',
      'seriousHarmJustification',
      'needsAndRisks',
      'ethnicity',
      'sex',
    ]);
  });
});
