import { escalationRungKind, type MilestoneKey, milestoneKey } from '../rapid-review-rules.ts';
import { isoDate, nonEmpty, wholeNumber } from './primitives.ts';
import * as z from './zod.ts';

/**
 * An instant in UTC with a Z, e.g. 2026-12-18T09:00:00Z: the form Step Functions' TimestampPath
 * waits take, and one that sorts and compares as text.
 */
const utcInstant = z.iso.datetime({ error: 'Expected an ISO 8601 instant in UTC, ending Z' });

/** One step of a planned Rapid Review: its working day, its date and when its work starts and is due. */
export const timetableMilestone = z.object({
  day: wholeNumber(1),
  key: milestoneKey,
  name: nonEmpty(),
  date: isoDate,
  startsAt: utcInstant,
  dueAt: utcInstant,
});
export type TimetableMilestone = z.infer<typeof timetableMilestone>;

/**
 * One rung of the escalation ladder as planned for a case: its plan Day, its date (pulled back
 * with the milestones when the Panel's date governs) and when it runs (a reminder at the start of
 * the working day, the other rungs at its end).
 */
export const plannedRung = z.object({
  kind: escalationRungKind,
  day: wholeNumber(1),
  date: isoDate,
  at: utcInstant,
});
export type PlannedRung = z.infer<typeof plannedRung>;

/** A Rapid Review's deadlines, computed once when the notification arrives (shared/timetable.ts). */
export const timetable = z.object({
  receivedAt: utcInstant,
  /** Day 1, the London working day the review starts. */
  day1: isoDate,
  milestones: z.array(timetableMilestone).check(z.minLength(1)),
  /** When the local authority should have notified the Panel; null when the date it became aware is unknown. */
  notificationDueBy: z.nullable(isoDate),
  /** Whether the notification arrived after notificationDueBy; null when that is unknown. */
  notificationLate: z.nullable(z.boolean()),
  /**
   * When the Panel expects the rapid review (15 working days from its notification, a weekend or
   * bank holiday counting from the next working day); null when the date the Panel was notified
   * is unknown.
   */
  panelDueBy: z.nullable(isoDate),
  // The fields below were added with the two clocks; a case planned before them has none, and is
  // read as governed by its local timetable (`governingOf`).
  /** The partnership's own Day 15: the submission milestone of the local timetable, before any pulling back. */
  localDueDate: z.optional(isoDate),
  /** The one date the review works to: the earlier of panelDueBy and localDueDate (the Panel's when equal). */
  governingDueDate: z.optional(isoDate),
  /** Which clock governs: `panel` or `local`. */
  governedBy: z.optional(z.enum(['panel', 'local'])),
  /** How many working days the later clock falls after the governing one. */
  workingDaysApart: z.optional(wholeNumber(0)),
  /** Whether the local authority notified the Panel after notificationDueBy; null when unknown. */
  panelNotifiedLate: z.optional(z.nullable(z.boolean())),
  /** Whether the partnership was told after notificationDueBy (what notificationLate says); null when unknown. */
  partnershipToldLate: z.optional(z.nullable(z.boolean())),
  /** The escalation ladder's rungs in order (issue 10 part 4); a case planned before it has none (`ladderOf`). */
  ladder: z.optional(z.array(plannedRung)),
});
export type Timetable = z.infer<typeof timetable>;

/** Thrown when a timetable lacks a milestone the caller needs. */
export class MilestoneNotFoundError extends Error {
  override readonly name = 'MilestoneNotFoundError';
  readonly key: MilestoneKey;

  constructor(key: MilestoneKey) {
    super(`The timetable has no ${key} milestone`);
    this.key = key;
  }
}

/**
 * The timetable's milestone with the given key, e.g. the Day 10 deadline the workflow waits for.
 * @throws MilestoneNotFoundError when the timetable has none.
 */
export function milestone(timetable: Timetable, key: MilestoneKey): TimetableMilestone {
  const found = timetable.milestones.find((candidate) => candidate.key === key);
  if (found === undefined) throw new MilestoneNotFoundError(key);
  return found;
}

/** The clocks of a timetable, with a timetable planned before the two clocks read as governed locally. */
export function governingOf(timetable: Timetable): {
  dueDate: string;
  governedBy: 'panel' | 'local';
  localDueDate: string;
  panelDueBy: string | null;
  workingDaysApart: number;
} {
  const localDueDate = timetable.localDueDate ?? milestone(timetable, 'submitToPanel').date;
  return {
    dueDate: timetable.governingDueDate ?? localDueDate,
    governedBy: timetable.governedBy ?? 'local',
    localDueDate,
    panelDueBy: timetable.panelDueBy,
    workingDaysApart: timetable.workingDaysApart ?? 0,
  };
}

/**
 * When collation starts (and the agencies' links stop working): the start of the collation day,
 * but never before the summaries are due. Pulled back to meet the Panel's date, both can fall on
 * one day; the agencies then keep until the summaries' deadline.
 */
export function collationStartsAt(timetable: {
  milestones: readonly Pick<TimetableMilestone, 'key' | 'startsAt' | 'dueAt'>[];
}): string {
  const find = (key: MilestoneKey) => {
    const found = timetable.milestones.find((candidate) => candidate.key === key);
    if (found === undefined) throw new MilestoneNotFoundError(key);
    return found;
  };
  const collation = find('collateReport').startsAt;
  const summariesDue = find('agencySummariesDue').dueAt;
  // UTC instants ending Z compare as text; the later one, as text.
  return [collation, summariesDue].sort()[1] as string;
}

/**
 * The day number to print beside a milestone: its Day in the partnership's plan, or none when the
 * Panel's date has pulled the milestones back (a "Day 15" on the Panel's earlier date would say
 * something untrue).
 */
export function planDayOf(
  timetable: Pick<Timetable, 'governedBy' | 'workingDaysApart'>,
  step: Pick<TimetableMilestone, 'day'>,
): number | undefined {
  return timetable.governedBy === 'panel' && (timetable.workingDaysApart ?? 0) > 0 ? undefined : step.day;
}

/**
 * The rungs a case's agencies climb, in order: as planned, or for a case planned before the
 * ladder, the two steps its workflow took then (the reminder at the start of the reminder day,
 * the strategic lead copied at the Day 10 deadline).
 */
export function ladderOf(timetable: Timetable): PlannedRung[] {
  if (timetable.ladder) return timetable.ladder;
  const reminder = milestone(timetable, 'remindAgencies');
  const due = milestone(timetable, 'agencySummariesDue');
  return [
    { kind: 'reminder', day: reminder.day, date: reminder.date, at: reminder.startsAt },
    { kind: 'lead-copied', day: due.day, date: due.date, at: due.dueAt },
  ];
}
