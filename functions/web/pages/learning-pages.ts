import { learningThemeName, learningThemes, rulesOf } from '../../../shared/config/partnership-profile.ts';
import {
  DomainError,
  type InvalidField,
  InvalidInputError,
  NotFoundError,
  RefusedError,
} from '../../../shared/errors.ts';
import {
  actionStatuses,
  actionStatusNames,
  type LearningAction,
  type ReviewKind,
} from '../../../shared/schemas/learning.ts';
import { staffActor } from '../../../shared/schemas/roles.ts';
import type { Service } from '../../../shared/service.ts';
import {
  actionByLink,
  actionReportCsv,
  actionReportPdf,
  actionReportRows,
  addActionEvidence,
  agenciesOf,
  createAction,
  describeFilter,
  listActions,
  loadAction,
  parseActionFilter,
  updateActionProgress,
  verifyAction,
} from '../../../shared/use-cases/action-plans.ts';
import {
  addLearningPoint,
  reviewSummary,
  showReviewLearning,
  tagReviewThemes,
} from '../../../shared/use-cases/learning.ts';
import { formatDate, formatInstant, isoDateOf } from '../../../shared/workflow/london-time.ts';
import { formErrors } from '../forms.ts';
import {
  notFound,
  type Page,
  type PageResult,
  publicAccess,
  rawResponse,
  redirect,
  render,
  staffOnly,
  type WebRequest,
} from '../page.ts';
import { actionsMenuPage } from './menu.ts';

/** The ports the learning pages use (functions/learning-web). */
export type LearningWebService = Pick<
  Service,
  | 'clock'
  | 'profile'
  | 'publicBaseUrl'
  | 'cases'
  | 'localReviews'
  | 'learning'
  | 'mailer'
  | 'documents'
  | 'sessions'
>;
type Request = WebRequest<LearningWebService>;
type LearningPage = Page<LearningWebService>;

const team = staffOnly('partnership-team');

/** The two kinds of review, by where their pages live. */
const reviewPrefixes: { prefix: string; kind: ReviewKind; base: (id: string) => string; name: string }[] = [
  { prefix: '/cases/{reviewId}', kind: 'rapid-review', base: (id) => `/cases/${id}`, name: 'Rapid Review' },
  {
    prefix: '/local-reviews/{reviewId}',
    kind: 'local-review',
    base: (id) => `/local-reviews/${id}`,
    name: 'Local review',
  },
];

const timeZoneOf = (request: Request) => rulesOf(request.service.profile).timeZone;

/** A page's answer to a refusal its use case threw: not found, else the error page. */
function refusal(error: unknown): PageResult {
  if (error instanceof NotFoundError) return notFound();
  throw error;
}

