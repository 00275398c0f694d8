import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../local/sample-notification.ts';
import {
  ethnicGroups,
  ethnicityCodes,
  ethnicityInWords,
  lookedAfterInWords,
  type NotifiedChild,
  notifiedChild,
  seriousIncidentNotification,
  seriousIncidentNotificationOn,
} from '../../shared/schemas/notification.ts';
import { invalidFields } from '../../shared/validation.ts';
import { childRows } from '../../shared/workflow/rapid-review-report.ts';

/** The sample's child (invented), with `extra` over it. */
function child(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...sampleNotification().children[0], ...extra };
}

function childFields(value: unknown) {
  const result = notifiedChild.safeParse(value);
  return result.success ? [] : invalidFields(result.error);
}

describe('a child’s ethnicity: the 2021 census categories', () => {
  it('has the five groups and their 19 categories, and "not-known"', () => {
    expect(ethnicGroups.map((group) => group.categories.length)).toEqual([5, 3, 4, 5, 2]);
    expect(ethnicityCodes).toHaveLength(20);
    expect(new Set(ethnicityCodes).size).toBe(20);
    expect(ethnicityCodes.at(-1)).toBe('not-known');
  });

  it.each(ethnicityCodes)('takes %s', (code) => {
    expect(childFields(child({ ethnicity: { code } }))).toEqual([]);
  });

  it('refuses a code that is not a category, naming the code and listing the codes', () => {
    const [problem, ...more] = childFields(child({ ethnicity: { code: 'martian' } }));

    expect(more).toEqual([]);
    expect(problem?.field).toBe('ethnicity.code');
    expect(problem?.message).toMatch(
      /^Select the child’s ethnicity from the 2021 census categories: one of asian-indian, /,
    );
    expect(problem?.message).toContain('white-roma');
  });

  it('names the ethnicity when it is missing or neither a category nor text', () => {
    const { ethnicity: _ethnicity, ...without } = child();

    expect(childFields(without)).toEqual([{ field: 'ethnicity', message: 'Select the child’s ethnicity' }]);
    expect(childFields(child({ ethnicity: 42 }))).toEqual([
      { field: 'ethnicity', message: 'Select the child’s ethnicity' },
    ]);
  });

  it('takes a description for an "Any other" background only', () => {
    expect(
      childFields(child({ ethnicity: { code: 'asian-any-other', description: 'Invented (demo)' } })),
    ).toEqual([]);
    expect(
      childFields(child({ ethnicity: { code: 'asian-indian', description: 'Invented (demo)' } })),
    ).toEqual([
      {
        field: 'ethnicity.description',
        message: 'Only an ‘Any other’ background takes a description: leave it out',
      },
    ]);
    expect(
      childFields(child({ ethnicity: { code: 'mixed-any-other', description: 'x'.repeat(121) } })),
    ).toEqual([{ field: 'ethnicity.description', message: 'Must be 120 characters or fewer' }]);
  });

  it('still reads a stored notification’s free-text ethnicity, and says it as given', () => {
    const parsed = notifiedChild.parse(child({ ethnicity: 'Not recorded (demo)' }));

    expect(parsed.ethnicity).toBe('Not recorded (demo)');
    expect(ethnicityInWords(parsed.ethnicity)).toBe('Not recorded (demo)');
  });

  it('says a category with its group, an "Any other" with its description, and "Not known"', () => {
    expect(ethnicityInWords({ code: 'white-gypsy-irish-traveller' })).toBe('White: Gypsy or Irish Traveller');
    expect(ethnicityInWords({ code: 'black-any-other', description: 'Invented (demo)' })).toBe(
      'Black, Black British, Caribbean or African: Any other Black, Black British or Caribbean background (Invented (demo))',
    );
    expect(ethnicityInWords({ code: 'not-known' })).toBe('Not known');
  });

  it('refuses free text in a new notification, but a correction may keep the free text it held', () => {
    const older = { ...sampleNotification(), children: [child({ ethnicity: 'Not recorded (demo)' })] };
    const changed = { ...sampleNotification(), children: [child({ ethnicity: 'Other words (demo)' })] };
    const schema = (earlier?: unknown) => seriousIncidentNotificationOn('2026-12-01', { earlier });

    const fresh = schema().safeParse(older);
    expect(fresh.success ? [] : invalidFields(fresh.error)).toEqual([
      {
        field: 'children.0.ethnicity',
        message:
          'Give the child’s ethnicity as a 2021 census category, like { "code": "white-british" }, not as free text',
      },
    ]);
    expect(schema(older).safeParse(older).success).toBe(true);
    expect(schema(older).safeParse(changed).success).toBe(false);
  });
});

