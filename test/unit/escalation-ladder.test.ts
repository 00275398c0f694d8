import { describe, expect, it } from 'vitest';
import {
  type PartnershipProfile,
  parsePartnershipProfile,
  profileFromParameters,
  profileParameters,
  strategicLeadFor,
} from '../../shared/config/partnership-profile.ts';
import { defaultRapidReviewRules, rapidReviewRules } from '../../shared/rapid-review-rules.ts';
import { ladderOf, milestone } from '../../shared/schemas/timetable.ts';
import * as z from '../../shared/schemas/zod.ts';
import { planRapidReview } from '../../shared/timetable.ts';
import { testProfile } from './workflow/workflow-fakes.ts';

describe('the escalation ladder in the rules', () => {
  it("defaults to today's chasing: the reminder on the reminder day, the lead copied and the formal request on Day 10", () => {
    expect(defaultRapidReviewRules.escalationLadder).toEqual([
      { kind: 'reminder', day: 7 },
      { kind: 'lead-copied', day: 10 },
      { kind: 'formal-request', day: 10 },
    ]);
    expect(rapidReviewRules.parse({ reminderDay: 6 }).escalationLadder[0]).toEqual({
      kind: 'reminder',
      day: 6,
    });
  });

  it('takes a ladder of the partnership’s own, fewer rungs included', () => {
    const ladder = [
      { kind: 'lead-copied', day: 8 },
      { kind: 'formal-request', day: 9 },
    ];
    expect(rapidReviewRules.parse({ escalationLadder: ladder }).escalationLadder).toEqual(ladder);
  });

  it.each<[string, unknown[]]>([
    [
      'a rung before the one before it',
      [
        { kind: 'reminder', day: 7 },
        { kind: 'lead-copied', day: 6 },
      ],
    ],
    ['a rung after Day 10, when the summaries are collated', [{ kind: 'formal-request', day: 11 }]],
    ['a rung on Day 0', [{ kind: 'lead-copied', day: 0 }]],
    [
      'two rungs of one kind',
      [
        { kind: 'lead-copied', day: 8 },
        { kind: 'lead-copied', day: 9 },
      ],
    ],
    [
      'the formal request before the lead is copied',
      [
        { kind: 'formal-request', day: 8 },
        { kind: 'lead-copied', day: 9 },
      ],
    ],
    ['a reminder off the reminder day', [{ kind: 'reminder', day: 5 }]],
    ['a rung of an unknown kind', [{ kind: 'phone-call', day: 5 }]],
  ])('refuses %s', (_, escalationLadder) => {
    expect(() => rapidReviewRules.parse({ escalationLadder })).toThrow(z.core.$ZodError);
  });
});

