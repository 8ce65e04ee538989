import { describe, expect, it } from 'vitest';
import { rolesFor } from '../../domain/authorise.js';
import { personSchema, type Person } from '../../domain/protocol.js';

const people: Person[] = [
  { name: 'Sgt', slack: 'U1', teams: 'aad-1', roles: ['custody'], localAuthorities: [] },
  { name: 'SW', slack: 'U2', roles: ['responder'], localAuthorities: ['west'] },
  { name: 'Rota', slackUserGroup: 'S9', roles: ['responder'], localAuthorities: ['north'] },
];

describe('rolesFor', () => {
  it('matches a person by their own platform ID only', () => {
    expect(rolesFor(people, { platform: 'slack', userId: 'U1' })).toEqual([
      { role: 'custody', localAuthorityIds: [] },
    ]);
    expect(rolesFor(people, { platform: 'teams', userId: 'aad-1' })).toEqual([
      { role: 'custody', localAuthorityIds: [] },
    ]);
    expect(rolesFor(people, { platform: 'teams', userId: 'U1' })).toEqual([]);
    expect(rolesFor(people, { platform: 'system', userId: 'U1' })).toEqual([]);
  });

  it('adds a Slack user group’s roles to the person’s own, merging local authorities', () => {
    expect(rolesFor(people, { platform: 'slack', userId: 'U2', groups: ['S9'] })).toEqual([
      { role: 'responder', localAuthorityIds: ['west', 'north'] },
    ]);
    expect(rolesFor(people, { platform: 'slack', userId: 'U7', groups: ['S9'] })).toEqual([
      { role: 'responder', localAuthorityIds: ['north'] },
    ]);
    // Groups are a Slack notion: a Teams actor claiming one gets nothing from it.
    expect(rolesFor(people, { platform: 'teams', userId: 'x', groups: ['S9'] })).toEqual([]);
  });

  it('accepts a person entry that is only a Slack user group, and names a bad group ID', () => {
    expect(
      personSchema.safeParse({ name: 'Rota', slackUserGroup: 'S0ROTA', roles: ['responder'] }).success,
    ).toBe(true);
    const bad = personSchema.safeParse({ name: 'Rota', slackUserGroup: 'rota', roles: ['responder'] });
    expect(bad.success ? '' : bad.error.issues[0]?.message).toMatch(/starts with S/);
    const none = personSchema.safeParse({ name: 'Nobody', roles: ['responder'] });
    expect(none.success ? '' : none.error.issues[0]?.message).toMatch(
      /Slack user ID, a Teams ID or a Slack user group/,
    );
  });
});
