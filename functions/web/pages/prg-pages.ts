import { rulesOf } from '../../../shared/config/partnership-profile.ts';
import { DomainError, type InvalidField, InvalidInputError, NotFoundError } from '../../../shared/errors.ts';
import type { Problem } from '../../../shared/http/problem.ts';
import {
  type PrgCriterion,
  type PrgReferral,
  prgCriterion,
  prgCriterionNames,
  prgDecisionAnswers,
  prgOutcome,
  prgOutcomeNames,
  referralAnswers,
  referralKind,
  referralKindNames,
  referralStatusNames,
} from '../../../shared/schemas/prg-referral.ts';
import type * as z from '../../../shared/schemas/zod.ts';
import type { Service } from '../../../shared/service.ts';
import {
  commissionLocalReviewFromReferral,
  REFERRAL_NOT_LCSPR_MESSAGE,
} from '../../../shared/use-cases/local-review.ts';
import {
  approveReferral,
  listReferrals,
  loadReferral,
  openApprovalLink,
  recordPrgDecision,
  referCase,
  resendApprovalLink,
  showReferral,
} from '../../../shared/use-cases/prg-referral.ts';
import { formatDate, isoDateOf } from '../../../shared/workflow/london-time.ts';
import {
  answersOf,
  checkRows,
  errorsOf,
  type Field,
  type FormRules,
  postedValues,
  questionFields,
  refusedFields,
  problemPage as sharedProblemPage,
  refusal as sharedRefusal,
} from '../field-flow.ts';
import {
  memberOf,
  notFound,
  type Page,
  type PageAccess,
  type PageResult,
  publicAccess,
  redirect,
  render,
  staffOnly,
  todayOf,
  type WebRequest,
} from '../page.ts';
import { londonDateTime } from './london.ts';
import { prgMenuPage, yourReferralsMenuPage } from './menu.ts';

/**
 * The Practice Review Group's pages (issue 13 part 1, the second way in to a local review),
 * served by their own function (functions/prg-web) through the PrgPages routes of shared/routes.ts:
 *
 *   GET  /practice-review-group                                   the group's (and the team's) referrals
 *   GET  /practice-review-group/your-referrals                    a referrer's own referrals
 *   …/refer (+ /check, /confirm)                                  refer a case → …/referrals/{id}/sent
 *   GET  /practice-review-group/referrals/{referralId}            the referral, its decision and timeline
 *   POST /practice-review-group/referrals/{referralId}/resend-approval   a new link for the strategic lead
 *   …/referrals/{referralId}/decision (+ /check, /confirm, /confirmation)   the group's decision
 *   …/referrals/{referralId}/local-review (+ /confirm, /confirmation)       the team commissions the local review
 *   GET  /practice-review-group/approval/{token}                  the strategic lead's page, by their emailed link
 *   POST /practice-review-group/approval/{token}/approve          → …/approved
 */

/** The ports these pages use. */
export type PrgWebService = Pick<
  Service,
  | 'clock'
  | 'profile'
  | 'publicBaseUrl'
  | 'sessions'
  | 'mailer'
  | 'referrals'
  | 'localReviews'
  | 'localReviewWorkflow'
>;
type Request = WebRequest<PrgWebService>;
type PrgPage = Page<PrgWebService>;

const BASE = '/practice-review-group';
const referrerOnly = staffOnly('referrer');
const groupOnly = staffOnly('prg-member');
const teamOnly = staffOnly('partnership-team');
const readers = staffOnly('referrer', 'prg-member', 'partnership-team', 'safeguarding-partner');
const referralPath = (referral: Pick<PrgReferral, 'referralId'>) =>
  `${BASE}/referrals/${referral.referralId}`;

// ── The form of one flow (as the local review pages' flows) ─────────────────────────────────