describe('the ladder in the timetable', () => {
  it('plans each rung on its Day: a reminder at the start of the working day, the others at its end', () => {
    // Received Wednesday 4 March 2026: Day 7 is Thursday 12 March, Day 10 Tuesday 17 March.
    const timetable = planRapidReview({ receivedAt: '2026-03-04T10:00:00Z' });

    expect(timetable.ladder).toEqual([
      { kind: 'reminder', day: 7, date: '2026-03-12', at: '2026-03-12T09:00:00Z' },
      { kind: 'lead-copied', day: 10, date: '2026-03-17', at: '2026-03-17T17:00:00Z' },
      { kind: 'formal-request', day: 10, date: '2026-03-17', at: '2026-03-17T17:00:00Z' },
    ]);
  });

  it("pulls the rungs back with the milestones when the Panel's date governs", () => {
    const rules = rapidReviewRules.parse({
      escalationLadder: [
        { kind: 'reminder', day: 7 },
        { kind: 'lead-copied', day: 8 },
        { kind: 'formal-request', day: 10 },
      ],
    });
    // The Panel was notified on Tue 15 Dec 2026: its date is two working days before the local Day 15.
    const pulled = planRapidReview(
      { receivedAt: '2026-12-18T10:00:00Z', panelNotifiedOn: '2026-12-15' },
      rules,
    );
    const local = planRapidReview({ receivedAt: '2026-12-18T10:00:00Z' }, rules);

    expect(pulled.governedBy).toBe('panel');
    expect(pulled.ladder?.map((rung) => rung.date)).toEqual(['2026-12-24', '2026-12-29', '2026-12-31']);
    expect(pulled.ladder?.[0]?.date).toBe(milestone(pulled, 'remindAgencies').date);
    expect(pulled.ladder?.[2]?.at).toBe(milestone(pulled, 'agencySummariesDue').dueAt);
    expect(local.ladder?.map((rung) => rung.date)).toEqual(['2026-12-30', '2026-12-31', '2027-01-05']);
    // The milestones are where they were before the ladder was planned with them.
    expect(pulled.milestones).toEqual(
      planRapidReview({ receivedAt: '2026-12-18T10:00:00Z', panelNotifiedOn: '2026-12-15' }).milestones,
    );
  });

  it('reads a case planned before the ladder as the two steps its workflow took then', () => {
    const { ladder: _planned, ...before } = planRapidReview({ receivedAt: '2026-03-04T10:00:00Z' });

    expect(ladderOf(before)).toEqual([
      { kind: 'reminder', day: 7, date: '2026-03-12', at: '2026-03-12T09:00:00Z' },
      { kind: 'lead-copied', day: 10, date: '2026-03-17', at: '2026-03-17T17:00:00Z' },
    ]);
  });
});

describe("an agency's strategic lead", () => {
  const lead = (name: string) => ({ name, email: `${name.toLowerCase().replace(/\W+/g, '.')}@example.org` });
  const profile: Pick<PartnershipProfile, 'agencyStrategicLeads' | 'agencyStrategicLeadsById'> = {
    agencyStrategicLeadsById: { police: lead('Keyed Police Lead') },
    agencyStrategicLeads: {
      Police: lead('Named Police Lead'),
      Health: lead('Named Health Lead'),
      "Children's Social Care": lead('Named Social Care Lead'),
    },
  };

  it('is the one keyed by the agency id first', () => {
    expect(strategicLeadFor(profile, { agencyId: 'police', agencyName: 'Police' })?.name).toBe(
      'Keyed Police Lead',
    );
  });

  it("falls back to the one keyed by the agency's name, then to a name that makes the same id", () => {
    expect(strategicLeadFor(profile, { agencyId: 'health', agencyName: 'Health' })?.name).toBe(
      'Named Health Lead',
    );
    expect(
      strategicLeadFor(profile, { agencyId: 'childrens-social-care', agencyName: 'Childrens social care' })
        ?.name,
    ).toBe('Named Social Care Lead');
    expect(strategicLeadFor(profile, { agencyId: 'education', agencyName: 'Education' })).toBeUndefined();
  });

  it('survives the trip through Parameter Store, both forms, with the ladder', () => {
    const stored = parsePartnershipProfile(
      JSON.stringify({
        ...testProfile,
        agencyStrategicLeadsById: {
          police: lead('Keyed Police Lead'),
          education: lead('Keyed Education Lead'),
        },
        rules: { escalationLadder: [{ kind: 'lead-copied', day: 9 }] },
      }),
    );

    const parameters = profileParameters(stored, '/safeguarding-reviews/unit');
    const back = profileFromParameters('/safeguarding-reviews/unit', parameters);

    expect(back).toEqual(stored);
    expect(back.rules?.escalationLadder).toEqual([{ kind: 'lead-copied', day: 9 }]);
    // The name-keyed Police lead takes the next free id beside the keyed one.
    expect(parameters.map((parameter) => parameter.name).sort()).toEqual([
      '/safeguarding-reviews/unit/agencies/education',
      '/safeguarding-reviews/unit/agencies/police',
      '/safeguarding-reviews/unit/agencies/police-2',
      '/safeguarding-reviews/unit/profile',
    ]);
  });
});
