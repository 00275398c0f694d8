import { bankHolidayCalendarRange } from '../calendar/working-days.ts';
import { formatDate } from '../workflow/london-time.ts';
import { agencyId, emailAddress, isoDate, optionalText, text, textMessages } from './primitives.ts';
import * as z from './zod.ts';

/** How each of the notification's dates is named in messages, by the API and the notify pages alike. */
export const notificationDateLabels = {
  occurredOn: 'Date of incident',
  localAuthorityAwareOn: 'Date the local authority became aware',
  panelNotifiedOn: 'Date the Panel was notified',
  dateOfBirth: 'Date of birth',
} as const;

/**
 * The one rule for a date that has happened: on or before today (the London date of the
 * service's clock). The message when it is not, or undefined. The notify pages and the API both
 * ask this, so they refuse the same dates in the same words.
 */
export function futureDateMessage(label: string, date: string, today: string): string | undefined {
  return date > today ? `${label} must be today or in the past` : undefined;
}

/**
 * The earliest incident the service can time: the first day of the bank holiday calendar, since
 * working days before it cannot be counted. The message for an earlier one, or undefined.
 */
export function tooEarlyIncidentMessage(occurredOn: string): string | undefined {
  const first = bankHolidayCalendarRange().first.toString();
  return occurredOn !== '' && occurredOn < first
    ? `${notificationDateLabels.occurredOn} must be on or after ${formatDate(first, { weekday: false })}`
    : undefined;
}

/** A child born after the incident: the message, or undefined. */
export function bornAfterIncidentMessage(
  dateOfBirth: string | undefined,
  occurredOn: string,
): string | undefined {
  return dateOfBirth !== undefined && occurredOn !== '' && dateOfBirth > occurredOn
    ? `${notificationDateLabels.dateOfBirth} must be on or before the date of the incident`
    : undefined;
}

/**
 * Who the notification is about: a named child, an unborn child, or a child not yet identified
 * (the last two have no name and no date of birth). A notification without it names the child.
 */
export const childIdentity = z.enum(['named', 'unborn', 'not-yet-identified'], {
  error: 'Select whether the child is named, unborn or not yet identified',
});
export type ChildIdentity = z.infer<typeof childIdentity>;

/** The oldest age a notification can name: 17, or 24 for a care leaver. */
export const MAX_CHILD_AGE = 17;
export const MAX_CARE_LEAVER_AGE = 24;

/** The age cap for a child, from the care-leaver flag. */
export function ageCapOf(child: { careLeaver?: boolean | undefined }): number {
  return child.careLeaver ? MAX_CARE_LEAVER_AGE : MAX_CHILD_AGE;
}

/** The message for an age over the child's cap, or undefined. */
export function ageOverCapMessage(
  age: number,
  child: { careLeaver?: boolean | undefined },
): string | undefined {
  if (age <= ageCapOf(child)) return undefined;
  return child.careLeaver
    ? `A care leaver must be ${MAX_CARE_LEAVER_AGE} or younger`
    : 'Age must be under 18, unless the young person is a care leaver (up to and including 24)';
}

/** Whole years from `born` to `on` (both YYYY-MM-DD). */
export function ageOn(born: string, on: string): number {
  const years = Number(on.slice(0, 4)) - Number(born.slice(0, 4));
  return on.slice(5) < born.slice(5) ? years - 1 : years;
}

/**
 * Whether ten digits pass the NHS number's modulus 11 check: the first nine weighted 10 down to
 * 2, the total's remainder by 11 taken from 11 (11 becomes 0; 10 is never issued) is the tenth.
 */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let total = 0;
  for (let index = 0; index < 9; index += 1) total += Number(digits[index]) * (10 - index);
  const check = 11 - (total % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === Number(digits[9]);
}

/** An NHS number as people write it: 3, 3 and 4 digits apart ("943 476 5919"). */
export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}

/** A several-line address on one line: its non-blank lines, joined by commas. */
export function addressInOneLine(address: string): string {
  return address
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/,$/, ''))
    .filter((line) => line !== '')
    .join(', ');
}

export const nhsNumberMessages = {
  format: 'Enter the NHS number as 10 digits, like 943 476 5919',
  checkDigit: 'Enter a real NHS number: this one fails its check digit',
} as const;

