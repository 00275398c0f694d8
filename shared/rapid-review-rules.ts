import { CalendarDate } from './calendar/dates.ts';
import {
  addWorkingDays,
  isWorkingDay,
  nextWorkingDay,
  subtractWorkingDays,
  workingDaysBetween,
} from './calendar/working-days.ts';
import { nonEmpty, wholeNumber } from './schemas/primitives.ts';
import * as z from './schemas/zod.ts';

/** The Rapid Review steps the workflow waits for, by stable key (the state machine refers to these). */
export const milestoneKey = z.enum([
  'requestAgencySummaries',
  'remindAgencies',
  'agencySummariesDue',
  'collateReport',
  'distributePapers',
  'rapidReviewMeeting',
  'submitToPanel',
]);
export type MilestoneKey = z.infer<typeof milestoneKey>;

const wallClockTime = z
  .string()
  .check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'Enter a 24-hour time as HH:MM' }));

const timeZone = z.string().check(
  z.refine(
    (value) => {
      try {
        new Intl.DateTimeFormat('en-GB', { timeZone: value });
        return true;
      } catch {
        return false;
      }
    },
    { error: 'Enter an IANA time zone such as Europe/London' },
  ),
);

/** One step of the timetable: on which working day (Day 1 = the day work starts) it falls. */
export const milestoneRule = z.object({
  day: wholeNumber(1),
  key: milestoneKey,
  name: nonEmpty(),
});
export type MilestoneRule = z.infer<typeof milestoneRule>;

/**
 * The rungs of the escalation ladder an agency that has not returned its summary climbs, in
 * order: a reminder to its single point of contact; the contact again with the agency's
 * strategic lead copied; a formal written request for information (section 16H of the Children
 * Act 2004) from the partnership to the strategic lead, the Rapid Review Group told.
 */
export const escalationRungKind = z.enum(['reminder', 'lead-copied', 'formal-request']);
export type EscalationRungKind = z.infer<typeof escalationRungKind>;

/** The last plan day a rung may fall on: the summaries are collated on the day after. */
export const LAST_RUNG_DAY = 10;

/**
 * One rung: what happens and on which Day of the plan. A reminder runs at the start of its
 * working day; the other rungs at its end, when the day has passed without a return.
 */
export const escalationRung = z.object({
  kind: escalationRungKind,
  day: wholeNumber(1).check(
    z.lte(LAST_RUNG_DAY, { error: `A rung must fall on Day ${LAST_RUNG_DAY} or before` }),
  ),
});
export type EscalationRung = z.infer<typeof escalationRung>;

/** Each rule's value when a profile does not set it: the Panel's guidance and the partnership's framework. */
const DEFAULTS = {
  timeZone: 'Europe/London',
  workingDayStart: '09:00',
  workingDayEnd: '17:00',
  reminderDay: 7,
  notificationDueWithinWorkingDays: 5,
  panelExpectsReviewWithinWorkingDays: 15,
} as const;

/**
 * The ladder when a profile sets none: today's reminder on the reminder day, the strategic lead
 * copied at the Day 10 deadline, and the formal request at the same deadline (nothing later fits
 * before the summaries are collated on Day 11).
 */
function defaultLadder(reminderDay: number): EscalationRung[] {
  return [
    { kind: 'reminder', day: reminderDay },
    { kind: 'lead-copied', day: 10 },
    { kind: 'formal-request', day: 10 },
  ];
}

/** The steps as the partnership's framework sets them, the reminder on the given day. */
function defaultMilestones(reminderDay: number): MilestoneRule[] {
  return [
    { day: 1, key: 'requestAgencySummaries', name: 'Requests sent to agencies' },
    { day: reminderDay, key: 'remindAgencies', name: 'Reminder to agencies' },
    { day: 10, key: 'agencySummariesDue', name: 'Agency summaries due' },
    { day: 11, key: 'collateReport', name: 'Summaries collated' },
    { day: 12, key: 'distributePapers', name: 'Papers to the Rapid Review Group' },
    { day: 14, key: 'rapidReviewMeeting', name: 'Rapid Review Group meeting and decision' },
    { day: 15, key: 'submitToPanel', name: 'Outcome to the Panel' },
  ];
}

/**
 * The configurable rules of the Rapid Review timetable (Working Together; the partnership's
 * framework). Every field has a default, so a partnership profile gives only what it changes;
 * without a milestone list, the default one is used with the reminder on `reminderDay`.
 */
