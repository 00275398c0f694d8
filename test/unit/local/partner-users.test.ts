import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { localUserFor, localUsers } from '../../../local/tokens.ts';
import { parsePartnershipProfile, partnerOf } from '../../../shared/config/partnership-profile.ts';

const localProfile = parsePartnershipProfile(
  readFileSync(new URL('../../../local/partnership-profile.json', import.meta.url), 'utf8'),
);

describe("the local stack's safeguarding partners", () => {
  it.for(['local-authority', 'police', 'health'] as const)(
    'gives a token for the %s partner to its invented delegate, whom the local profile names as that partner',
    (partner) => {
      const user = localUserFor('safeguarding-partner', partner);

      expect(user.role).toBe('safeguarding-partner');
      expect(user.name).toContain('(demo)');
      expect(partnerOf(localProfile, user.email)).toBe(partner);
    },
  );

  it("gives the local authority's delegate when no partner is named, and each other role its own user", () => {
    expect(partnerOf(localProfile, localUserFor('safeguarding-partner').email)).toBe('local-authority');
    expect(localUserFor('rrg-chair', 'police')).toBe(localUsers['rrg-chair']);
    expect(localUserFor('executive-board').email).toBe(localProfile.executiveBoard?.email);
  });

  it('finds a partner by email whatever its case, and no partner for anyone else', () => {
    expect(partnerOf(localProfile, 'POLICE.Partner.Lead@example.org')).toBe('police');
    expect(partnerOf(localProfile, 'rrg.chair@example.org')).toBeUndefined();
    expect(partnerOf(localProfile, undefined)).toBeUndefined();
  });
});