/** An NHS number: 10 digits, spaces allowed (kept without them), passing the modulus 11 check. */
export const nhsNumber = z.string({ error: nhsNumberMessages.format }).check(
  z.overwrite((value: string) => value.replace(/\s+/g, '')),
  z.regex(/^\d{10}$/, { error: nhsNumberMessages.format }),
  // Only ten digits have a check digit to test: anything else has the message above alone.
  z.refine((digits: string) => !/^\d{10}$/.test(digits) || isValidNhsNumber(digits), {
    error: nhsNumberMessages.checkDigit,
  }),
);

/** The most household members a notification names. */
export const MAX_HOUSEHOLD_MEMBERS = 12;

// ---------------------------------------------------------------- ethnicity (ONS 2021 census)

/**
 * The ethnic groups of the 2021 census for England and Wales (ONS), as GOV.UK lists them: five
 * high-level groups and their 19 categories. Each category has a code the API and the stored
 * notification carry (`asian-indian`); the "Any other …" categories may carry a description.
 */
export const ethnicGroups = [
  {
    group: 'Asian or Asian British',
    categories: [
      { code: 'asian-indian', text: 'Indian' },
      { code: 'asian-pakistani', text: 'Pakistani' },
      { code: 'asian-bangladeshi', text: 'Bangladeshi' },
      { code: 'asian-chinese', text: 'Chinese' },
      { code: 'asian-any-other', text: 'Any other Asian background' },
    ],
  },
  {
    group: 'Black, Black British, Caribbean or African',
    categories: [
      { code: 'black-caribbean', text: 'Caribbean' },
      { code: 'black-african', text: 'African' },
      { code: 'black-any-other', text: 'Any other Black, Black British or Caribbean background' },
    ],
  },
  {
    group: 'Mixed or multiple ethnic groups',
    categories: [
      { code: 'mixed-white-black-caribbean', text: 'White and Black Caribbean' },
      { code: 'mixed-white-black-african', text: 'White and Black African' },
      { code: 'mixed-white-asian', text: 'White and Asian' },
      { code: 'mixed-any-other', text: 'Any other Mixed or multiple ethnic background' },
    ],
  },
  {
    group: 'White',
    categories: [
      { code: 'white-british', text: 'English, Welsh, Scottish, Northern Irish or British' },
      { code: 'white-irish', text: 'Irish' },
      { code: 'white-gypsy-irish-traveller', text: 'Gypsy or Irish Traveller' },
      { code: 'white-roma', text: 'Roma' },
      { code: 'white-any-other', text: 'Any other White background' },
    ],
  },
  {
    group: 'Other ethnic group',
    categories: [
      { code: 'other-arab', text: 'Arab' },
      { code: 'other-any-other', text: 'Any other ethnic group' },
    ],
  },
] as const;

/** The code for an ethnicity the notifier does not know (there is no "Prefer not to say": the child is not answering). */
export const ETHNICITY_NOT_KNOWN = 'not-known';

type EthnicCategoryCode = (typeof ethnicGroups)[number]['categories'][number]['code'];
export type EthnicityCode = EthnicCategoryCode | typeof ETHNICITY_NOT_KNOWN;

/** Every ethnicity code, in the order the census lists them, "not-known" last. */
export const ethnicityCodes: readonly EthnicityCode[] = [
  ...ethnicGroups.flatMap((group) => group.categories.map((category) => category.code)),
  ETHNICITY_NOT_KNOWN,
];

export function isEthnicityCode(value: unknown): value is EthnicityCode {
  return typeof value === 'string' && (ethnicityCodes as readonly string[]).includes(value);
}

/** Whether a category is an "Any other …" one, which may carry a description. */
export function takesEthnicityDescription(code: EthnicityCode): boolean {
  return code.endsWith('-any-other');
}

export const ethnicityMessages = {
  select: 'Select the child’s ethnicity',
  code: `Select the child’s ethnicity from the 2021 census categories: one of ${ethnicityCodes.join(', ')}`,
  descriptionNotTaken: 'Only an ‘Any other’ background takes a description: leave it out',
  freeText:
    'Give the child’s ethnicity as a 2021 census category, like { "code": "white-british" }, not as free text',
} as const;