/** How these pages' forms ask (the shared form machinery of ../field-flow.ts). */
const rules: FormRules = {
  blankChoiceIsMissing: true,
  chooseIsUnanswered: true,
  issueMatches: ['inside-field', 'field-inside'],
  dateFormat: { weekday: false },
  listSeparator: '; ',
};

/** One question flow: its questions, what it records, and where it goes after. */
interface Flow<C> {
  path: string;
  access: PageAccess;
  /** What the answers are about, or the page to show instead. */
  load(request: Request): Promise<{ context: C } | { result: PageResult }>;
  title: string;
  caption(context: C): string;
  back(context: C): { href: string; text: string };
  action(context: C): string;
  fields(context: C): Field[];
  schema: z.ZodMiniType;
  /** Answers as the use case takes them (some pages reshape the form's). */
  record(request: Request, context: C, answers: Record<string, unknown>): Promise<string>;
  button: string;
}

function questionPage<C>(
  flow: Flow<C>,
  context: C,
  form: URLSearchParams,
  errors: InvalidField[] = [],
  dateParts: Record<string, string[]> = {},
): PageResult {
  const { fields, summary } = questionFields(flow.fields(context), form, errors, dateParts);
  return render(
    'prg/question.njk',
    {
      pageTitle: flow.title,
      caption: flow.caption(context),
      back: flow.back(context),
      fields,
      action: flow.action(context),
      ...(summary ? { errors: summary } : {}),
    },
    summary ? 400 : 200,
  );
}

const problemPage = (answer: Problem, back: { href: string; text: string }): PageResult =>
  sharedProblemPage('prg/problem.njk', answer, back);

const refusal = (error: unknown, back: { href: string; text: string }): PageResult =>
  sharedRefusal('prg/problem.njk', error, back);

function flowPages<C>(flow: Flow<C>): PrgPage[] {
  const step =
    (run: (request: Request, context: C) => PageResult | Promise<PageResult>) =>
    async (request: Request): Promise<PageResult> => {
      const found = await flow.load(request);
      return 'result' in found ? found.result : run(request, found.context);
    };
  const checked = (request: Request, context: C) => {
    const fields = flow.fields(context);
    const { answers, errors, dateParts } = answersOf(fields, request.form, todayOf(request), rules);
    return { fields, answers, dateParts, errors: errorsOf(fields, flow.schema, answers, errors, rules) };
  };
  return [
    {
      method: 'GET',
      path: flow.path,
      access: flow.access,
      handle: step((_request, context) => questionPage(flow, context, new URLSearchParams())),
    },
    {
      method: 'POST',
      path: flow.path,
      access: flow.access,
      handle: step((request, context) => questionPage(flow, context, request.form)),
    },
    {
      method: 'POST',
      path: `${flow.path}/check`,
      access: flow.access,
      handle: step((request, context) => {
        const { fields, answers, errors, dateParts } = checked(request, context);
        if (errors.length) return questionPage(flow, context, request.form, errors, dateParts);
        return render('prg/check.njk', {
          pageTitle: `Check your answers: ${flow.title.toLowerCase()}`,
          caption: flow.caption(context),
          rows: checkRows(fields, request.form, answers, rules),
          posted: postedValues(request.form),
          action: flow.action(context),
          button: flow.button,
        });
      }),
    },
    {
      method: 'POST',
      path: `${flow.path}/confirm`,
      access: flow.access,
      handle: step(async (request, context) => {
        const { fields, answers, errors, dateParts } = checked(request, context);
        if (errors.length) return questionPage(flow, context, request.form, errors, dateParts);
        try {
          return redirect(await flow.record(request, context, answers));
        } catch (error) {
          if (error instanceof InvalidInputError) {
            return questionPage(flow, context, request.form, refusedFields(fields, error.fields));
          }
          return refusal(error, flow.back(context));
        }
      }),
    },
  ];
}

// ── Lists ───────────────────────────────────────────────────────────────────────────────────