export const rapidReviewRules = z
  .pipe(
    z.object({
      /** Where working days and working hours are reckoned. Bank holidays are England and Wales's. */
      timeZone: z._default(timeZone, DEFAULTS.timeZone),
      /** When a milestone's work starts on its day. */
      workingDayStart: z._default(wallClockTime, DEFAULTS.workingDayStart),
      /** When a milestone is due on its day; a notification received at or after this starts the next working day. */
      workingDayEnd: z._default(wallClockTime, DEFAULTS.workingDayEnd),
      /** The Day on which agencies yet to return a summary are reminded. The remindAgencies milestone falls on it. */
      reminderDay: z._default(wholeNumber(1), DEFAULTS.reminderDay),
      /** The local authority should notify the Panel within this many working days of becoming aware. */
      notificationDueWithinWorkingDays: z._default(wholeNumber(1), DEFAULTS.notificationDueWithinWorkingDays),
      /** The Panel expects the rapid review within this many working days of being notified. */
      panelExpectsReviewWithinWorkingDays: z._default(
        wholeNumber(1),
        DEFAULTS.panelExpectsReviewWithinWorkingDays,
      ),
      /** Every step, in the order it happens. */
      milestones: z.optional(z.array(milestoneRule)),
      /**
       * How an agency without a summary is chased, rung by rung, in order (at most one of each
       * kind, each on a Day no earlier than the one before, Days 1–10). Without one: the
       * reminder on the reminder day, the strategic lead copied and the formal request on Day 10.
       */
      escalationLadder: z.optional(z.array(escalationRung)),
    }),
    z.transform(({ milestones, escalationLadder, ...rules }) => ({
      ...rules,
      milestones: milestones ?? defaultMilestones(rules.reminderDay),
      escalationLadder: escalationLadder ?? defaultLadder(rules.reminderDay),
    })),
  )
  .check(
    z.superRefine((rules, ctx) => {
      // Zero-padded HH:MM strings order like the times they name.
      if (rules.workingDayStart >= rules.workingDayEnd) {
        ctx.addIssue({
          code: 'custom',
          path: ['workingDayEnd'],
          message: 'The working day must end after it starts',
        });
      }
      for (const key of milestoneKey.options) {
        const count = rules.milestones.filter((milestone) => milestone.key === key).length;
        if (count !== 1) {
          ctx.addIssue({
            code: 'custom',
            path: ['milestones'],
            message: `The milestone ${key} must appear exactly once, not ${count} times`,
          });
        }
      }
      rules.milestones.forEach((milestone, index) => {
        const previous = rules.milestones[index - 1];
        if (previous !== undefined && milestone.day <= previous.day) {
          ctx.addIssue({
            code: 'custom',
            path: ['milestones', index, 'day'],
            message: `${milestone.key} must fall after ${previous.key}`,
          });
        }
        if (milestone.key === 'remindAgencies' && milestone.day !== rules.reminderDay) {
          ctx.addIssue({
            code: 'custom',
            path: ['milestones', index, 'day'],
            message: `The reminder must fall on the reminder day (Day ${rules.reminderDay})`,
          });
        }
      });
      const order = escalationRungKind.options;
      rules.escalationLadder.forEach((rung, index) => {
        const previous = rules.escalationLadder[index - 1];
        if (rules.escalationLadder.filter((other) => other.kind === rung.kind).length > 1) {
          ctx.addIssue({
            code: 'custom',
            path: ['escalationLadder', index, 'kind'],
            message: `The ladder may have one ${rung.kind} rung, not more`,
          });
        }
        if (previous !== undefined && order.indexOf(rung.kind) <= order.indexOf(previous.kind)) {
          ctx.addIssue({
            code: 'custom',
            path: ['escalationLadder', index, 'kind'],
            message: `The rungs go reminder, lead-copied, formal-request: ${rung.kind} cannot follow ${previous.kind}`,
          });
        }
        if (previous !== undefined && rung.day < previous.day) {
          ctx.addIssue({
            code: 'custom',
            path: ['escalationLadder', index, 'day'],
            message: `The ${rung.kind} rung must fall on or after the ${previous.kind} rung's Day ${previous.day}`,
          });
        }
        if (rung.kind === 'reminder' && rung.day !== rules.reminderDay) {
          ctx.addIssue({
            code: 'custom',
            path: ['escalationLadder', index, 'day'],
            message: `The reminder must fall on the reminder day (Day ${rules.reminderDay})`,
          });
        }
      });
    }),
  );

export type RapidReviewRules = z.infer<typeof rapidReviewRules>;

/**
 * The rules as the Panel's guidance and the partnership's framework set them: what
 * `rapidReviewRules.parse({})` answers (a test holds the two together), written out so that no
 * function parses rules at every cold start. Frozen: every caller shares it.
 */