/** An ethnicity as a census category, with a description for an "Any other …" background. */
export const codedEthnicity = z
  .object({
    // A custom check rather than an enum, so a wrong code is reported on `code` (an enum's issue
    // would make the union below report only "Invalid input").
    code: z.custom<EthnicityCode>(isEthnicityCode, { error: ethnicityMessages.code, abort: false }),
    description: optionalText(120),
  })
  .check(
    z.superRefine((ethnicity, ctx) => {
      if (
        ethnicity.description !== undefined &&
        isEthnicityCode(ethnicity.code) &&
        !takesEthnicityDescription(ethnicity.code)
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['description'],
          message: ethnicityMessages.descriptionNotTaken,
        });
      }
    }),
  );
export type CodedEthnicity = z.infer<typeof codedEthnicity>;

/**
 * A child's ethnicity: a census category, or, on a notification received before the categories
 * were asked, the free text it gave. A new notification gives a category
 * (`seriousIncidentNotificationOn`); a stored one still reads, whichever it holds.
 */
export const childEthnicity = z.union([codedEthnicity, text(120)], { error: ethnicityMessages.select });
export type ChildEthnicity = z.infer<typeof childEthnicity>;

/** "White: Irish", "Asian or Asian British: Any other Asian background (Sri Lankan)", "Not known"; free text as given. */
export function ethnicityInWords(ethnicity: ChildEthnicity): string {
  if (typeof ethnicity === 'string') return ethnicity;
  if (ethnicity.code === ETHNICITY_NOT_KNOWN) return 'Not known';
  for (const group of ethnicGroups) {
    const category = group.categories.find((candidate) => candidate.code === ethnicity.code);
    if (category) {
      const described = ethnicity.description ? ` (${ethnicity.description})` : '';
      return `${group.group}: ${category.text}${described}`;
    }
  }
  return 'Not known';
}

// ---------------------------------------------------------------- disability, plans and care

/** Whether a child is disabled: yes (with a description, if given), no, or not known. */
export const childDisability = z
  .object({
    answer: z.enum(['yes', 'no', 'not-known'], { error: 'Select whether the child has a disability' }),
    description: optionalText(500, { multiline: true }),
  })
  .check(
    z.superRefine((disability, ctx) => {
      if (disability.description !== undefined && disability.answer !== 'yes') {
        ctx.addIssue({
          code: 'custom',
          path: ['description'],
          message: 'Describe the disability only when the child has one: leave it out',
        });
      }
    }),
  );
export type ChildDisability = z.infer<typeof childDisability>;

/**
 * Whether something applies to the child now, applied before, never did, or is not known: a
 * child protection plan, child in need status, being looked after.
 */
export const PLAN_STATUSES = ['current', 'previously', 'never', 'not-known'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];
const planStatus = (error: string) => z.enum(PLAN_STATUSES, { error });

/** The plan statuses in words, by what they are about. */
export const planStatusWords: Record<
  'childProtectionPlan' | 'childInNeed' | 'lookedAfterStatus',
  Record<PlanStatus, string>
> = {
  childProtectionPlan: {
    current: 'Subject to a child protection plan now',
    previously: 'Previously subject to a child protection plan',
    never: 'Never subject to a child protection plan',
    'not-known': 'Not known',
  },
  childInNeed: {
    current: 'A child in need now',
    previously: 'Previously a child in need',
    never: 'Never a child in need',
    'not-known': 'Not known',
  },
  lookedAfterStatus: {
    current: 'Looked after now',
    previously: 'Previously looked after',
    never: 'Never looked after',
    'not-known': 'Not known',
  },
};

export const disabilityWords: Record<ChildDisability['answer'], string> = {
  yes: 'Yes',
  no: 'No',
  'not-known': 'Not known',
};

/** The disability answer in words: "Yes: <description>", "No", "Not known". */
export function disabilityInWords(disability: ChildDisability): string {
  return disability.answer === 'yes' && disability.description
    ? `Yes: ${disability.description}`
    : disabilityWords[disability.answer];
}

/** Whether the child is looked after, in words: the status when the notification gave one, else yes or no. */
export function lookedAfterInWords(child: Pick<NotifiedChild, 'lookedAfter' | 'lookedAfterStatus'>): string {
  if (child.lookedAfterStatus) return planStatusWords.lookedAfterStatus[child.lookedAfterStatus];
  return child.lookedAfter ? 'Yes' : 'No';
}