function referralRows(referrals: readonly PrgReferral[]) {
  return referrals.map((referral) => ({
    href: referralPath(referral),
    reference: referral.reference,
    agencyName: referral.agencyName,
    kind: referralKindNames[referral.kind],
    referredAt: londonDateTime(referral.referredAt),
    status:
      referral.status === 'decided' && referral.decision
        ? `Decided: ${prgOutcomeNames[referral.decision.outcome]}`
        : referralStatusNames[referral.status],
  }));
}

const listPages: PrgPage[] = [
  {
    ...prgMenuPage,
    async handle(request) {
      const referrals = await listReferrals(request.service, memberOf(request));
      return render('prg/list.njk', {
        pageTitle: 'Practice Review Group referrals',
        intro:
          'Cases that were not notifiable, referred by an agency so the partnership can learn from them. A referral comes to the group once its agency’s strategic lead approves it.',
        rows: referralRows(referrals),
        canRefer: false,
      });
    },
  },
  {
    ...yourReferralsMenuPage,
    async handle(request) {
      const referrals = await listReferrals(request.service, memberOf(request));
      return render('prg/list.njk', {
        pageTitle: 'Your referrals',
        intro:
          'Refer a case that was not notifiable (good practice, poor practice or a near miss) to the Practice Review Group. Your agency’s strategic lead approves it by a link we email them.',
        rows: referralRows(referrals),
        canRefer: true,
      });
    },
  },
];

// ── Referring a case ────────────────────────────────────────────────────────────────────────

const referFields: Field[] = [
  { name: 'agencyName', label: 'Your agency', enter: 'your agency', kind: 'text' },
  {
    name: 'kind',
    label: 'What kind of case is this?',
    enter: 'what kind of case this is',
    kind: 'radios',
    options: referralKind.options.map((value) => ({ value, text: referralKindNames[value] })),
  },
  { name: 'child.name', label: 'The child’s name', enter: 'the child’s name', kind: 'text' },
  {
    name: 'child.dateOfBirth',
    label: 'The child’s date of birth (optional)',
    enter: 'the child’s date of birth',
    kind: 'date',
    optional: true,
    when: 'past',
  },
  { name: 'summary', label: 'Summary of the case', enter: 'a summary of the case', kind: 'textarea' },
  {
    name: 'whyNotNotifiable',
    label: 'Why the case was not notifiable',
    enter: 'why the case was not notifiable',
    hint: 'For example, the child was not seriously harmed, or abuse or neglect was not suspected',
    kind: 'textarea',
  },
  {
    name: 'criteria',
    label: 'Which criteria might the case meet?',
    enter: 'at least one criterion the case may meet',
    kind: 'checkboxes',
    options: prgCriterion.options.map((value) => ({ value, text: prgCriterionNames[value] })),
  },
  {
    name: 'relatedReviews.safeguardingAdultReview',
    label: 'Related Safeguarding Adult Review (optional)',
    enter: 'the Safeguarding Adult Review',
    hint: 'Its reference or web address',
    kind: 'text',
    optional: true,
  },
  {
    name: 'relatedReviews.domesticHomicideReview',
    label: 'Related Domestic Homicide Review (optional)',
    enter: 'the Domestic Homicide Review',
    hint: 'Its reference or web address',
    kind: 'text',
    optional: true,
  },
  {
    name: 'relatedReviews.childDeathReview',
    label: 'Related child death review (optional)',
    enter: 'the child death review',
    hint: 'Its reference or web address',
    kind: 'text',
    optional: true,
  },
  {
    name: 'lead.name',
    label: 'Your agency’s strategic lead: name',
    enter: 'the strategic lead’s name',
    kind: 'text',
  },
  {
    name: 'lead.email',
    label: 'Your agency’s strategic lead: email address',
    enter: 'the strategic lead’s email address',
    hint: 'We email them a link to approve the referral',
    kind: 'email',
  },
];

