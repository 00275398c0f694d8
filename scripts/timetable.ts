/**
 * Prints the Rapid Review timetable for a notification, as the workflow would plan it.
 *
 *   npm run timetable -- --received <ISO instant> [--aware <YYYY-MM-DD>] [--panel-notified <YYYY-MM-DD>] [--json]
 *
 * --received        when the partnership received the notification, with an offset or Z
 * --aware           when the local authority became aware of the incident (gives the notification's due date)
 * --panel-notified  when the local authority notified the Panel (gives the date the Panel expects the review)
 * --json            print JSON instead of a table
 *
 * --help            print the usage line
 *
 * A bad argument gets one line on stderr naming it, and exit status 2.
 */
import { Temporal } from 'temporal-polyfill';
import { CalendarRangeError } from '../shared/calendar/working-days.ts';
import { defaultRapidReviewRules } from '../shared/rapid-review-rules.ts';
import { ladderOf, planDayOf, type Timetable } from '../shared/schemas/timetable.ts';
import { planRapidReview, type RapidReviewPlanRequest, TimetableInputError } from '../shared/timetable.ts';

const USAGE =
  'usage: npm run timetable -- --received <ISO instant> [--aware <YYYY-MM-DD>] [--panel-notified <YYYY-MM-DD>] [--json]';

/** Thrown for a command-line argument that cannot be used; `argument` is the flag, as typed. */
export class TimetableArgumentError extends Error {
  override readonly name = 'TimetableArgumentError';
  readonly argument: string;

  constructor(argument: string, problem: string, options?: ErrorOptions) {
    super(`${argument}: ${problem}`, options);
    this.argument = argument;
  }
}

/** The command line, read but not yet checked against the calendar. */
export interface TimetableArgs {
  request: RapidReviewPlanRequest;
  json: boolean;
}

const FLAG_FOR_FIELD = {
  receivedAt: '--received',
  awareOn: '--aware',
  panelNotifiedOn: '--panel-notified',
} as const satisfies Record<keyof RapidReviewPlanRequest, string>;

type ValueFlag = (typeof FLAG_FOR_FIELD)[keyof RapidReviewPlanRequest];

const FIELD_FOR_FLAG = new Map(
  Object.entries(FLAG_FOR_FIELD).map(([field, flag]) => [flag, field as keyof RapidReviewPlanRequest]),
);

function isValueFlag(flag: string): flag is ValueFlag {
  return FIELD_FOR_FLAG.has(flag as ValueFlag);
}

/**
 * Reads the command line (the arguments after the script name). Accepts `--flag value` and
 * `--flag=value`.
 * @throws TimetableArgumentError for an unknown, repeated or valueless argument, or no --received.
 */
export function parseTimetableArgs(argv: readonly string[]): TimetableArgs {
  const values = new Map<ValueFlag, string>();
  let json = false;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] ?? '';
    const [flag = '', inlineValue] = argument.startsWith('--') ? splitOnce(argument, '=') : [argument];
    if (flag === '--json' && inlineValue === undefined) {
      json = true;
      continue;
    }
    if (!isValueFlag(flag)) {
      throw new TimetableArgumentError(argument, `unknown argument (${USAGE.replace('usage: ', 'use ')})`);
    }
    if (values.has(flag)) throw new TimetableArgumentError(flag, 'given more than once');
    const value = inlineValue ?? argv[++index];
    if (value === undefined || value === '' || value.startsWith('--')) {
      throw new TimetableArgumentError(flag, 'needs a value');
    }
    values.set(flag, value);
  }
  const receivedAt = values.get('--received');
  if (receivedAt === undefined) {
    throw new TimetableArgumentError(
      '--received',
      'is required (when the notification was received, e.g. 2026-12-18T16:30:00Z)',
    );
  }
  return {
    request: {
      receivedAt,
      awareOn: values.get('--aware'),
      panelNotifiedOn: values.get('--panel-notified'),
    },
    json,
  };
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

