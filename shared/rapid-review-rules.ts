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

const DEFAULT_REMINDER_DAY = 7;

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
      timeZone: z._default(timeZone, 'Europe/London'),
      /** When a milestone's work starts on its day. */
      workingDayStart: z._default(wallClockTime, '09:00'),
      /** When a milestone is due on its day; a notification received at or after this starts the next working day. */
      workingDayEnd: z._default(wallClockTime, '17:00'),
      /** The Day on which agencies yet to return a summary are reminded. The remindAgencies milestone falls on it. */
      reminderDay: z._default(wholeNumber(1), DEFAULT_REMINDER_DAY),
      /** The local authority should notify the Panel within this many working days of becoming aware. */
      notificationDueWithinWorkingDays: z._default(wholeNumber(1), 5),
      /** The Panel expects the rapid review within this many working days of being notified. */
      panelExpectsReviewWithinWorkingDays: z._default(wholeNumber(1), 15),
      /** Every step, in the order it happens. */
      milestones: z.optional(z.array(milestoneRule)),
    }),
    z.transform(({ milestones, ...rules }) => ({
      ...rules,
      milestones: milestones ?? defaultMilestones(rules.reminderDay),
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
    }),
  );
export type RapidReviewRules = z.infer<typeof rapidReviewRules>;

/** The rules as the statutory guidance and the partnership's framework set them. */
export const defaultRapidReviewRules: RapidReviewRules = rapidReviewRules.parse({});
// Shared by every caller, so nobody may change the defaults for everyone else.
for (const milestone of defaultRapidReviewRules.milestones) Object.freeze(milestone);
Object.freeze(defaultRapidReviewRules.milestones);
Object.freeze(defaultRapidReviewRules);
