import { childInitialsKeyOf, typedInitials } from '../../../shared/cases/child-initials.ts';
import type { AgencyRequest, CaseRecord, CaseStatus } from '../../../shared/schemas/case.ts';
import { caseStatus } from '../../../shared/schemas/case.ts';
import { planDayOf } from '../../../shared/schemas/timetable.ts';
import { clocksInBrief, clocksOf } from '../../../shared/workflow/clocks-wording.ts';
import { type Page, rawResponse, redirect, render, type WebRequest } from '../page.ts';
import { lateTag, localReviewToCommissionTag, statusTag, statusTags } from './case-tags.ts';
import { londonDate, londonIsoDate } from './london.ts';
import { casesMenuPage } from './menu.ts';

/**
 * The partnership team's list of cases (GET /cases): every open case, or those with a status,
 * each with where it stands, its next deadline and any step that is overdue; found by reference
 * or by the child's initials, sorted, with the closed cases on request, and downloaded as CSV
 * (GET /cases.csv, the same list).
 */

/** Statuses before the decision: the agencies' returns still matter to what the group reads. */
const beforeDecision: readonly CaseStatus[] = [
  'notified',
  'awaiting-summaries',
  'collating',
  'awaiting-decision',
];

/** The closed cases, listed only when asked for: the review ended, or never ran. */
const closedStatuses: readonly CaseStatus[] = ['completed', 'closed', 'withdrawn'];

/** A milestone of the case's timetable, as the list reads it. */
interface Milestone {
  key: string;
  day: number;
  name: string;
  date: string;
  startsAt?: string;
  dueAt: string;
}

/** The statuses a case moves through, in order: a step is done once its case reaches the status after it. */
const statusOrder: readonly CaseStatus[] = [
  'notified',
  'awaiting-summaries',
  'collating',
  'awaiting-decision',
  'decided',
  'submitted-to-panel',
  'completed',
];

/** The status that says a step is behind the case (the reminder and the summaries are behind it once collated). */
const doneByStatus: Record<string, CaseStatus> = {
  requestAgencySummaries: 'awaiting-summaries',
  remindAgencies: 'collating',
  agencySummariesDue: 'collating',
  collateReport: 'collating',
  distributePapers: 'awaiting-decision',
  rapidReviewMeeting: 'decided',
  submitToPanel: 'submitted-to-panel',
};

/**
 * The next milestone due after `now` that the case has not done yet, or undefined when all are
 * past or done, or the case has gone to the Panel or ended. Without `status`, by the calendar alone.
 */
export function nextDeadline(
  milestones: readonly Milestone[],
  now: Date,
  status?: CaseStatus,
): Milestone | undefined {
  const rank = status === undefined ? -1 : statusOrder.indexOf(status);
  if (status !== undefined && (rank < 0 || rank >= statusOrder.indexOf('submitted-to-panel')))
    return undefined;
  return [...milestones]
    .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
    .find(
      (milestone) =>
        Date.parse(milestone.dueAt) > now.getTime() &&
        !(rank >= 0 && rank >= statusOrder.indexOf(doneByStatus[milestone.key] ?? 'completed')),
    );
}

/**
 * Tags for steps that are late at `now`: summaries still missing after the Day 10 deadline, a
 * review the workflow found late (its governing date passed without a submission: `late`, set
 * when the Panel is told), and a failed workflow.
 */
export function overdueTags(
  record: Pick<CaseRecord, 'status' | 'timetable' | 'late' | 'failure'>,
  agencies: readonly Pick<AgencyRequest, 'status'>[] | undefined,
  now: Date,
): { text: string; classes: string }[] {
  const tags: { text: string; classes: string }[] = [];
  const due = (key: string) => record.timetable.milestones.find((milestone) => milestone.key === key)?.dueAt;
  const past = (key: string) => {
    const at = due(key);
    return at !== undefined && Date.parse(at) < now.getTime();
  };
  if (record.failure || record.status === 'failed') tags.push({ text: 'Failed', classes: 'govuk-tag--red' });
  if (
    beforeDecision.includes(record.status) &&
    past('agencySummariesDue') &&
    agencies?.some((agency) => agency.status !== 'received' && agency.status !== 'removed')
  ) {
    tags.push({ text: 'Summaries overdue', classes: 'govuk-tag--orange' });
  }
  if (record.late && record.status !== 'closed' && record.status !== 'withdrawn') tags.push(lateTag);
  return tags;
}

