import { learningThemes } from '../../../shared/config/partnership-profile.ts';
import { StaleWriteError } from '../../../shared/errors.ts';
import {
  agencyReturnRates,
  type HalfYear,
  halfYearInWords,
  halfYearKey,
  lastCompleteHalfYear,
  lastTwelveMonths,
  monthInWords,
  OPEN_STATUSES,
  type OverdueAction,
  openReviewPositions,
  overdueByAgency,
  parseHalfYear,
  type ReviewFacts,
  recentHalfYears,
  themesMostSeen,
  timelinessTrend,
} from '../../../shared/insight/figures.ts';
import {
  readOverdueActions,
  readScrutinyReport,
  type ScrutinyReport,
} from '../../../shared/insight/report.ts';
import { scrutinyReportPdf } from '../../../shared/insight/report-pdf.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import { staffActor } from '../../../shared/schemas/roles.ts';
import type { LearningStore } from '../../../shared/stores/learning-store.ts';
import type { LocalReviewStore } from '../../../shared/stores/local-review-store.ts';
import {
  COMMENTARY_MAX,
  commentaryAnswers,
  type ScrutinyCommentary,
  type ScrutinyCommentaryStore,
} from '../../../shared/stores/scrutiny-commentary-store.ts';
import { formatDate, formatInstant } from '../../../shared/workflow/london-time.ts';
import { formErrors } from '../forms.ts';
import {
  type Page,
  type PageResult,
  rawResponse,
  redirect,
  render,
  type WebRequest,
  type WebService,
} from '../page.ts';
import { statusTag } from './case-tags.ts';
import { columnChart, horizontalBarChart } from './insight-charts.ts';
import { londonDate } from './london.ts';
import { dashboardMenuPage, scrutinyMenuPage } from './menu.ts';
import { scrutinyRowsOf } from './scrutiny.ts';

/**
 * The scrutineer's six-monthly report (GET /scrutiny, its commentary and its PDF) and the
 * partnership's dashboard (GET /dashboard), issue 14 parts 3 and 4, served by functions/insight-web
 * through the InsightPages routes. Every figure is computed on request from the case store, read
 * through its indexes: six month-index queries for a report, twelve and one a status for the
 * dashboard; never a scan. No page names a child.
 */

/** The insight pages' ports: the staff pages' own, the scrutineer's commentaries and the local reviews. */
export type InsightWebService = WebService & {
  commentaries: ScrutinyCommentaryStore;
  /** The themes' counts and the actions by status and due date (issue 14 parts 1 and 2). */
  learning: Pick<LearningStore, 'countReviewsWithTheme' | 'listActionsByStatus'>;
  localReviews: Pick<LocalReviewStore, 'findLocalReviewOfCase' | 'getLocalReview'>;
};

const LONDON = 'Europe/London';

/** The period a request asks for (`?period=2026-H1`), the last complete half-year when it asks none. */
function periodOf(request: WebRequest<InsightWebService>): HalfYear | 'invalid' {
  const asked = request.query.get('period');
  if (asked === null || asked.trim() === '') return lastCompleteHalfYear(request.service.clock.now());
  return parseHalfYear(asked) ?? 'invalid';
}

function periodChoices(now: Date, chosen: HalfYear | undefined) {
  const choices = recentHalfYears(now, 10);
  if (chosen && !choices.some((choice) => halfYearKey(choice) === halfYearKey(chosen))) choices.push(chosen);
  return choices.map((choice) => ({
    value: halfYearKey(choice),
    text: halfYearInWords(choice),
    selected: chosen !== undefined && halfYearKey(choice) === halfYearKey(chosen),
  }));
}