describe('a child’s disability, looked-after status, child protection plan and child in need status', () => {
  it('takes each, and a notification without them (sent before they were asked)', () => {
    const {
      disability: _d,
      lookedAfterStatus: _l,
      childProtectionPlan: _p,
      childInNeed: _n,
      ...older
    } = child() as NotifiedChild;

    expect(childFields(child())).toEqual([]);
    expect(childFields(older)).toEqual([]);
  });

  it('refuses an answer that is not one of the choices, naming the field', () => {
    expect(
      childFields(
        child({ childProtectionPlan: 'sometimes', childInNeed: 'yes', disability: { answer: 'maybe' } }),
      ),
    ).toEqual([
      { field: 'disability.answer', message: 'Select whether the child has a disability' },
      { field: 'childProtectionPlan', message: 'Select whether the child has a child protection plan' },
      { field: 'childInNeed', message: 'Select whether the child is a child in need' },
    ]);
  });

  it('describes a disability only when the child has one', () => {
    expect(childFields(child({ disability: { answer: 'yes', description: 'Invented (demo)' } }))).toEqual([]);
    expect(childFields(child({ disability: { answer: 'no', description: 'Invented (demo)' } }))).toEqual([
      {
        field: 'disability.description',
        message: 'Describe the disability only when the child has one: leave it out',
      },
    ]);
  });

  it('keeps lookedAfter and the looked-after status in agreement', () => {
    expect(childFields(child({ lookedAfter: true, lookedAfterStatus: 'current' }))).toEqual([]);
    expect(childFields(child({ lookedAfter: true, lookedAfterStatus: 'previously' }))).toEqual([
      {
        field: 'lookedAfter',
        message: 'Looked after now (lookedAfter) must be true exactly when lookedAfterStatus is "current"',
      },
    ]);
  });

  it('refuses a care leaver who was never looked after', () => {
    expect(childFields(child({ careLeaver: true, lookedAfterStatus: 'previously' }))).toEqual([]);
    expect(childFields(child({ careLeaver: true, lookedAfterStatus: 'never' }))).toEqual([
      {
        field: 'careLeaver',
        message: 'A care leaver was looked after: their looked-after status cannot be "never"',
      },
    ]);
  });

  it('does not ask an unborn child about disability or being looked after, but takes a pre-birth plan', () => {
    const unborn = (extra: Record<string, unknown>) =>
      childFields({
        identity: 'unborn',
        sex: 'not-known',
        ethnicity: { code: 'not-known' },
        lookedAfter: false,
        childProtectionPlan: 'current',
        childInNeed: 'current',
        ...extra,
      });

    expect(unborn({})).toEqual([]);
    expect(unborn({ lookedAfterStatus: 'never' })).toEqual([]);
    expect(unborn({ disability: { answer: 'not-known' }, lookedAfterStatus: 'current' })).toEqual([
      { field: 'lookedAfterStatus', message: 'An unborn child cannot be looked after' },
      { field: 'disability', message: 'An unborn child is not asked about disability: leave it out' },
    ]);
    expect(unborn({ lookedAfter: true })).toEqual([
      { field: 'lookedAfter', message: 'An unborn child cannot be looked after' },
    ]);
  });

  it('says the looked-after status, or yes or no for a notification from before it', () => {
    expect(lookedAfterInWords({ lookedAfter: false, lookedAfterStatus: 'previously' })).toBe(
      'Previously looked after',
    );
    expect(lookedAfterInWords({ lookedAfter: true })).toBe('Yes');
  });

  it('gives the Panel every answer in the child’s details, and an older child’s as it has them', () => {
    const rows = childRows(
      notifiedChild.parse(
        child({
          ethnicity: { code: 'white-any-other', description: 'Invented (demo)' },
          disability: { answer: 'yes', description: 'Invented description (demo)' },
        }),
      ),
    );
    const older = childRows(
      notifiedChild.parse({
        name: 'Demo Child One',
        ageYears: 7,
        sex: 'male',
        ethnicity: 'Not recorded (demo)',
        lookedAfter: true,
      }),
    );

    expect(rows).toEqual(
      expect.arrayContaining([
        ['Ethnicity', 'White: Any other White background (Invented (demo))'],
        ['Disability', 'Yes: Invented description (demo)'],
        ['Looked after', 'Never looked after'],
        ['Child protection plan', 'Previously subject to a child protection plan'],
        ['Child in need', 'A child in need now'],
      ]),
    );
    expect(older).toEqual(
      expect.arrayContaining([
        ['Ethnicity', 'Not recorded (demo)'],
        ['Looked after', 'Yes'],
      ]),
    );
    expect(older.map(([label]) => label)).not.toContain('Child protection plan');
  });
});

describe('other processes: a coroner’s inquest', () => {
  it('takes an inquest, and a notification without one (sent before it was asked)', () => {
    const notification = sampleNotification();
    const { inquest: _inquest, ...older } = notification.parallelProcesses;

    expect(seriousIncidentNotification.parse(notification).parallelProcesses.inquest).toBe(false);
    expect(seriousIncidentNotification.safeParse({ ...notification, parallelProcesses: older }).success).toBe(
      true,
    );
    const refused = seriousIncidentNotification.safeParse({
      ...notification,
      parallelProcesses: { ...older, inquest: 'yes' },
    });
    expect(refused.success ? [] : invalidFields(refused.error)).toEqual([
      { field: 'parallelProcesses.inquest', message: 'Say whether there is a coroner’s inquest' },
    ]);
  });
});