const referPages = flowPages<null>({
  path: `${BASE}/refer`,
  access: referrerOnly,
  load: async () => ({ context: null }),
  title: 'Refer a case to the Practice Review Group',
  caption: () => 'Practice Review Group',
  back: () => ({ href: `${BASE}/your-referrals`, text: 'Back to your referrals' }),
  action: () => `${BASE}/refer`,
  fields: () => referFields,
  schema: referralAnswers,
  async record(request, _context, answers) {
    const referral = await referCase(request.service, { answers, member: memberOf(request) });
    return `${referralPath(referral)}/sent`;
  },
  button: 'Send the referral',
});

// ── The referral's page ─────────────────────────────────────────────────────────────────────

async function referralFor(request: Request): Promise<{ context: PrgReferral } | { result: PageResult }> {
  try {
    const { referral } = await showReferral(request.service, {
      referralId: request.params.referralId ?? '',
      member: memberOf(request),
    });
    return { context: referral };
  } catch (error) {
    if (error instanceof DomainError && (error.kind === 'not-found' || error.kind === 'forbidden')) {
      return { result: error.kind === 'not-found' ? notFound() : refusal(error, backHome(request)) };
    }
    throw error;
  }
}

function backHome(request: Request): { href: string; text: string } {
  return request.user?.roles.includes('referrer') && !request.user.roles.includes('prg-member')
    ? { href: `${BASE}/your-referrals`, text: 'Go to your referrals' }
    : { href: BASE, text: 'Go to the Practice Review Group’s referrals' };
}

const backToReferral = (referral: PrgReferral) => ({
  href: referralPath(referral),
  text: `Go to referral ${referral.reference}`,
});

function referralView(referral: PrgReferral) {
  const related = [
    ['Safeguarding Adult Review', referral.relatedReviews.safeguardingAdultReview],
    ['Domestic Homicide Review', referral.relatedReviews.domesticHomicideReview],
    ['Child death review', referral.relatedReviews.childDeathReview],
  ].filter((entry): entry is [string, string] => Boolean(entry[1]));
  return {
    reference: referral.reference,
    referralId: referral.referralId,
    status: referralStatusNames[referral.status],
    agencyName: referral.agencyName,
    kind: referralKindNames[referral.kind],
    childName: referral.child.name,
    dateOfBirth: referral.child.dateOfBirth
      ? formatDate(referral.child.dateOfBirth, { weekday: false })
      : 'Not given',
    summary: referral.summary,
    whyNotNotifiable: referral.whyNotNotifiable,
    criteria: referral.criteria.map((criterion) => prgCriterionNames[criterion]),
    related,
    referredAt: londonDateTime(referral.referredAt),
    referrerName: referral.referrer.name ?? 'Not recorded',
    leadName: referral.lead.name,
    approvedAt: referral.approval.approvedAt ? londonDateTime(referral.approval.approvedAt) : undefined,
    linkExpiresAt: londonDateTime(referral.approval.expiresAt),
    decision: referral.decision
      ? {
          outcome: prgOutcomeNames[referral.decision.outcome],
          reasons: referral.decision.reasons,
          decidedAt: londonDateTime(referral.decision.decidedAt),
          decidedBy: referral.decision.decidedByName ?? 'A member of the group',
          criteria: Object.entries(referral.decision.criteria).map(([criterion, answer]) => ({
            name: prgCriterionNames[criterion as PrgCriterion],
            met: answer.met ? 'Met' : 'Not met',
            reasons: answer.reasons,
          })),
        }
      : undefined,
  };
}

const actionInWords: Record<string, string> = {
  'prg-referral.referred': 'Referred to the Practice Review Group',
  'prg-referral.approval-link-resent': 'A new approval link sent to the strategic lead',
  'prg-referral.lead-approved': 'Approved by the agency’s strategic lead',
  'prg-referral.decided': 'The group decided',
  'prg-referral.local-review-commissioned': 'Local review commissioned',
};