/** Someone the notification names as living in the child's household: who, and how related to the child. */
export const householdMember = z.object({
  name: text(120),
  relationship: text(120),
});
export type HouseholdMember = z.infer<typeof householdMember>;

/** One child named in a serious incident notification (1 to 4 per notification). */
export const notifiedChild = z
  .object({
    /** Absent on notifications from before it was asked: a named child. */
    identity: z.optional(childIdentity),
    /** Required for a named child; an unborn or not yet identified child has none. */
    name: z.optional(text(120)),
    dateOfBirth: z.optional(isoDate),
    ageYears: z.optional(
      z.int({ error: 'Enter the age in whole years' }).check(z.gte(0, { error: 'Age must be 0 or more' })),
    ),
    sex: z.enum(['female', 'male', 'not-known'], { error: 'Select the sex' }),
    ethnicity: childEthnicity,
    /** Looked after now (at the time of the notification). */
    lookedAfter: z.boolean({ error: 'Say whether the child is looked after' }),
    /**
     * Looked after now, previously, never, or not known: `current` exactly when `lookedAfter`.
     * Absent on notifications from before it was asked, and for an unborn child.
     */
    lookedAfterStatus: z.optional(planStatus('Select whether the child is or was looked after')),
    /** A care leaver (up to and including age 24): the age cap is 24 rather than 17. */
    careLeaver: z.optional(z.boolean({ error: 'Say whether the young person is a care leaver' })),
    /** Absent on notifications from before it was asked, and for an unborn child. */
    disability: z.optional(childDisability),
    /** Absent on notifications from before it was asked (an unborn child may have a pre-birth plan). */
    childProtectionPlan: z.optional(planStatus('Select whether the child has a child protection plan')),
    /** Absent on notifications from before it was asked. */
    childInNeed: z.optional(planStatus('Select whether the child is a child in need')),
    /** Where the child lives, if given: several lines. */
    address: optionalText(500, { multiline: true }),
    /** The child's NHS number, if given (10 digits, kept without spaces). */
    nhsNumber: z.optional(nhsNumber),
  })
  .check(
    z.superRefine((child, ctx) => {
      const identity = child.identity ?? 'named';
      if (identity === 'named') {
        if (child.name === undefined) {
          ctx.addIssue({ code: 'custom', path: ['name'], message: textMessages.required });
        }
        if (child.dateOfBirth === undefined && child.ageYears === undefined) {
          ctx.addIssue({ code: 'custom', path: ['dateOfBirth'], message: 'Enter a date of birth or an age' });
        }
      } else {
        const which = identity === 'unborn' ? 'An unborn child' : 'A child not yet identified';
        if (child.name !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['name'], message: `${which} has no name: leave it out` });
        }
        if (child.dateOfBirth !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['dateOfBirth'],
            message: `${which} has no date of birth: leave it out`,
          });
        }
        if (identity === 'unborn' && child.ageYears !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['ageYears'],
            message: 'An unborn child has no age: leave it out',
          });
        }
        if (identity === 'unborn' && child.careLeaver) {
          ctx.addIssue({
            code: 'custom',
            path: ['careLeaver'],
            message: 'An unborn child cannot be a care leaver',
          });
        }
        // Neither question is asked of an unborn child: one cannot be looked after, and a
        // disability is not recorded before birth. A pre-birth child protection plan, or child
        // in need plan, is asked (they are common).
        if (
          identity === 'unborn' &&
          (child.lookedAfter ||
            child.lookedAfterStatus === 'current' ||
            child.lookedAfterStatus === 'previously')
        ) {
          ctx.addIssue({
            code: 'custom',
            path: [child.lookedAfter ? 'lookedAfter' : 'lookedAfterStatus'],
            message: 'An unborn child cannot be looked after',
          });
        }
        if (identity === 'unborn' && child.disability !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['disability'],
            message: 'An unborn child is not asked about disability: leave it out',
          });
        }
      }
      if (
        child.lookedAfterStatus !== undefined &&
        child.lookedAfter !== (child.lookedAfterStatus === 'current') &&
        identity !== 'unborn' // an unborn child looked after is refused above
      ) {
        ctx.addIssue({
          code: 'custom',
          path: ['lookedAfter'],
          message: 'Looked after now (lookedAfter) must be true exactly when lookedAfterStatus is "current"',
        });
      }
      if (child.careLeaver && child.lookedAfterStatus === 'never') {
        ctx.addIssue({
          code: 'custom',
          path: ['careLeaver'],
          message: 'A care leaver was looked after: their looked-after status cannot be "never"',
        });
      }
      if (child.ageYears !== undefined) {
        const message = ageOverCapMessage(child.ageYears, child);
        if (message) ctx.addIssue({ code: 'custom', path: ['ageYears'], message });
      }
    }),
  );