async function reportPage(
  request: WebRequest<InsightWebService>,
  period: HalfYear,
  extra: { values?: { commentary: string }; errors?: ReturnType<typeof formErrors>; status?: number } = {},
): Promise<PageResult> {
  const now = request.service.clock.now();
  const [report, commentary] = await Promise.all([
    readScrutinyReport(request.service, period, now),
    request.service.commentaries.getCommentary(halfYearKey(period)),
  ]);
  return render(
    'insight/scrutiny-report.njk',
    {
      pageTitle: `Scrutiny report: ${report.periodInWords}`,
      period: halfYearKey(period),
      periodInWords: report.periodInWords,
      periods: periodChoices(now, period),
      sections: report.sections,
      rows: scrutinyRowsOf(
        [...report.reviews].reverse().map((review) => review.case),
        now,
      ),
      commentary: commentaryView(commentary),
      commentaryVersion: commentary?.version ?? 0,
      commentaryMax: COMMENTARY_MAX,
      values: extra.values ?? { commentary: commentary?.commentary ?? '' },
      errors: extra.errors,
      saved: request.query.get('saved') === '1',
    },
    extra.status ?? 200,
  );
}

const commentaryView = (commentary: ScrutinyCommentary | undefined) =>
  commentary
    ? {
        text: commentary.commentary,
        saved: `Last saved by ${commentary.savedByName ?? 'the scrutineer'} at ${formatInstant(commentary.savedAt, LONDON)}.`,
      }
    : undefined;

const badPeriod = (request: WebRequest<InsightWebService>) =>
  render(
    'insight/scrutiny-report.njk',
    {
      pageTitle: 'Scrutiny report',
      periods: periodChoices(request.service.clock.now(), undefined),
      errors: formErrors([{ field: 'period', message: 'Choose a six-month period from the list' }]),
    },
    400,
  );

/** GET /scrutiny: the report for a half-year, with the commentary and the period's reviews. */
const scrutinyReportPage: Page<InsightWebService> = {
  ...scrutinyMenuPage,
  async handle(request) {
    const period = periodOf(request);
    if (period === 'invalid') return badPeriod(request);
    return reportPage(request, period);
  },
};

/** POST /scrutiny/report/commentary: the scrutineer's commentary saved, with its audit event. */
const commentaryPage: Page<InsightWebService> = {
  method: 'POST',
  path: '/scrutiny/report/commentary',
  access: scrutinyMenuPage.access,
  async handle(request) {
    const period = parseHalfYear(request.form.get('period') ?? '');
    if (!period) return badPeriod(request);
    const commentary = request.form.get('commentary') ?? '';
    const parsed = commentaryAnswers.safeParse({ commentary });
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? 'Enter the commentary';
      return reportPage(request, period, {
        values: { commentary },
        errors: formErrors([
          { field: 'commentary', message: message === 'Enter a value' ? 'Enter the commentary' : message },
        ]),
        status: 400,
      });
    }
    const expectedVersion = Number(request.form.get('version') ?? '0');
    try {
      await request.service.commentaries.saveCommentary({
        period: halfYearKey(period),
        commentary: parsed.data.commentary,
        expectedVersion: Number.isInteger(expectedVersion) && expectedVersion >= 0 ? expectedVersion : 0,
        actor: staffActor(request.user!, 'scrutineer'),
        at: request.service.clock.now().toISOString(),
      });
    } catch (error) {
      if (!(error instanceof StaleWriteError)) throw error;
      return reportPage(request, period, {
        values: { commentary },
        errors: formErrors([
          {
            field: 'commentary',
            message:
              'The commentary was saved by someone else since you opened this page. Your text is below: copy what you need, then save again',
          },
        ]),
        status: 409,
      });
    }
    return redirect(`/scrutiny?period=${halfYearKey(period)}&saved=1#your-commentary`);
  },
};