// ── Finding, sorting and the closed cases (issue 11 part 2) ─────────────────────────────────

/** How the list can be sorted, as the "Sort by" choices name them. */
const sortOrders = {
  received: 'Received, newest first',
  reference: 'Reference',
  due: 'Review due, soonest first',
  status: 'Status, earliest stage first',
} as const;
type SortOrder = keyof typeof sortOrders;
const isSortOrder = (value: string): value is SortOrder => Object.hasOwn(sortOrders, value);

/** The longest search: a reference, or initials, with room to spare. */
const MAX_SEARCH = 40;

/** What the list was asked for: each answer, as asked, and what it means when it is valid. */
export interface ListQuery {
  status?: CaseStatus;
  /** Include the closed cases (completed, notification only, withdrawn) among all cases. */
  closed: boolean;
  sort: SortOrder;
  /** The search as typed, trimmed. */
  search: string;
  /** What the list is searched for: the search, unless it could not be used. */
  find: string;
  /** Each answer that could not be used, by its field's id, with what to do. */
  errors: { field: 'status' | 'sort' | 'q'; text: string }[];
  /** The query string that asks for this list again (for the CSV link), without empty answers. */
  queryString: string;
}

/** Reads the list's query string: `status`, `closed=yes`, `sort`, `q`. */
export function listQueryOf(query: URLSearchParams): ListQuery {
  const errors: ListQuery['errors'] = [];
  const askedStatus = query.get('status') ?? '';
  const status = caseStatus.safeParse(askedStatus).success ? (askedStatus as CaseStatus) : undefined;
  if (askedStatus !== '' && !status) errors.push({ field: 'status', text: 'Select a status from the list' });
  const askedSort = query.get('sort') ?? '';
  const sort = isSortOrder(askedSort) ? askedSort : 'received';
  if (askedSort !== '' && !isSortOrder(askedSort)) {
    errors.push({ field: 'sort', text: 'Select how to sort the cases from the list' });
  }
  const search = (query.get('q') ?? '').trim();
  if (search.length > MAX_SEARCH) {
    errors.push({
      field: 'q',
      text: `Enter a case reference or the child’s initials in ${MAX_SEARCH} characters or fewer`,
    });
  } else if (search !== '' && !/^[\p{L}\p{N}\s.'’-]+$/u.test(search)) {
    errors.push({
      field: 'q',
      text: 'Enter a case reference or the child’s initials using letters, numbers, spaces and hyphens only',
    });
  }
  const closed = query.get('closed') === 'yes';
  const kept = new URLSearchParams();
  if (status) kept.set('status', status);
  if (closed) kept.set('closed', 'yes');
  if (sort !== 'received') kept.set('sort', sort);
  if (search !== '' && !errors.some((error) => error.field === 'q')) kept.set('q', search);
  const find = errors.some((error) => error.field === 'q') ? '' : search;
  return { ...(status ? { status } : {}), closed, sort, search, find, errors, queryString: kept.toString() };
}

/** A reference as the search compares it: upper case, without spaces or hyphens. */
const compactReference = (text: string) => text.toUpperCase().replace(/[\s.\-‐‑]+/g, '');

/**
 * Whether a case is the one searched for: its reference holds what was typed (three characters
 * or more), or what was typed is initials one of its named children has (their keys compared,
 * shared/cases/child-initials.ts: the case holds no initials, and no notification is opened).
 */
export function matchesSearch(
  record: Pick<CaseRecord, 'caseId' | 'reference' | 'childInitialsKeys'>,
  search: string,
  secret: () => string,
): boolean {
  if (search === '') return true;
  const typed = compactReference(search);
  if (typed.length >= 3 && compactReference(record.reference).includes(typed)) return true;
  const initials = typedInitials(search);
  return (
    initials !== undefined &&
    (record.childInitialsKeys ?? []).includes(childInitialsKeyOf(record.caseId, initials, secret()))
  );
}

/** Where a status comes in the list's order, earliest stage first; the failed and closed last. */
const stageOf = (status: CaseStatus) => caseStatus.options.indexOf(status);

/** The records in the order asked for; ties newest first. */
export function sortedCases(records: readonly CaseRecord[], sort: SortOrder): CaseRecord[] {
  const newestFirst = (a: CaseRecord, b: CaseRecord) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt);
  const by: Record<SortOrder, (a: CaseRecord, b: CaseRecord) => number> = {
    received: newestFirst,
    reference: (a, b) => a.reference.localeCompare(b.reference, 'en-GB', { numeric: true }),
    due: (a, b) =>
      clocksOf(a.timetable).governingDueDate.localeCompare(clocksOf(b.timetable).governingDueDate),
    status: (a, b) => stageOf(a.status) - stageOf(b.status),
  };
  return [...records].sort((a, b) => by[sort](a, b) || newestFirst(a, b));
}