export const defaultRapidReviewRules: RapidReviewRules = Object.freeze({
  ...DEFAULTS,
  milestones: Object.freeze(
    defaultMilestones(DEFAULTS.reminderDay).map((milestone) => Object.freeze(milestone)),
  ),
  escalationLadder: Object.freeze(defaultLadder(DEFAULTS.reminderDay).map((rung) => Object.freeze(rung))),
}) as RapidReviewRules;

/**
 * The date the Panel expects the rapid review: `withinWorkingDays` working days counted from the
 * day the Panel was notified, the day after it being working day 1. A notification on a weekend
 * or a bank holiday counts from the next working day, as if it had come then. This is the Panel's
 * expectation (its guidance), not a statutory deadline.
 * @throws CalendarRangeError when a date falls outside the bank holiday calendar.
 */
export function panelExpectedBy(panelNotifiedOn: CalendarDate, withinWorkingDays: number): CalendarDate {
  const countedFrom = isWorkingDay(panelNotifiedOn) ? panelNotifiedOn : nextWorkingDay(panelNotifiedOn);
  return addWorkingDays(countedFrom, withinWorkingDays);
}

/** Which clock a review works to: the Panel's date or the partnership's own Day 15. */
export type GoverningClock = 'panel' | 'local';

/** The one deadline a review works to, and its milestones' dates pulled back to meet it. */
export interface GoverningPlan {
  /** The date the submission to the Panel is due: the earlier of the two clocks. */
  dueDate: CalendarDate;
  /** `panel` when the Panel's date is earlier, or the same day; `local` otherwise, or with no Panel date. */
  governedBy: GoverningClock;
  /** How many working days the later clock falls after the governing one (0 when they agree or there is one). */
  workingDaysApart: number;
  /** Each milestone's date, in the order given: the local date, or pulled back to meet the Panel's. */
  milestoneDates: CalendarDate[];
}

/**
 * Two clocks, one deadline: the rule the workflow works to.
 *
 * The local timetable is the partnership's own Days 1–15 from receipt (`localDates`, one per
 * milestone, in order, with the submission milestone's date at `submissionIndex`). The Panel's
 * date is `panelExpectedBy` (absent when the Panel's notification date is unknown). The review
 * works to the earlier of the two; when the Panel's date is the same day or earlier, it governs.
 *
 * When the Panel's date falls before the local submission date, the milestones are pulled back so
 * that the submission is due on the Panel's date: each milestone keeps its distance in working
 * days from the submission (Day 12's papers stay three working days before it, a milestone after
 * the submission stays as far after it), but is never earlier than the next working day after
 * receipt (`receivedOn`), never later than its local date (pulling back moves nothing later),
 * and never before the milestone before it. Day 1, the requests, stays the day work starts. So
 * when the Panel's date had already passed, or falls too soon, for that, the submission is
 * planned as soon as the milestones before it allow, and `dueDate` still says the Panel's date.
 * @throws CalendarRangeError when a date falls outside the bank holiday calendar.
 */
export function governingPlan(input: {
  localDates: readonly CalendarDate[];
  submissionIndex: number;
  panelDate: CalendarDate | undefined;
  receivedOn: CalendarDate;
}): GoverningPlan {
  const { localDates, submissionIndex, panelDate, receivedOn } = input;
  const localDue = localDates[submissionIndex];
  if (localDue === undefined) throw new RangeError(`No milestone at index ${submissionIndex}`);
  if (panelDate === undefined || CalendarDate.compare(panelDate, localDue) > 0) {
    return {
      dueDate: localDue,
      governedBy: 'local',
      workingDaysApart: panelDate === undefined ? 0 : workingDaysBetween(localDue, panelDate),
      milestoneDates: [...localDates],
    };
  }
  const earliest = nextWorkingDay(receivedOn);
  const later = (a: CalendarDate, b: CalendarDate) => (CalendarDate.compare(a, b) < 0 ? b : a);
  const earlier = (a: CalendarDate, b: CalendarDate) => (CalendarDate.compare(a, b) > 0 ? b : a);
  const milestoneDates: CalendarDate[] = [];
  localDates.forEach((local, index) => {
    const distance = workingDaysBetween(local, localDue);
    const pulled =
      distance >= 0 ? subtractWorkingDays(panelDate, distance) : addWorkingDays(panelDate, -distance);
    const date = earlier(later(pulled, earliest), local);
    const previous = milestoneDates[index - 1];
    milestoneDates.push(previous === undefined ? date : later(date, previous));
  });
  return {
    dueDate: panelDate,
    governedBy: 'panel',
    workingDaysApart: workingDaysBetween(panelDate, localDue),
    milestoneDates,
  };
}