const referralPages: PrgPage[] = [
  {
    method: 'GET',
    path: `${BASE}/referrals/{referralId}`,
    access: readers,
    async handle(request) {
      let shown: Awaited<ReturnType<typeof showReferral>>;
      try {
        shown = await showReferral(request.service, {
          referralId: request.params.referralId ?? '',
          member: memberOf(request),
        });
      } catch (error) {
        return refusal(error, backHome(request));
      }
      const { referral, audit } = shown;
      const roles = memberOf(request).roles;
      return render('prg/referral.njk', {
        pageTitle: `Referral ${referral.reference}`,
        view: referralView(referral),
        back: backHome(request),
        timeline: audit.map((event) => ({
          at: londonDateTime(event.at),
          what: actionInWords[event.action] ?? event.action,
          who:
            event.actor.kind === 'staff'
              ? (event.actor.name ?? 'A member of staff')
              : event.actor.kind === 'agency'
                ? `${referral.agencyName}'s strategic lead`
                : 'The service',
        })),
        canResend:
          referral.status === 'awaiting-approval' &&
          (referral.referrer.id === memberOf(request).id || roles.includes('partnership-team')),
        canDecide: referral.status === 'awaiting-decision' && roles.includes('prg-member'),
        canCommission:
          referral.decision?.outcome === 'lcspr' &&
          !referral.localReviewId &&
          roles.includes('partnership-team'),
        localReviewHref:
          referral.localReviewId && roles.includes('partnership-team')
            ? `/local-reviews/${referral.localReviewId}`
            : undefined,
      });
    },
  },
  {
    method: 'GET',
    path: `${BASE}/referrals/{referralId}/sent`,
    access: referrerOnly,
    async handle(request) {
      const found = await referralFor(request);
      if ('result' in found) return found.result;
      const referral = found.context;
      return render('prg/confirmation.njk', {
        pageTitle: 'Referral sent',
        reference: referral.reference,
        text: `We have emailed ${referral.lead.name}, your agency’s strategic lead, a link to approve the referral. The link works until ${londonDateTime(referral.approval.expiresAt)}. Once they approve it, the Practice Review Group decides what the case leads to, and we email you the group’s decision.`,
        back: backToReferral(referral),
      });
    },
  },
  {
    method: 'POST',
    path: `${BASE}/referrals/{referralId}/resend-approval`,
    access: staffOnly('referrer', 'partnership-team'),
    async handle(request) {
      try {
        const referral = await resendApprovalLink(request.service, {
          referralId: request.params.referralId ?? '',
          member: memberOf(request),
        });
        return redirect(`${referralPath(referral)}/approval-link-sent`);
      } catch (error) {
        return refusal(error, backHome(request));
      }
    },
  },
  {
    method: 'GET',
    path: `${BASE}/referrals/{referralId}/approval-link-sent`,
    access: staffOnly('referrer', 'partnership-team'),
    async handle(request) {
      const found = await referralFor(request);
      if ('result' in found) return found.result;
      const referral = found.context;
      return render('prg/confirmation.njk', {
        pageTitle: 'New link sent',
        reference: referral.reference,
        text: `We have emailed ${referral.lead.name} a new link to approve the referral. It works until ${londonDateTime(referral.approval.expiresAt)}; the earlier link no longer works.`,
        back: backToReferral(referral),
      });
    },
  },
];

// ── The group's decision ────────────────────────────────────────────────────────────────────

function decisionFields(referral: PrgReferral): Field[] {
  return [
    ...referral.criteria.flatMap((criterion): Field[] => [
      {
        name: `criteria.${criterion}.met`,
        label: `Does the case meet this criterion? ${prgCriterionNames[criterion]}`,
        enter: 'whether the case meets this criterion',
        kind: 'yes-no',
      },
      {
        name: `criteria.${criterion}.reasons`,
        label: 'Reasons',
        enter: 'the reasons for this criterion',
        kind: 'textarea',
      },
    ]),
    {
      name: 'outcome',
      label: 'What does the referral lead to?',
      enter: 'what the referral leads to',
      kind: 'radios',
      options: prgOutcome.options.map((value) => ({ value, text: prgOutcomeNames[value] })),
    },
    {
      name: 'reasons',
      label: 'Reasons for the decision',
      enter: 'the reasons for the decision',
      kind: 'textarea',
    },
  ];
}