/** GET /scrutiny/report/pdf: the report with its commentary as a PDF for the Executive Board. */
const reportPdfPage: Page<InsightWebService> = {
  method: 'GET',
  path: '/scrutiny/report/pdf',
  access: scrutinyMenuPage.access,
  async handle(request) {
    const period = periodOf(request);
    if (period === 'invalid') return badPeriod(request);
    const now = request.service.clock.now();
    const [report, commentary] = await Promise.all([
      readScrutinyReport(request.service, period, now),
      request.service.commentaries.getCommentary(halfYearKey(period)),
    ]);
    const bytes = await scrutinyReportPdf(report, commentary, {
      partnershipName: request.service.profile.partnershipName,
      now,
    });
    return rawResponse({
      statusCode: 200,
      headers: {
        'content-type': 'application/pdf',
        'content-disposition': `attachment; filename="scrutiny-report-${halfYearKey(period)}.pdf"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: Buffer.from(bytes).toString('base64'),
      isBase64Encoded: true,
    });
  },
};

// ── The dashboard ───────────────────────────────────────────────────────────────────────────────

/** What the dashboard reads: the open reviews (a status-index query each) and twelve months of reviews. */
export async function readDashboard(
  service: Pick<InsightWebService, 'cases' | 'learning' | 'profile'>,
  now: Date,
): Promise<{
  open: CaseRecord[];
  year: ReviewFacts[];
  months: string[];
  themes: { key: string; name: string; reviews: number }[];
  overdue: OverdueAction[];
}> {
  const months = lastTwelveMonths(now);
  const [open, year, themes, overdue] = await Promise.all([
    Promise.all(OPEN_STATUSES.map((status) => service.cases.listCases({ status }))).then((lists) =>
      lists.flat(),
    ),
    service.cases.listReviewsNotifiedIn(months),
    // A count query of each theme's partition.
    Promise.all(
      learningThemes(service.profile).map(async (theme) => ({
        ...theme,
        reviews: await service.learning.countReviewsWithTheme(theme.key),
      })),
    ),
    readOverdueActions(service.learning, now),
  ]);
  return { open, year, months, themes, overdue };
}

const workingDays = (count: number) => `${count} working ${count === 1 ? 'day' : 'days'}`;

export function dashboardViewOf(data: Awaited<ReturnType<typeof readDashboard>>, now: Date) {
  const positions = openReviewPositions(data.open, now);
  const overdue = positions.filter((position) => (position.workingDaysLeft ?? 0) < 0).length;
  const dueSoon = positions.filter(
    (position) =>
      position.workingDaysLeft !== undefined &&
      position.workingDaysLeft >= 0 &&
      position.workingDaysLeft <= 5,
  ).length;
  const later = positions.length - overdue - dueSoon;
  const trend = timelinessTrend(data.year, data.months);
  const agencies = agencyReturnRates(data.year);
  const first = data.months[0] ?? '';
  const last = data.months[data.months.length - 1] ?? '';
  const yearInWords = `${monthInWords(first)} to ${monthInWords(last)}`;
  const themes = themesMostSeen(data.themes, 10);
  const overdueAgencies = overdueByAgency(data.overdue);
  return {
    today: londonDate(now),
    themes: {
      chart: horizontalBarChart({
        id: 'chart-themes',
        title: 'The learning themes most seen across the reviews',
        description: themes.map((theme) => `${theme.name}: ${theme.reviews}`).join('; '),
        bars: themes.map((theme) => ({
          label: theme.name,
          value: theme.reviews,
          valueText: String(theme.reviews),
        })),
      }),
      rows: themes.map((theme) => [theme.name, String(theme.reviews)]),
    },
    overdue: {
      count: data.overdue.length,
      chart: horizontalBarChart({
        id: 'chart-overdue',
        title: 'Actions overdue, by owning agency',
        description: overdueAgencies.map((agency) => `${agency.agencyName}: ${agency.count}`).join('; '),
        bars: overdueAgencies.map((agency) => ({
          label: agency.agencyName,
          value: agency.count,
          valueText: String(agency.count),
          tone: 'bad' as const,
        })),
      }),
      rows: data.overdue.map((action) => [
        `${action.reviewReference} A${action.number}`,
        action.owningAgencyName,
        formatDate(action.dueOn, { weekday: false }),
        workingDays(action.workingDaysOverdue),
      ]),
    },
    yearInWords,
    open: {
      count: positions.length,
      chart: horizontalBarChart({
        id: 'chart-open',
        title: 'Open reviews against their governing dates',
        description: `${overdue} past the governing date; ${dueSoon} due within 5 working days; ${later} due later.`,
        bars: [
          { label: 'Past the governing date', value: overdue, valueText: String(overdue), tone: 'bad' },
          { label: 'Due within 5 working days', value: dueSoon, valueText: String(dueSoon) },
          { label: 'Due later', value: later, valueText: String(later), tone: 'good' },
        ],
      }),
      rows: positions.map((position) => ({
        reference: position.reference,
        status: statusTag(position.status),
        due: position.governingDate ? formatDate(position.governingDate, { weekday: false }) : 'Not known',
        whose: position.governedBy === 'panel' ? 'The Panel’s date' : 'The local plan',
        where:
          position.workingDaysLeft === undefined
            ? 'Not known'
            : position.workingDaysLeft < 0
              ? `${workingDays(-position.workingDaysLeft)} overdue`
              : position.workingDaysLeft === 0
                ? 'Due today'
                : `${workingDays(position.workingDaysLeft)} left`,
        overdue: (position.workingDaysLeft ?? 0) < 0,
      })),
    },
    trend: {
      chart: columnChart({
        id: 'chart-trend',
        title: `Rapid reviews sent by their governing date, by month notified, ${yearInWords}`,
        description: trend
          .map(
            (month) =>
              `${monthInWords(month.month)}: ${month.onTimeRate === undefined ? 'none sent' : `${month.onTimeRate}% on time`}`,
          )
          .join('; '),
        max: 100,
        columns: trend.map((month) => ({
          label: monthInWords(month.month).slice(0, 3),
          value: month.onTimeRate,
          valueText: month.onTimeRate === undefined ? '' : `${month.onTimeRate}%`,
        })),
      }),
      rows: trend.map((month) => [
        monthInWords(month.month),
        String(month.sent),
        String(month.onTime),
        String(month.late),
        month.onTimeRate === undefined ? 'None sent' : `${month.onTimeRate}%`,
      ]),
    },
    agencies: {
      chart: horizontalBarChart({
        id: 'chart-agencies',
        title: `Agencies’ return rates, ${yearInWords}`,
        description: agencies
          .map((agency) => `${agency.agencyName}: ${agency.returnRate ?? 0}% returned`)
          .join('; '),
        max: 100,
        bars: agencies.map((agency) => ({
          label: agency.agencyName,
          value: agency.returnRate ?? 0,
          valueText: agency.returnRate === undefined ? 'None' : `${agency.returnRate}%`,
        })),
      }),
      rows: agencies.map((agency) => [
        agency.agencyName,
        String(agency.asked),
        String(agency.returned),
        agency.returnRate === undefined ? 'None' : `${agency.returnRate}%`,
        agency.onTimeRate === undefined ? 'None' : `${agency.onTimeRate}%`,
      ]),
    },
  };
}

/** GET /dashboard: the partnership's figures for the team and the Executive Board. */
const dashboardPage: Page<InsightWebService> = {
  ...dashboardMenuPage,
  async handle(request) {
    const now = request.service.clock.now();
    const view = dashboardViewOf(await readDashboard(request.service, now), now);
    return render('insight/dashboard.njk', { pageTitle: 'Dashboard', view });
  },
};

/** Every insight page, served by functions/insight-web through the InsightPages routes of shared/routes.ts. */
export const insightWebPages: Page<InsightWebService>[] = [
  dashboardPage,
  scrutinyReportPage,
  commentaryPage,
  reportPdfPage,
];

export type { ScrutinyReport };