/** How a child is named in lists and messages: their name, or which kind of unnamed child they are. */
export function childLabel(child: Pick<NotifiedChild, 'identity' | 'name'>): string {
  if (child.identity === 'unborn') return 'Unborn child';
  if (child.identity === 'not-yet-identified') return 'Child not yet identified';
  return child.name ?? 'Child';
}

/** An agency asked for a summary, with its single point of contact. */
export const notifiedAgency = z.object({
  name: text(120),
  spoc: z.object({ name: text(120), email: emailAddress }),
  /**
   * The agency's id in the partnership directory, when it was picked from it (issue 11 part 6):
   * the case gives the agency this id, so the directory's strategic lead is found by it. Absent
   * for an agency added by hand, whose id is made from its name.
   */
  agencyId: z.optional(agencyId),
});

/** Other processes running alongside the review, which the Rapid Review must coordinate with. */
export const parallelProcesses = z.object({
  policeInvestigation: z.boolean({ error: 'Say whether there is a police investigation' }),
  childDeathReview: z.boolean({ error: 'Say whether there is a child death review' }),
  safeguardingAdultReview: z.boolean({ error: 'Say whether there is a safeguarding adult review' }),
  domesticHomicideReview: z.boolean({ error: 'Say whether there is a domestic homicide review' }),
  /** A coroner's inquest. Absent on notifications from before it was asked. */
  inquest: z.optional(z.boolean({ error: 'Say whether there is a coroner’s inquest' })),
  other: optionalText(500, { multiline: true }),
});

/**
 * A case that crosses a local authority border: the other local authority, whether the child
 * lives there or the incident happened there, and which partnership leads the review.
 */
export const crossBorder = z.object({
  otherLocalAuthority: text(120),
  connection: z.enum(['child-lives-there', 'incident-happened-there'], {
    error: 'Select whether the child lives there or the incident happened there',
  }),
  leadPartnership: z.enum(['this', 'other'], { error: 'Select which partnership leads the review' }),
});
export type CrossBorder = z.infer<typeof crossBorder>;

/**
 * For the death of a looked-after child or a care leaver: when the Secretary of State and Ofsted
 * were notified (both required then; neither in the future, nor before the death).
 */
export const deathNotifications = z.object({
  secretaryOfStateNotifiedOn: isoDate,
  ofstedNotifiedOn: isoDate,
});
export type DeathNotifications = z.infer<typeof deathNotifications>;

export const deathNotificationLabels = {
  secretaryOfStateNotifiedOn: 'Date the Secretary of State was notified',
  ofstedNotifiedOn: 'Date Ofsted was notified',
} as const;

/** Whether the notification is of the death of a looked-after child or a care leaver. */
export function isLookedAfterOrCareLeaverDeath(notification: {
  incident: { kind: string };
  children: readonly { lookedAfter: boolean; careLeaver?: boolean | undefined }[];
}): boolean {
  return (
    notification.incident.kind === 'death' &&
    notification.children.some((child) => child.lookedAfter || child.careLeaver === true)
  );
}

/**
 * The incident's dates run in order: the incident (no earlier than the calendar's first day), then
 * the local authority's awareness, then the notification to the Panel. Shared by the notification schema and the notify pages, so
 * both say the same thing.
 */
