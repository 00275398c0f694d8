import { governingOf, type Timetable } from '../schemas/timetable.ts';
import { formatDate } from './london-time.ts';

/**
 * The two clocks of a Rapid Review in words: the date the Panel expects the review (its
 * expectation, not a statute) and the partnership's own Day 15, which of them the review works
 * to, and by how many working days they differ; and whether the notifications came on time. One
 * wording for the case page, the cases list, the papers and the emails.
 */

/** A case's two clocks and notification timeliness, as the case view carries them (dates YYYY-MM-DD). */
export interface Clocks {
  /** When the Panel expects the review; null when the date the Panel was notified is unknown. */
  panelDueBy: string | null;
  /** The partnership's own Day 15. */
  localDueDate: string;
  /** The date the review works to. */
  governingDueDate: string;
  governedBy: 'panel' | 'local';
  /** How many working days the later clock falls after the governing one. */
  workingDaysApart: number;
  /** False for a case planned before the service compared the two clocks: it works to its local timetable. */
  clocksCompared: boolean;
  /** When the notifications were due (the date the local authority became aware + 5 working days); null when unknown. */
  notificationDueBy: string | null;
  /** Whether the local authority notified the Panel late; null when unknown. */
  panelNotifiedLate: boolean | null;
  /** Whether the partnership was told late; null when unknown. */
  partnershipToldLate: boolean | null;
}

/** The clocks of a timetable; one planned before the two clocks reads as governed locally. */
export function clocksOf(timetable: Timetable): Clocks {
  const governing = governingOf(timetable);
  return {
    panelDueBy: governing.panelDueBy,
    localDueDate: governing.localDueDate,
    governingDueDate: governing.dueDate,
    governedBy: governing.governedBy,
    workingDaysApart: governing.workingDaysApart,
    clocksCompared: timetable.governedBy !== undefined,
    notificationDueBy: timetable.notificationDueBy,
    panelNotifiedLate: timetable.panelNotifiedLate ?? null,
    // What notificationLate said before the two clocks.
    partnershipToldLate: timetable.partnershipToldLate ?? timetable.notificationLate ?? null,
  };
}

function workingDays(count: number): string {
  return `${count} working day${count === 1 ? '' : 's'}`;
}

/** The two clocks in words, whole and in parts. */
export interface ClocksInWords {
  /** "Friday 8 January 2027", or "Not known". */
  panelDate: string;
  /** "Tuesday 12 January 2027". */
  localDate: string;
  /** Which date the review works to, in one sentence. */
  governs: string;
  /** Both dates and which governs, as a paragraph of three sentences. */
  sentence: string;
}

/**
 * Both dates side by side and which one the review works to, e.g. "The Panel expects this rapid
 * review by Friday 8 January 2027. The partnership's own timetable would finish on Tuesday 12
 * January 2027. The review works to the Panel's date, 2 working days earlier."
 */
export function clocksInWords(clocks: Clocks): ClocksInWords {
  const localDate = formatDate(clocks.localDueDate);
  if (clocks.panelDueBy === null) {
    const governs = "The review works to the partnership's own timetable.";
    return {
      panelDate: 'Not known',
      localDate,
      governs,
      sentence: `The Panel's date is not known, because the date the Panel was notified is not recorded. The partnership's own timetable finishes on ${localDate}. ${governs}`,
    };
  }
  const panelDate = formatDate(clocks.panelDueBy);
  const expects = `The Panel expects this rapid review by ${panelDate}.`;
  const words = (own: string, governs: string, joined = `${own} ${governs}`) => ({
    panelDate,
    localDate,
    governs,
    sentence: `${expects} ${joined}`,
  });
  if (!clocks.clocksCompared) {
    return words(
      `The partnership's own timetable finishes on ${localDate}.`,
      "The review works to the partnership's own timetable: it was planned before the service compared it with the Panel's date.",
    );
  }
  if (clocks.governedBy === 'panel' && clocks.workingDaysApart === 0) {
    return words(
      "The partnership's own timetable finishes on the same day.",
      `Both dates fall on the same day: the review works to ${panelDate}.`,
      "The partnership's own timetable finishes on the same day, and the review works to that date.",
    );
  }
  if (clocks.governedBy === 'panel') {
    return words(
      `The partnership's own timetable would finish on ${localDate}.`,
      `The review works to the Panel's date, ${workingDays(clocks.workingDaysApart)} earlier.`,
    );
  }
  return words(
    `The partnership's own timetable finishes on ${localDate}.`,
    `The review works to the partnership's timetable: the Panel's date is ${workingDays(clocks.workingDaysApart)} later.`,
  );
}

/**
 * The two clocks in few words, for a table: the date the review works to, whose it is, and the
 * other date, e.g. "8 January 2027 (the Panel's date)" and "Partnership's own date: 12 January
 * 2027, 2 working days later".
 */
export function clocksInBrief(clocks: Clocks): { due: string; other: string } {
  const short = (isoDate: string) => formatDate(isoDate, { weekday: false });
  const local = short(clocks.localDueDate);
  if (clocks.panelDueBy === null) {
    return { due: `${local} (the partnership's own date)`, other: "Panel's date not known" };
  }
  const panel = short(clocks.panelDueBy);
  if (!clocks.clocksCompared) {
    return { due: `${local} (the partnership's own date)`, other: `Panel's date: ${panel}` };
  }
  if (clocks.governedBy === 'panel') {
    return clocks.workingDaysApart === 0
      ? { due: `${panel} (the Panel's date)`, other: "The partnership's own date is the same day" }
      : {
          due: `${panel} (the Panel's date)`,
          other: `Partnership's own date: ${local}, ${workingDays(clocks.workingDaysApart)} later`,
        };
  }
  return {
    due: `${local} (the partnership's own date)`,
    other: `Panel's date: ${panel}, ${workingDays(clocks.workingDaysApart)} later`,
  };
}

function timeliness(
  late: boolean | null,
  dueBy: string | null,
  onTime: string,
  isLate: string,
  unknown: string,
) {
  const due = dueBy === null ? '' : ` (due by ${formatDate(dueBy)})`;
  if (late === null) {
    return dueBy === null
      ? `${unknown}: the date the local authority became aware is not recorded.`
      : `${unknown}${due}.`;
  }
  return `${late ? isLate : onTime}${due}.`;
}

/**
 * Whether the notifications came within 5 working days of the local authority becoming aware,
 * e.g. "The local authority notified the Panel on time (due by Monday 21 December 2026)." and
 * "The partnership was told late (due by …)."; "not known" when that cannot be said.
 */
export function timelinessInWords(clocks: Clocks): { panelNotified: string; partnershipTold: string } {
  return {
    panelNotified: timeliness(
      clocks.panelNotifiedLate,
      clocks.notificationDueBy,
      'The local authority notified the Panel on time',
      'The local authority notified the Panel late',
      'Whether the local authority notified the Panel on time is not known',
    ),
    partnershipTold: timeliness(
      clocks.partnershipToldLate,
      clocks.notificationDueBy,
      'The partnership was told on time',
      'The partnership was told late',
      'Whether the partnership was told on time is not known',
    ),
  };
}
