import { describe, expect, it } from 'vitest';
import { screenStayExplanation } from '../../../domain/legal/note-16d-screen.js';
import type { StayReason } from '../../../domain/outcomes.js';

const screen = (
  explanation: string,
  reason: StayReason = 'impracticable_other',
  accommodation: 'non_secure' | 'secure' = 'non_secure',
) => screenStayExplanation({ reason, explanation, accommodation });

describe('the Note 16D screen of a stay’s explanation (issue 11, item 5)', () => {
  it.each([
    ['The child has been violent and aggressive in the cell', 'behaviour'],
    ['His behaviour in custody has been poor', 'behaviour'],
    ['Kicking off all evening, spat at the gaoler', 'behaviour'],
    ['Refused to comply with staff', 'behaviour'],
    ['Given the seriousness of the offence', 'offence'],
    ['Charged with robbery of a shop', 'offence'],
    ['This is a serious crime', 'offence'],
    ['No secure bed available in the region', 'no_secure_bed'],
    ['The secure unit is full tonight', 'no_secure_bed'],
    ['Lack of secure accommodation anywhere', 'no_secure_bed'],
    ['Secure children’s homes could not take her', 'no_secure_bed'],
  ] as const)('refuses “%s” (%s)', (text, ground) => {
    expect(screen(text)).toBe(ground);
  });

  it.each([
    'Snow closed the A45 and the M1 from 21:30; no vehicle could reach the placement',
    'The child was taken to A&E with a head injury and is still being treated',
    'Court sits at 09:30; the only placement is 3 hours away, so the child could not rest',
    'No non-secure placement could be found by the EDT',
    'The local authority provided no accommodation, though asked at 21:05',
  ])('lets “%s” stand', (text) => {
    expect(screen(text)).toBeNull();
  });

  it('does not treat the lack of a secure bed as forbidden for a secure request', () => {
    expect(
      screen('No secure bed available in the region', 'no_secure_bed_serious_harm', 'secure'),
    ).toBeNull();
  });

  it('lets behaviour and offence stand where s.38(6)(b) asks about serious harm from the child', () => {
    expect(
      screen(
        'Charged with robbery with a knife; violent towards staff',
        'no_secure_bed_serious_harm',
        'secure',
      ),
    ).toBeNull();
  });

  it('screens the authority-failure reason too: the explanation states facts, not the child', () => {
    expect(screen('EDT would not place him because he was aggressive', 'no_accommodation_provided')).toBe(
      'behaviour',
    );
  });
});