/** The cases the query asks for, in its order. */
async function listedCases(request: WebRequest, query: ListQuery): Promise<CaseRecord[]> {
  // "Failed" is the fault flag a case of any status may carry (and the status of cases failed before it).
  const records =
    query.status === 'failed'
      ? (await request.service.cases.listCases()).filter(
          (record) => record.failure || record.status === 'failed',
        )
      : await request.service.cases.listCases(query.status ? { status: query.status } : {});
  // A completed case whose local review is still to be commissioned stays open work.
  const shown =
    query.status || query.closed
      ? records
      : records.filter((record) => !closedStatuses.includes(record.status) || record.localReviewToCommission);
  const found = shown.filter((record) =>
    matchesSearch(record, query.find, () => request.service.duplicateCheckKey),
  );
  return sortedCases(found, query.sort);
}

/** One case as the list and its CSV show it. */
async function rowOf(request: WebRequest, record: CaseRecord, now: Date) {
  // One read of the case file per case still gathering or reading the agencies' returns: the
  // list of cases carries no agency counts of its own yet.
  const agencies = beforeDecision.includes(record.status)
    ? (await request.service.cases.getCaseWithAgencies(record.caseId)).agencies
    : undefined;
  const next = nextDeadline(record.timetable.milestones, now, record.status);
  const clocks = clocksOf(record.timetable);
  return {
    caseId: record.caseId,
    reference: record.reference,
    localAuthority: record.notifyingLocalAuthority,
    incident: record.incidentKind === 'death' ? 'Death of a child' : 'Serious harm to a child',
    receivedAt: record.receivedAt,
    received: londonDate(record.receivedAt),
    status: statusTag(record.status),
    localReviewTag: record.localReviewToCommission ? localReviewToCommissionTag : undefined,
    next: next
      ? {
          day: planDayOf(record.timetable, next),
          name: next.name,
          date: londonDate(next.dueAt),
          isoDate: next.date,
        }
      : undefined,
    // The date the review works to, whose it is, and the other clock beside it.
    reviewDue: clocksInBrief(clocks),
    governingDueDate: clocks.governingDueDate,
    governedBy: clocks.governedBy,
    summaries: agencies
      ? `${agencies.filter((agency) => agency.status === 'received').length} of ${agencies.filter((agency) => agency.status !== 'removed').length} summaries received`
      : undefined,
    overdue: overdueTags(record, agencies, now),
  };
}
type Row = Awaited<ReturnType<typeof rowOf>>;

/** The filter's choices: every open status, then the closed ones. */
function statusChoices(selected: string | undefined) {
  return [
    { value: '', text: 'Any status', selected: !selected },
    ...caseStatus.options.map((status) => ({
      value: status,
      text: statusTags[status].text,
      selected: selected === status,
    })),
  ];
}

function sortChoices(selected: SortOrder) {
  return Object.entries(sortOrders).map(([value, text]) => ({ value, text, selected: value === selected }));
}

/** The page's title: what the list holds. */
function titleOf(query: ListQuery): string {
  if (query.status) return `Cases: ${statusTags[query.status].text}`;
  return query.closed ? 'All cases' : 'Open cases';
}