export function checkIncidentDateOrder(
  incident: { occurredOn: string; localAuthorityAwareOn: string; panelNotifiedOn: string },
  ctx: z.core.$RefinementCtx,
): void {
  const tooEarly = tooEarlyIncidentMessage(incident.occurredOn);
  if (tooEarly) ctx.addIssue({ code: 'custom', path: ['incident', 'occurredOn'], message: tooEarly });
  if (incident.localAuthorityAwareOn < incident.occurredOn) {
    ctx.addIssue({
      code: 'custom',
      path: ['incident', 'localAuthorityAwareOn'],
      message: 'The date the local authority became aware must be on or after the incident',
    });
  }
  if (incident.panelNotifiedOn < incident.localAuthorityAwareOn) {
    ctx.addIssue({
      code: 'custom',
      path: ['incident', 'panelNotifiedOn'],
      message: 'The date the Panel was notified must be on or after the local authority became aware',
    });
  }
}

/**
 * The death of a looked-after child or care leaver needs both dates, neither before the death.
 * Shared by the notification schema and the notify pages.
 */
export function checkDeathNotifications(
  notification: {
    incident: { kind: string; occurredOn: string };
    children: readonly { lookedAfter: boolean; careLeaver?: boolean | undefined }[];
    deathNotifications?: Partial<DeathNotifications> | undefined;
  },
  ctx: z.core.$RefinementCtx,
): void {
  const given = notification.deathNotifications;
  if (isLookedAfterOrCareLeaverDeath(notification) && given === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['deathNotifications'],
      message:
        'For the death of a looked-after child or care leaver, enter when the Secretary of State and Ofsted were notified',
    });
  }
  for (const field of ['secretaryOfStateNotifiedOn', 'ofstedNotifiedOn'] as const) {
    const date = given?.[field];
    if (
      date !== undefined &&
      notification.incident.occurredOn !== '' &&
      date < notification.incident.occurredOn
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['deathNotifications', field],
        message: `${deathNotificationLabels[field]} must be on or after the date of the incident`,
      });
    }
  }
}

/** The serious incident notification a local authority sends the partnership. */
export const seriousIncidentNotification = z
  .object({
    notifyingLocalAuthority: text(120),
    incident: z.object({
      kind: z.enum(['death', 'serious-harm'], { error: 'Select death or serious harm' }),
      occurredOn: isoDate,
      location: text(200),
      localAuthorityAwareOn: isoDate,
      panelNotifiedOn: isoDate,
      panelReference: text(60),
      summary: optionalText(4000, { multiline: true }),
    }),
    children: z
      .array(notifiedChild, { error: 'Add at least one child' })
      .check(
        z.minLength(1, { error: 'Add at least one child' }),
        z.maxLength(4, { error: 'A notification names at most 4 children' }),
      ),
    agencies: z
      .array(notifiedAgency, { error: 'Add at least one agency' })
      .check(
        z.minLength(1, { error: 'Add at least one agency' }),
        z.maxLength(30, { error: 'A notification names at most 30 agencies' }),
      ),
    notifier: z.object({
      name: text(120),
      role: text(120),
      email: emailAddress,
      phone: optionalText(40),
    }),
    /** The members of the child's household the notification names, if any. */
    householdMembers: z.optional(
      z.array(householdMember, { error: 'List the household members' }).check(
        z.maxLength(MAX_HOUSEHOLD_MEMBERS, {
          error: `A notification names at most ${MAX_HOUSEHOLD_MEMBERS} household members`,
        }),
      ),
    ),
    parallelProcesses,
    /** Required for the death of a looked-after child or a care leaver. */
    deathNotifications: z.optional(deathNotifications),
    /** Only when the case crosses a local authority border. */
    crossBorder: z.optional(crossBorder),
  })
  .check(
    z.superRefine((notification, ctx) => {
      checkIncidentDateOrder(notification.incident, ctx);
      notification.children.forEach((child, index) => {
        const message = bornAfterIncidentMessage(child.dateOfBirth, notification.incident.occurredOn);
        if (message) ctx.addIssue({ code: 'custom', path: ['children', index, 'dateOfBirth'], message });
      });
      checkDeathNotifications(notification, ctx);
      const seen = new Set<string>();
      const seenIds = new Set<string>();
      notification.agencies.forEach((agency, index) => {
        const key = agency.name.toLowerCase();
        if (seen.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['agencies', index, 'name'],
            message: 'Each agency must be named once',
          });
        }
        seen.add(key);
        if (agency.agencyId === undefined) return;
        if (seenIds.has(agency.agencyId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['agencies', index, 'agencyId'],
            message: 'Each agency from the partnership directory must be named once',
          });
        }
        seenIds.add(agency.agencyId);
      });
    }),
  );

