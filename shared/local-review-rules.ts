import { emailAddress, wholeNumber } from './schemas/primitives.ts';
import * as z from './schemas/zod.ts';

/** Each local review rule's value when a profile does not set it (issue 13). */
const DEFAULTS = {
  completionMonths: 6,
  reminderMonthsBefore: [3, 1],
  prePublicationNoticeWorkingDays: 7,
  minimumPublicationMonths: 12,
  lateChaseWorkingDays: 5,
  holdRecheckWorkingDays: 5,
  factualAccuracyReminderWorkingDaysBefore: [1, 0],
} as const;

/**
 * The target periods of a Local Child Safeguarding Practice Review, as a partnership profile
 * sets them (`localReviews`); every one has a default. Months are calendar months in the
 * partnership's time zone; working days are the Rapid Review's calendar (England and Wales).
 */
export const localReviewRules = z.object({
  /** The review's completion target, in months from the decision to commission. */
  completionMonths: z._default(wholeNumber(1), DEFAULTS.completionMonths),
  /** Reminders to the partnership team before the completion target, in months before it. */
  reminderMonthsBefore: z._default(z.array(wholeNumber(1)), [...DEFAULTS.reminderMonthsBefore]),
  /**
   * How many working days before the planned publication date the final report goes to the
   * Panel and the Secretary of State. A figure each partnership should confirm.
   */
  prePublicationNoticeWorkingDays: z._default(wholeNumber(1), DEFAULTS.prePublicationNoticeWorkingDays),
  /** How long a published report stays public at least, in months; the team is alerted a month before it ends. */
  minimumPublicationMonths: z._default(wholeNumber(2), DEFAULTS.minimumPublicationMonths),
  /** After the completion target, or a planned publication date, passes: how often the team is chased. */
  lateChaseWorkingDays: z._default(wholeNumber(1), DEFAULTS.lateChaseWorkingDays),
  /** While a parallel process holds publication back: how often the workflow looks again. */
  holdRecheckWorkingDays: z._default(wholeNumber(1), DEFAULTS.holdRecheckWorkingDays),
  /**
   * Reminders to each agency that has not yet commented on a draft in a factual-accuracy round,
   * in working days before the day comments are due (0: that day), each at the start of its
   * working day. A due day that is no working day counts from the working day before it.
   */
  factualAccuracyReminderWorkingDaysBefore: z._default(z.array(wholeNumber(0)), [
    ...DEFAULTS.factualAccuracyReminderWorkingDaysBefore,
  ]),
  /**
   * Where the notice before publication goes for the Secretary of State (the Department for
   * Education's mailbox the partnership uses). Without one, the notice goes to the Panel and the
   * partnership team is told to send the Secretary of State's copy itself.
   */
  secretaryOfStateMailbox: z.optional(emailAddress),
});
export type LocalReviewRules = z.infer<typeof localReviewRules>;