/**
 * Plans the timetable, blaming any unusable input on the argument it came from.
 * @throws TimetableArgumentError for an unreadable value or one whose dates leave the calendar.
 */
export function planTimetableFromArgs(request: RapidReviewPlanRequest): Timetable {
  try {
    return planRapidReview(request);
  } catch (error) {
    if (error instanceof TimetableInputError) {
      throw new TimetableArgumentError(FLAG_FOR_FIELD[error.field], error.problem, { cause: error });
    }
    if (error instanceof CalendarRangeError) {
      throw new TimetableArgumentError(argumentLeavingCalendar(request), error.message, { cause: error });
    }
    throw error;
  }
}

/**
 * A date can leave the calendar through any input (Day 15, or the notification or Panel due date,
 * may fall in a year not yet published), so replan adding one input at a time until it fails.
 */
function argumentLeavingCalendar({ receivedAt, awareOn }: RapidReviewPlanRequest): string {
  if (!plans({ receivedAt })) return FLAG_FOR_FIELD.receivedAt;
  if (!plans({ receivedAt, awareOn })) return FLAG_FOR_FIELD.awareOn;
  return FLAG_FOR_FIELD.panelNotifiedOn;
}

function plans(request: RapidReviewPlanRequest): boolean {
  try {
    planRapidReview(request);
    return true;
  } catch {
    return false;
  }
}

/** The timetable as `--json` prints it. */
export function timetableJson(timetable: Timetable) {
  return {
    day1: timetable.day1,
    milestones: timetable.milestones.map(({ day, name, date, startsAt, dueAt }) => ({
      day,
      name,
      date,
      startsAt,
      dueAt,
    })),
    notificationDueBy: timetable.notificationDueBy,
    notificationLate: timetable.notificationLate,
    panelDueBy: timetable.panelDueBy,
    localDueDate: timetable.localDueDate ?? null,
    governingDueDate: timetable.governingDueDate ?? null,
    governedBy: timetable.governedBy ?? null,
    workingDaysApart: timetable.workingDaysApart ?? null,
    panelNotifiedLate: timetable.panelNotifiedLate ?? null,
    partnershipToldLate: timetable.partnershipToldLate ?? null,
    // The escalation ladder (issue 10 part 4): each rung's kind, plan Day, date and when it runs.
    escalationLadder: ladderOf(timetable).map(({ kind, day, date, at }) => ({ kind, day, date, at })),
  };
}

/** Which date the review works to, in words: both clocks, which governs, and by how many working days. */
export function governingSentence(timetable: Timetable): string {
  const { governedBy, workingDaysApart, localDueDate, panelDueBy } = timetable;
  const inWords = (isoDate: string) => readableDate(isoDate).replace(/\s+/g, ' ');
  const local = localDueDate ? inWords(localDueDate) : 'not known';
  if (panelDueBy === null)
    return `Works to the partnership's Day 15, ${local} (no Panel date: give --panel-notified).`;
  const panel = inWords(panelDueBy);
  const days = `${workingDaysApart} working day${workingDaysApart === 1 ? '' : 's'}`;
  if (governedBy === 'panel') {
    return workingDaysApart === 0
      ? `Works to the Panel's date, ${panel}, the same day as the partnership's Day 15.`
      : `Works to the Panel's date, ${panel}: ${days} before the partnership's Day 15 (${local}); the milestones are pulled back to meet it.`;
  }
  return `Works to the partnership's Day 15, ${local}: ${days} before the Panel's date (${panel}).`;
}

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function readableDate(isoDate: string): string {
  const date = Temporal.PlainDate.from(isoDate);
  return `${WEEKDAYS[date.dayOfWeek - 1]} ${String(date.day).padStart(2, ' ')} ${MONTHS[date.month - 1]} ${date.year}`;
}

/** Local wall-clock time with the zone's abbreviation, so a summer-time change shows (09:00 GMT, 09:00 BST). */
function localTime(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).format(new Date(instant));
}