/** GET /cases: every open case, newest first, or those with the chosen status, found and sorted. */
const casesPage: Page = {
  ...casesMenuPage,
  async handle(request) {
    const query = listQueryOf(request.query);
    const now = request.service.clock.now();
    const records = await listedCases(request, query);
    const rows = await Promise.all(records.map((record) => rowOf(request, record, now)));
    const errorOf = (field: ListQuery['errors'][number]['field']) => {
      const error = query.errors.find((each) => each.field === field);
      return error ? { text: error.text } : undefined;
    };
    return render(
      'cases/list.njk',
      {
        pageTitle: titleOf(query),
        rows,
        choices: statusChoices(query.status),
        sortChoices: sortChoices(query.sort),
        selectedStatus: query.status,
        closed: query.closed,
        search: query.search,
        errorList: query.errors.map((error) => ({ text: error.text, href: `#${error.field}` })),
        errorFor: { status: errorOf('status'), sort: errorOf('sort'), q: errorOf('q') },
        csvHref: `/cases.csv${query.queryString ? `?${query.queryString}` : ''}`,
        today: londonDate(now),
      },
      query.errors.length > 0 ? 400 : 200,
    );
  },
};

// ── The list as CSV ──────────────────────────────────────────────────────────────────────────

/** 2026-03-04 → "04/03/2026". */
function dayMonthYear(isoDate: string): string {
  const [year, month, day] = isoDate.split('-');
  return `${day}/${month}/${year}`;
}

/**
 * One CSV cell: quoted when it holds a comma, a quote or a line break; a cell a spreadsheet would
 * read as a formula (=, +, -, @, a tab or a carriage return first) is kept as text by a leading
 * apostrophe.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The CSV's columns: a plain-English heading and each row's value. */
const csvColumns: readonly [string, (row: Row) => string][] = [
  ['Reference', (row) => row.reference],
  ['Notifying local authority', (row) => row.localAuthority],
  ['Incident', (row) => row.incident],
  ['Received', (row) => dayMonthYear(londonIsoDate(new Date(row.receivedAt)))],
  [
    'Status',
    (row) => [row.status.text, row.localReviewTag?.text].filter((text) => text !== undefined).join('; '),
  ],
  ['Summaries received', (row) => row.summaries ?? ''],
  [
    'Next deadline',
    (row) => (row.next ? `${row.next.day ? `Day ${row.next.day}: ` : ''}${row.next.name}` : 'None'),
  ],
  ['Next deadline date', (row) => (row.next ? dayMonthYear(row.next.isoDate) : '')],
  ['Review due', (row) => dayMonthYear(row.governingDueDate)],
  [
    'Review due by whose date',
    (row) => (row.governedBy === 'panel' ? 'The Panel’s date' : 'The partnership’s own date'),
  ],
  ['Overdue', (row) => row.overdue.map((tag) => tag.text).join('; ') || 'Nothing overdue'],
];

/** The rows as CSV: a heading row, then one line per case, with CRLF line ends as RFC 4180 has them. */
export function casesCsv(rows: readonly Row[]): string {
  const lines = [
    csvColumns.map(([heading]) => csvCell(heading)).join(','),
    ...rows.map((row) => csvColumns.map(([, value]) => csvCell(value(row))).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** GET /cases.csv: the list as the same query shows it, to download. */
const casesCsvPage: Page = {
  method: 'GET',
  path: '/cases.csv',
  access: casesMenuPage.access,
  async handle(request) {
    const query = listQueryOf(request.query);
    // A query the page would refuse: to the page, which says what is wrong.
    if (query.errors.length > 0) return redirect(`/cases?${request.query.toString()}`);
    const now = request.service.clock.now();
    const records = await listedCases(request, query);
    const rows = await Promise.all(records.map((record) => rowOf(request, record, now)));
    const today = londonIsoDate(now);
    return rawResponse({
      statusCode: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="cases-${today}.csv"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      // A byte order mark first, so a spreadsheet reads the file as UTF-8 (its ’ and accents).
      body: `\uFEFF${casesCsv(rows)}`,
    });
  },
};
// ── end of the list as CSV

export const caseListPages: Page[] = [casesPage, casesCsvPage];