async function decidableReferral(
  request: Request,
): Promise<{ context: PrgReferral } | { result: PageResult }> {
  const found = await referralFor(request);
  if ('result' in found) return found;
  const referral = found.context;
  if (referral.status === 'awaiting-approval') {
    return {
      result: problemPage(
        {
          status: 409,
          title: 'You cannot do this now',
          detail: `Referral ${referral.reference} is waiting for its agency’s strategic lead to approve it. The group decides once it is approved.`,
        },
        backToReferral(referral),
      ),
    };
  }
  if (referral.decision) {
    return {
      result: problemPage(
        {
          status: 409,
          title: 'Already decided',
          detail: `The group has already decided on referral ${referral.reference}.`,
        },
        backToReferral(referral),
      ),
    };
  }
  return found;
}

const decisionPages: PrgPage[] = [
  ...flowPages<PrgReferral>({
    path: `${BASE}/referrals/{referralId}/decision`,
    access: groupOnly,
    load: decidableReferral,
    title: 'Record the group’s decision',
    caption: (referral) => `Referral ${referral.reference}`,
    back: backToReferral,
    action: (referral) => `${referralPath(referral)}/decision`,
    fields: decisionFields,
    schema: prgDecisionAnswers,
    async record(request, referral, answers) {
      await recordPrgDecision(request.service, {
        referralId: referral.referralId,
        answers,
        member: memberOf(request),
      });
      return `${referralPath(referral)}/decision/confirmation`;
    },
    button: 'Record the decision',
  }),
  {
    method: 'GET',
    path: `${BASE}/referrals/{referralId}/decision/confirmation`,
    access: groupOnly,
    async handle(request) {
      const found = await referralFor(request);
      if ('result' in found) return found.result;
      const referral = found.context;
      if (!referral.decision) return notFound();
      return render('prg/confirmation.njk', {
        pageTitle: 'Decision recorded',
        reference: referral.reference,
        text: `The group decided: ${prgOutcomeNames[referral.decision.outcome]}. We have emailed the person who made the referral and the safeguarding partners the decision; the reasons are on the referral’s page.${referral.decision.outcome === 'lcspr' ? ' The partnership team commissions the local review from the referral.' : ''}`,
        back: backToReferral(referral),
      });
    },
  },
];

// ── Commissioning the local review ──────────────────────────────────────────────────────────

const commissionPages: PrgPage[] = [
  {
    method: 'GET',
    path: `${BASE}/referrals/{referralId}/local-review`,
    access: teamOnly,
    async handle(request) {
      const found = await referralFor(request);
      if ('result' in found) return found.result;
      const referral = found.context;
      if (referral.localReviewId) return redirect(`/local-reviews/${referral.localReviewId}`);
      if (referral.decision?.outcome !== 'lcspr') {
        return problemPage(
          { status: 409, title: 'You cannot start a local review', detail: REFERRAL_NOT_LCSPR_MESSAGE },
          backToReferral(referral),
        );
      }
      return render('prg/commission.njk', {
        pageTitle: 'Start the local review',
        view: referralView(referral),
        decidedOn: formatDate(
          isoDateOf(referral.decision.decidedAt, rulesOf(request.service.profile).timeZone),
        ),
      });
    },
  },
  {
    method: 'POST',
    path: `${BASE}/referrals/{referralId}/local-review/confirm`,
    access: teamOnly,
    async handle(request) {
      const referralId = request.params.referralId ?? '';
      try {
        await commissionLocalReviewFromReferral(request.service, { referralId, member: memberOf(request) });
      } catch (error) {
        const referral = await loadReferral(request.service, referralId).catch(() => undefined);
        return refusal(error, referral ? backToReferral(referral) : backHome(request));
      }
      return redirect(`${BASE}/referrals/${referralId}/local-review/confirmation`);
    },
  },
  {
    method: 'GET',
    path: `${BASE}/referrals/{referralId}/local-review/confirmation`,
    access: teamOnly,
    async handle(request) {
      const found = await referralFor(request);
      if ('result' in found) return found.result;
      const referral = found.context;
      if (!referral.localReviewId) return notFound();
      const review = await request.service.localReviews.getLocalReview(referral.localReviewId);
      if (!review) return notFound();
      return render('prg/confirmation.njk', {
        pageTitle: 'Local review started',
        reference: review.reference,
        referenceName: 'Local review reference',
        text: `We have told the Panel the partnership has commissioned the review. It is due by ${formatDate(review.completionDueOn)}. Record its terms of reference and its reviewer on the review’s page.`,
        back: { href: `/local-reviews/${review.reviewId}`, text: 'Go to the local review' },
      });
    },
  },
];