function localDate(instant: string, timeZone: string): string {
  return readableDate(Temporal.Instant.from(instant).toZonedDateTimeISO(timeZone).toPlainDate().toString());
}

/** Each rung of the escalation ladder as the table names it. */
const RUNG_NAMES = {
  reminder: 'Reminder to the contact',
  'lead-copied': 'Strategic lead copied',
  'formal-request': 'Formal request (s16H)',
} as const;

/** The timetable as a table for people, times in the rules' time zone. */
export function timetableTable(timetable: Timetable, timeZone = defaultRapidReviewRules.timeZone): string {
  const nameWidth = Math.max('Milestone'.length, ...timetable.milestones.map((step) => step.name.length));
  const row = (day: string, name: string, date: string, starts: string, due: string) =>
    `${day.padStart(3)}  ${name.padEnd(nameWidth)}  ${date.padEnd(15)}  ${starts.padEnd(9)}  ${due}`.trimEnd();
  const onTime = (late: boolean | null | undefined, what: string) =>
    late === null || late === undefined ? `${what}: not known` : `${what} ${late ? 'late' : 'on time'}`;
  const notification =
    timetable.notificationDueBy === null
      ? 'not known (give --aware)'
      : `${readableDate(timetable.notificationDueBy)} (${onTime(timetable.panelNotifiedLate, 'Panel notified')}; ${onTime(timetable.partnershipToldLate, 'partnership told')})`;
  const panel =
    timetable.panelDueBy === null ? 'not known (give --panel-notified)' : readableDate(timetable.panelDueBy);
  return [
    `Rapid Review timetable, times in ${timeZone}`,
    `Received: ${localDate(timetable.receivedAt, timeZone)} ${localTime(timetable.receivedAt, timeZone)}`,
    '',
    row('Day', 'Milestone', 'Date', 'Starts', 'Due'),
    ...timetable.milestones.map((step) =>
      row(
        String(planDayOf(timetable, step) ?? '–'),
        step.name,
        readableDate(step.date),
        localTime(step.startsAt, timeZone),
        localTime(step.dueAt, timeZone),
      ),
    ),
    '',
    `Notification to the Panel due by: ${notification}`,
    `Panel expects the rapid review by: ${panel}`,
    `Partnership's Day 15:               ${timetable.localDueDate ? readableDate(timetable.localDueDate) : 'not known'}`,
    governingSentence(timetable),
    '',
    'Chasing agencies without a summary:',
    ...ladderOf(timetable).map(
      (rung) =>
        `${String(planDayOf(timetable, rung) ?? '–').padStart(3)}  ${RUNG_NAMES[rung.kind].padEnd(nameWidth)}  ${readableDate(rung.date).padEnd(15)}  ${localTime(rung.at, timeZone)}`,
    ),
  ].join('\n');
}

/** Where the command writes: `process.stdout` and `process.stderr`, or a test's collectors. */
export interface CommandOutput {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

/**
 * The command itself, given the arguments after the script name: writes the timetable (or the
 * usage line for --help) to `stdout`, or one line naming a bad argument to `stderr`. Answers
 * the exit status: 0, or 2 for a bad argument.
 */
export function runTimetableCommand(argv: readonly string[], output: CommandOutput): number {
  try {
    if (argv.includes('--help')) {
      output.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const args = parseTimetableArgs(argv);
    const timetable = planTimetableFromArgs(args.request);
    const printed = args.json ? JSON.stringify(timetableJson(timetable), null, 2) : timetableTable(timetable);
    output.stdout.write(`${printed}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof TimetableArgumentError)) throw error;
    output.stderr.write(`timetable: ${error.message.replaceAll('\n', ' ')}\n`);
    return 2;
  }
}

// `npm run timetable -- …` runs this file. Compared by path rather than import.meta.main, which a
// tsx started by an older system node lacks.
if (process.argv[1] === import.meta.filename) {
  process.exitCode = runTimetableCommand(process.argv.slice(2), process);
}