/** The free-text ethnicity a stored notification gave the child at `index`, if it gave one. */
function freeTextEthnicityOf(notification: unknown, index: number): string | undefined {
  const children = (notification as { children?: unknown } | null | undefined)?.children;
  const child = Array.isArray(children)
    ? (children[index] as { ethnicity?: unknown } | undefined)
    : undefined;
  return typeof child?.ethnicity === 'string' ? child.ethnicity : undefined;
}

/**
 * The positions of the children whose ethnicity is free text that `earlier` (the version held,
 * when correcting one) did not give that child: a new answer is a census category, while a
 * correction may keep a free-text ethnicity from before the categories were asked, as it was.
 */
export function newFreeTextEthnicities(
  notification: { children: readonly { ethnicity: ChildEthnicity }[] },
  earlier?: unknown,
): number[] {
  return notification.children.flatMap((child, index) =>
    typeof child.ethnicity === 'string' && child.ethnicity !== freeTextEthnicityOf(earlier, index)
      ? [index]
      : [],
  );
}

/** How the notification is checked beyond its schema. */
export interface NotificationCheckOptions {
  /** The version held, when correcting one: a child's free-text ethnicity from it may stay. */
  earlier?: unknown;
  /** The caller checks free-text ethnicities itself (`newFreeTextEthnicities`), once it has read the version held. */
  ethnicityCheckedByCaller?: boolean;
}

/**
 * The notification as it may be received on `today` (YYYY-MM-DD, the London date of the service's
 * clock): every date that has happened is on or before today, and each child's ethnicity is a
 * census category (a correction may keep a free-text one from before, as it was).
 */
export function seriousIncidentNotificationOn(today: string, options: NotificationCheckOptions = {}) {
  return seriousIncidentNotification.check(
    z.superRefine((notification, ctx) => {
      const { incident } = notification;
      if (!options.ethnicityCheckedByCaller) {
        for (const index of newFreeTextEthnicities(notification, options.earlier)) {
          ctx.addIssue({
            code: 'custom',
            path: ['children', index, 'ethnicity'],
            message: ethnicityMessages.freeText,
          });
        }
      }
      for (const field of ['occurredOn', 'localAuthorityAwareOn', 'panelNotifiedOn'] as const) {
        const message = futureDateMessage(notificationDateLabels[field], incident[field], today);
        if (message) ctx.addIssue({ code: 'custom', path: ['incident', field], message });
      }
      for (const field of ['secretaryOfStateNotifiedOn', 'ofstedNotifiedOn'] as const) {
        const date = notification.deathNotifications?.[field];
        if (date === undefined) continue;
        const message = futureDateMessage(deathNotificationLabels[field], date, today);
        if (message) ctx.addIssue({ code: 'custom', path: ['deathNotifications', field], message });
      }
      notification.children.forEach((child, index) => {
        if (child.dateOfBirth === undefined) return;
        const message = futureDateMessage(notificationDateLabels.dateOfBirth, child.dateOfBirth, today);
        if (message) ctx.addIssue({ code: 'custom', path: ['children', index, 'dateOfBirth'], message });
        // The age on the incident's date is under the cap (17, or 24 for a care leaver); an
        // incident in the future or before the birth has its own message already.
        if (message || incident.occurredOn > today || child.dateOfBirth > incident.occurredOn) return;
        const over = ageOverCapMessage(ageOn(child.dateOfBirth, incident.occurredOn), child);
        if (over) {
          ctx.addIssue({
            code: 'custom',
            path: ['children', index, 'dateOfBirth'],
            message: `On the date of the incident: ${over.charAt(0).toLowerCase()}${over.slice(1)}`,
          });
        }
      });
    }),
  );
}

export type SeriousIncidentNotification = z.infer<typeof seriousIncidentNotification>;
export type NotifiedChild = z.infer<typeof notifiedChild>;
export type NotifiedAgency = z.infer<typeof notifiedAgency>;