// ── The strategic lead's approval, by their link ────────────────────────────────────────────

const approvalPages: PrgPage[] = [
  {
    method: 'GET',
    path: `${BASE}/approval/{token}`,
    access: publicAccess,
    async handle(request) {
      let opened: Awaited<ReturnType<typeof openApprovalLink>>;
      try {
        opened = await openApprovalLink(request.service, request.params.token ?? '');
      } catch (error) {
        if (error instanceof NotFoundError) return notFound();
        throw error;
      }
      const { referral, state } = opened;
      return render('prg/approval.njk', {
        pageTitle: `Approve referral ${referral.reference}`,
        state,
        reference: referral.reference,
        agencyName: referral.agencyName,
        kind: referralKindNames[referral.kind],
        summary: referral.summary,
        whyNotNotifiable: referral.whyNotNotifiable,
        criteria: referral.criteria.map((criterion) => prgCriterionNames[criterion]),
        referrerName: referral.referrer.name ?? 'Someone at your agency',
        referredAt: londonDateTime(referral.referredAt),
        expiresAt: londonDateTime(referral.approval.expiresAt),
        action: `${BASE}/approval/${request.params.token ?? ''}/approve`,
      });
    },
  },
  {
    method: 'POST',
    path: `${BASE}/approval/{token}/approve`,
    access: publicAccess,
    async handle(request) {
      const token = request.params.token ?? '';
      try {
        await approveReferral(request.service, { token });
      } catch (error) {
        return refusal(error, { href: `${BASE}/approval/${token}`, text: 'Go back to the referral' });
      }
      return redirect(`${BASE}/approval/${token}/approved`);
    },
  },
  {
    method: 'GET',
    path: `${BASE}/approval/{token}/approved`,
    access: publicAccess,
    async handle(request) {
      let opened: Awaited<ReturnType<typeof openApprovalLink>>;
      try {
        opened = await openApprovalLink(request.service, request.params.token ?? '');
      } catch (error) {
        if (error instanceof NotFoundError) return notFound();
        throw error;
      }
      if (opened.state !== 'approved') return redirect(`${BASE}/approval/${request.params.token ?? ''}`);
      return render('prg/confirmation.njk', {
        pageTitle: 'Referral approved',
        reference: opened.referral.reference,
        text: 'Thank you. The referral goes to the Practice Review Group, who decide what it leads to. The person who made it is told the group’s decision. You can close this page.',
      });
    },
  },
];

/** Every page of the Practice Review Group's function, menu pages first. */
export const prgPages: readonly PrgPage[] = [
  ...listPages,
  ...referPages,
  ...referralPages,
  ...decisionPages,
  ...commissionPages,
  ...approvalPages,
];

/** The homes the service navigation lists (in every staff function's list of pages, `pages/index.ts`). */
export const prgMenuPages: readonly PrgPage[] = listPages;