/** The date the three boxes of a GOV.UK date input give, YYYY-MM-DD; '' when all are empty. */
export function dateFromParts(day: string, month: string, year: string): string {
  if (!day.trim() && !month.trim() && !year.trim()) return '';
  const pad = (value: string, width: number) => value.trim().padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function actionInWords(action: LearningAction, request: Request) {
  const today = isoDateOf(request.service.clock.now(), timeZoneOf(request));
  const overdue =
    action.dueOn < today && (action.status === 'not-started' || action.status === 'in-progress');
  return {
    ...action,
    label: `A${action.number}`,
    statusName: actionStatusNames[action.status],
    statusTag:
      action.status === 'verified'
        ? 'govuk-tag--green'
        : action.status === 'done'
          ? 'govuk-tag--blue'
          : overdue
            ? 'govuk-tag--red'
            : action.status === 'in-progress'
              ? 'govuk-tag--yellow'
              : 'govuk-tag--grey',
    overdue,
    due: formatDate(action.dueOn),
    themeName: action.theme ? learningThemeName(request.service.profile, action.theme) : undefined,
    agencies: [action.owningAgencyName, ...action.otherAgencyNames].join(', '),
    scopeName: action.scope === 'multi-agency' ? 'Multi-agency' : 'Single agency',
    progressInWords: [...action.progress].reverse().map((update) => ({
      ...update,
      when: formatInstant(update.at, timeZoneOf(request)),
      statusName: actionStatusNames[update.status],
    })),
    evidenceDocuments: (action.evidence?.documents ?? []).map((document, index) => ({
      ...document,
      number: index + 1,
      when: formatInstant(document.uploadedAt, timeZoneOf(request)),
    })),
    verifiedWhen: action.verifiedAt ? formatInstant(action.verifiedAt, timeZoneOf(request)) : undefined,
  };
}

async function learningPage(
  request: Request,
  kind: ReviewKind,
  reviewId: string,
  extra: { errors?: InvalidField[]; values?: Record<string, unknown>; status?: number } = {},
): Promise<PageResult> {
  const view = await showReviewLearning(request.service, { kind, reviewId });
  const prefix = reviewPrefixes.find((entry) => entry.kind === kind)!;
  return render(
    'learning/review.njk',
    {
      pageTitle: `Learning from ${view.review.reference}`,
      kindName: prefix.name,
      base: `${prefix.base(reviewId)}/learning`,
      view,
      reviewedOn: formatDate(view.review.reviewedOn),
      chosenThemes: view.themes.filter((theme) => theme.chosen),
      earlier: view.earlierReviews.map((review) => ({
        ...review,
        reviewedOnWords: formatDate(review.reviewedOn, { weekday: false }),
        path: `${reviewPrefixes.find((entry) => entry.kind === review.kind)!.base(review.reviewId)}/learning`,
        actions: review.actions.map((action) => ({
          ...action,
          due: formatDate(action.dueOn, { weekday: false }),
        })),
      })),
      actions: view.actions.map((action) => actionInWords(action, request)),
      ...(extra.errors ? { errors: formErrors(extra.errors) } : {}),
      values: extra.values ?? {},
    },
    extra.status ?? 200,
  );
}

function reviewPages(entry: (typeof reviewPrefixes)[number]): LearningPage[] {
  const { prefix, kind } = entry;
  const learningBase = (request: Request) => `${entry.base(request.params.reviewId ?? '')}/learning`;
  const actor = (request: Request) => staffActor(request.user!, 'partnership-team');

  async function newActionPage(
    request: Request,
    extra: { errors?: InvalidField[]; values?: Record<string, unknown> } = {},
  ): Promise<PageResult> {
    const review = await reviewSummary(request.service, kind, request.params.reviewId ?? '');
    const values = extra.values ?? {};
    return render(
      'learning/new-action.njk',
      {
        pageTitle: 'Add an action',
        kindName: entry.name,
        review,
        base: learningBase(request),
        themes: learningThemes(request.service.profile),
        values,
        ...(extra.errors
          ? { errors: formErrors(extra.errors, (field) => (field === 'dueOn' ? 'dueOn-day' : field)) }
          : {}),
      },
      extra.errors ? 400 : 200,
    );
  }

  async function actionPage(request: Request, errors?: InvalidField[]): Promise<PageResult> {
    const action = await loadAction(
      request.service,
      kind,
      request.params.reviewId ?? '',
      request.params.actionId ?? '',
    );
    return render(
      'learning/action.njk',
      {
        pageTitle: `Action A${action.number} from ${action.reviewReference}`,
        base: learningBase(request),
        action: actionInWords(action, request),
        ...(errors ? { errors: formErrors(errors) } : {}),
      },
      errors ? 400 : 200,
    );
  }

  return [
    {
      method: 'GET',
      path: `${prefix}/learning`,
      access: team,
      async handle(request) {
        try {
          return await learningPage(request, kind, request.params.reviewId ?? '');
        } catch (error) {
          return refusal(error);
        }
      },
    },
    {
      method: 'POST',
      path: `${prefix}/learning/themes`,
      access: team,
      async handle(request) {
        const reviewId = request.params.reviewId ?? '';
        try {
          await tagReviewThemes(request.service, {
            kind,
            reviewId,
            themes: request.form.getAll('themes'),
            actor: actor(request),
          });
          return redirect(`${learningBase(request)}#themes`);
        } catch (error) {
          if (error instanceof InvalidInputError) {
            return learningPage(request, kind, reviewId, {
              errors: error.fields,
              values: { themes: request.form.getAll('themes') },
              status: 400,
            });
          }
          return refusal(error);
        }
      },
    },
    {
      method: 'POST',
      path: `${prefix}/learning/points`,
      access: team,
      async handle(request) {
        const reviewId = request.params.reviewId ?? '';
        const values = {
          text: request.form.get('text') ?? '',
          theme: request.form.get('theme') ?? '',
          repeats: request.form.getAll('repeats'),
        };
        try {
          await addLearningPoint(request.service, { kind, reviewId, ...values, actor: actor(request) });
          return redirect(`${learningBase(request)}#learning-points`);
        } catch (error) {
          if (error instanceof InvalidInputError) {
            return learningPage(request, kind, reviewId, {
              errors: error.fields.map((field) =>
                field.field === 'repeats' ? { ...field, field: 'repeats' } : field,
              ),
              values,
              status: 400,
            });
          }
          return refusal(error);
        }
      },
    },
    {
      method: 'GET',
      path: `${prefix}/learning/actions/new`,
      access: team,
      async handle(request) {
        try {
          return await newActionPage(request);
        } catch (error) {
          return refusal(error);
        }
      },
    },
    {
      method: 'POST',
      path: `${prefix}/learning/actions/new`,
      access: team,
      async handle(request) {
        const form = request.form;
        const values = {
          recommendation: form.get('recommendation') ?? '',
          description: form.get('description') ?? '',
          theme: form.get('theme') ?? '',
          scope: form.get('scope') ?? '',
          owningAgencyId: form.get('owningAgencyId') ?? '',
          otherAgencyIds: form.getAll('otherAgencyIds'),
          ownerRole: form.get('ownerRole') ?? '',
          ownerEmail: form.get('ownerEmail') ?? '',
          dueOnDay: form.get('dueOn-day') ?? '',
          dueOnMonth: form.get('dueOn-month') ?? '',
          dueOnYear: form.get('dueOn-year') ?? '',
        };
        try {
          const action = await createAction(request.service, {
            kind,
            reviewId: request.params.reviewId ?? '',
            form: { ...values, dueOn: dateFromParts(values.dueOnDay, values.dueOnMonth, values.dueOnYear) },
            actor: actor(request),
          });
          return redirect(`${learningBase(request)}/actions/${action.actionId}`);
        } catch (error) {
          if (error instanceof InvalidInputError) {
            const errors = error.fields.map((field) =>
              field.field === 'dueOn'
                ? {
                    field: 'dueOn',
                    message: field.message.startsWith('The due date')
                      ? field.message
                      : 'Enter the due date as a real date, for example 31 3 2027',
                  }
                : field,
            );
            return newActionPage(request, { errors, values });
          }
          return refusal(error);
        }
      },
    },
    {
      method: 'GET',
      path: `${prefix}/learning/actions/{actionId}`,
      access: team,
      async handle(request) {
        try {
          return await actionPage(request);
        } catch (error) {
          return refusal(error);
        }
      },
    },
    {
      method: 'POST',
      path: `${prefix}/learning/actions/{actionId}/verify`,
      access: team,
      async handle(request) {
        try {
          await verifyAction(request.service, {
            kind,
            reviewId: request.params.reviewId ?? '',
            actionId: request.params.actionId ?? '',
            actor: actor(request),
          });
          return redirect(`${learningBase(request)}/actions/${request.params.actionId}`);
        } catch (error) {
          if (error instanceof InvalidInputError) return actionPage(request, error.fields);
          return refusal(error);
        }
      },
    },
    {
      method: 'GET',
      path: `${prefix}/learning/actions/{actionId}/evidence/{number}`,
      access: team,
      async handle(request) {
        try {
          const action = await loadAction(
            request.service,
            kind,
            request.params.reviewId ?? '',
            request.params.actionId ?? '',
          );
          const document = action.evidence?.documents[Number(request.params.number) - 1];
          if (!document) return notFound();
          return redirect(await request.service.documents.downloadUrl(document.key, 300, document.title));
        } catch (error) {
          return refusal(error);
        }
      },
    },
  ];
}

function filterOf(request: Request) {
  const get = (name: string) => request.query.get(name) ?? undefined;
  const day = get('dueBy-day') ?? '';
  const month = get('dueBy-month') ?? '';
  const year = get('dueBy-year') ?? '';
  const dueBy = dateFromParts(day, month, year) || undefined;
  const parsed = parseActionFilter({
    agency: get('agency'),
    theme: get('theme'),
    status: get('status'),
    dueBy,
    overdue: get('overdue'),
  });
  return {
    ...parsed,
    values: {
      agency: get('agency'),
      theme: get('theme'),
      status: get('status'),
      overdue: get('overdue'),
      day,
      month,
      year,
    },
  };
}

/** The query string of the filter as chosen, for the export links. */
function filterQuery(request: Request): string {
  const kept = new URLSearchParams();
  for (const name of ['agency', 'theme', 'status', 'dueBy-day', 'dueBy-month', 'dueBy-year', 'overdue']) {
    const value = request.query.get(name);
    if (value) kept.set(name, value);
  }
  const query = kept.toString();
  return query ? `?${query}` : '';
}

/** The agencies the filter offers: those of every open action, and any named in the filter. */
async function agencyChoices(
  request: Request,
  shown: readonly LearningAction[],
): Promise<Map<string, string>> {
  const open = await listActions(request.service, {});
  return new Map([...agenciesOf(open), ...agenciesOf(shown)].sort((a, b) => a[1].localeCompare(b[1])));
}

const actionListPages: LearningPage[] = [
  {
    ...actionsMenuPage,
    async handle(request) {
      const { filter, errors, values } = filterOf(request);
      const actions = await listActions(request.service, filter);
      const agencies = await agencyChoices(request, actions);
      return render(
        'learning/actions.njk',
        {
          pageTitle: 'Actions',
          actions: actions.map((action) => ({
            ...actionInWords(action, request),
            path: `${reviewPrefixes.find((entry) => entry.kind === action.reviewKind)!.base(action.reviewId)}/learning/actions/${action.actionId}`,
          })),
          agencies: [...agencies].map(([value, text]) => ({ value, text })),
          themes: learningThemes(request.service.profile).map((theme) => ({
            value: theme.key,
            text: theme.name,
          })),
          statuses: actionStatuses.map((status) => ({ value: status, text: actionStatusNames[status] })),
          values,
          filterWords: describeFilter(request.service.profile, filter, agencies),
          exportQuery: filterQuery(request),
          ...(errors.length
            ? { errors: formErrors(errors, (field) => (field === 'due-by' ? 'dueBy-day' : field)) }
            : {}),
        },
        errors.length ? 400 : 200,
      );
    },
  },
  {
    method: 'GET',
    path: '/actions/report.csv',
    access: team,
    async handle(request) {
      const { filter } = filterOf(request);
      const rows = actionReportRows(request.service, await listActions(request.service, filter));
      return rawResponse({
        statusCode: 200,
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': 'attachment; filename="action-plan-progress.csv"',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: `\uFEFF${actionReportCsv(rows)}`,
      });
    },
  },
  {
    method: 'GET',
    path: '/actions/report.pdf',
    access: team,
    async handle(request) {
      const { filter } = filterOf(request);
      const actions = await listActions(request.service, filter);
      const agencies = await agencyChoices(request, actions);
      const bytes = await actionReportPdf(
        request.service,
        actionReportRows(request.service, actions),
        describeFilter(request.service.profile, filter, agencies),
      );
      return rawResponse({
        statusCode: 200,
        headers: {
          'content-type': 'application/pdf',
          'content-disposition': 'attachment; filename="action-plan-progress.pdf"',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        },
        body: Buffer.from(bytes).toString('base64'),
        isBase64Encoded: true,
      });
    },
  },
];

/** The owner's page under their link: the action, its progress and evidence, and the forms to add to them. */
async function ownerPage(
  request: Request,
  extra: { errors?: InvalidField[]; values?: Record<string, string>; status?: number } = {},
): Promise<PageResult> {
  const token = request.params.token ?? '';
  let action: LearningAction;
  try {
    action = await actionByLink(request.service, token);
  } catch (error) {
    if (error instanceof RefusedError) {
      return render(
        'learning/link-expired.njk',
        { pageTitle: 'This link has expired', teamAddress: request.service.profile.partnershipTeamAddress },
        410,
      );
    }
    return refusal(error);
  }
  const saved = request.query.get('saved');
  return render(
    'learning/owner.njk',
    {
      pageTitle: `Action A${action.number} from review ${action.reviewReference}`,
      action: actionInWords(action, request),
      base: `/action/${token}`,
      saved:
        saved === 'progress' ? 'Progress recorded' : saved === 'evidence' ? 'Evidence recorded' : undefined,
      statuses: (['not-started', 'in-progress', 'done'] as const).map((status) => ({
        value: status,
        text: actionStatusNames[status],
      })),
      values: extra.values ?? {},
      ...(extra.errors
        ? { errors: formErrors(extra.errors, (field) => (field === 'document' ? 'document' : field)) }
        : {}),
      teamAddress: request.service.profile.partnershipTeamAddress,
    },
    extra.status ?? 200,
  );
}

const ownerPages: LearningPage[] = [
  {
    method: 'GET',
    path: '/action/{token}',
    access: publicAccess,
    capabilityInPath: true,
    handle: (request) => ownerPage(request),
  },
  {
    method: 'POST',
    path: '/action/{token}/progress',
    access: publicAccess,
    capabilityInPath: true,
    async handle(request) {
      const values = { status: request.form.get('status') ?? '', note: request.form.get('note') ?? '' };
      try {
        await updateActionProgress(request.service, { token: request.params.token ?? '', ...values });
        return redirect(`/action/${request.params.token}?saved=progress`);
      } catch (error) {
        if (error instanceof InvalidInputError)
          return ownerPage(request, { errors: error.fields, values, status: 400 });
        if (error instanceof DomainError && error.kind !== 'not-found') return ownerPage(request);
        return refusal(error);
      }
    },
  },
  {
    method: 'POST',
    path: '/action/{token}/evidence',
    access: publicAccess,
    capabilityInPath: true,
    async handle(request) {
      const values = { evidenceNote: request.form.get('evidenceNote') ?? '' };
      try {
        const file = request.files?.get('document');
        await addActionEvidence(request.service, {
          token: request.params.token ?? '',
          note: values.evidenceNote,
          ...(file ? { file } : {}),
        });
        return redirect(`/action/${request.params.token}?saved=evidence`);
      } catch (error) {
        if (error instanceof InvalidInputError) {
          return ownerPage(request, {
            errors: error.fields.map((field) =>
              field.field === 'note' ? { ...field, field: 'evidenceNote' } : field,
            ),
            values,
            status: 400,
          });
        }
        if (error instanceof DomainError && error.kind !== 'not-found') return ownerPage(request);
        return refusal(error);
      }
    },
  },
];

/** Every learning page (issue 14 parts 1 and 2), served by functions/learning-web. */
export const learningPages: LearningPage[] = [
  ...reviewPrefixes.flatMap(reviewPages),
  ...actionListPages,
  ...ownerPages,
];
