import { randomUUID } from 'node:crypto';
import { CaseNotFoundError, type InvalidField } from '../../../shared/errors.ts';
import { expectedProblem } from '../../../shared/http/problem.ts';
import {
  type AgencyRequest,
  addAgencyAnswers,
  type CaseRecord,
  replaceContactAnswers,
  steerReason,
} from '../../../shared/schemas/case.ts';
import { agencyId as agencyIdSchema, caseId as caseIdSchema } from '../../../shared/schemas/primitives.ts';
import type * as z from '../../../shared/schemas/zod.ts';
import { partnershipDirectory } from '../../../shared/use-cases/partnership-directory.ts';
import {
  addAgency,
  agenciesRefusal,
  agencyRefusal,
  removeAgency,
  replaceAgencyContact,
  resendAgencyLink,
  withdrawalRefusal,
  withdrawCase,
} from '../../../shared/use-cases/steer-agencies.ts';
import { invalidFields } from '../../../shared/validation.ts';
import { formErrors } from '../forms.ts';
import {
  memberOf,
  notFound,
  type Page,
  type PageResult,
  redirect,
  render,
  staffOnly,
  type WebRequest,
} from '../page.ts';
import { problemPage, questionFlowPages, refusalPage } from '../question-flow.ts';
import { londonDateTime } from './london.ts';

/**
 * The partnership team steers the case (issue 10 part 3): adds an agency, replaces an agency's
 * contact, resends its link, removes it, and withdraws the case. Each is a question page with the
 * reason, a check-your-answers page and a confirmation (post/redirect/get), running the same use
 * cases as the API (shared/use-cases/steer-agencies.ts); the answers travel in the forms.
 *
 *   /cases/{caseId}/add-agency                              add an agency, asked at once
 *   /cases/{caseId}/agencies/{agencyId}/contact             replace its single point of contact
 *   /cases/{caseId}/agencies/{agencyId}/resend              send its contact a new link
 *   /cases/{caseId}/agencies/{agencyId}/remove              remove it from the review
 *   /cases/{caseId}/withdraw                                withdraw the review
 *   …each with POST {path}, POST {path}/check, POST {path}/confirm and GET {path}/confirmation
 *   (an agency added: GET /cases/{caseId}/add-agency/{agencyId}/confirmation).
 */

const teamOnly = staffOnly('partnership-team');

/** The case, and the agency when the page is about one. */
interface Steered {
  record: CaseRecord;
  agency?: AgencyRequest;
  /** The agencies already asked on the case. */
  agencies: AgencyRequest[];
  /** Adding an agency: the partnership directory's agencies not yet on the case, to pick from. */
  picks?: DirectoryPick[];
}

/** An agency of the partnership directory offered on "Add an agency". */
interface DirectoryPick {
  agencyId: string;
  name: string;
  contact?: { name: string; email: string };
}

/** The form's field names; the check page carries them as hidden fields. */
type FieldName = 'name' | 'spocName' | 'spocEmail' | 'reason' | 'requestKey';
type Answers = Record<FieldName, string>;

const answersFrom = (form: URLSearchParams): Answers => ({
  name: form.get('name') ?? '',
  spocName: form.get('spocName') ?? '',
  spocEmail: form.get('spocEmail') ?? '',
  reason: form.get('reason') ?? '',
  requestKey: form.get('requestKey') ?? '',
});

/** What each field is called on the page, and its id (the use case's field path → the form's). */
const fieldWords: Record<Exclude<FieldName, 'requestKey'>, { label: string; enter: string; path: string }> = {
  name: { label: 'The agency’s name', enter: 'the agency’s name', path: 'name' },
  spocName: { label: 'The contact’s name', enter: 'the contact’s name', path: 'spoc.name' },
  spocEmail: {
    label: 'The contact’s email address',
    enter: 'the contact’s email address',
    path: 'spoc.email',
  },
  reason: { label: 'The reason', enter: 'the reason', path: 'reason' },
};
const idOf = (path: string): string =>
  (Object.entries(fieldWords).find(([, words]) => words.path === path)?.[0] as string | undefined) ?? path;

/** The page's words for a field the answers' schema refused. */
function pageMessage(path: string, message: string): string {
  const words = fieldWords[idOf(path) as keyof typeof fieldWords];
  if (!words) return message;
  if (/characters or fewer/.test(message)) return `${words.label} ${message.replace(/^.*?(must be)/, '$1')}`;
  if (/control characters|line break/i.test(message))
    return `${words.label} must not contain control characters`;
  if (path === 'spoc.email' && !/^Enter (the|an) /.test(message)) return message;
  return /^Enter /.test(message) || message === 'Required' ? `Enter ${words.enter}` : message;
}

const pageErrors = (fields: readonly InvalidField[]): InvalidField[] =>
  fields.map(({ field, message }) => ({ field: idOf(field), message: pageMessage(field, message) }));

/** One of the five controls: what it asks, how it reads, and what it runs. */
interface Control {
  /** The flow's path under the case, with `{agencyId}` when it is about one agency. */
  path: string;
  fields: Exclude<FieldName, 'requestKey'>[];
  /** The answers as the use case takes them. */
  body(answers: Answers): unknown;
  schema: z.ZodMiniType;
  /** The directory's agencies to offer, when the control adds one. */
  picks?(request: WebRequest, steered: Steered): Promise<DirectoryPick[]>;
  refusal(steered: Steered, now: Date): Error | undefined;
  refusedTitle: string;
  title(steered: Steered): string;
  intro(steered: Steered): string[];
  reasonLabel: string;
  checkTitle: string;
  doing: { heading: string; text: string; button: string; warning?: string };
  /** Runs the use case; answers where the confirmation is. */
  confirm(request: WebRequest, steered: Steered, answers: Answers): Promise<string>;
}

const base = (steered: Steered) => `/cases/${steered.record.caseId}`;
const agencyBase = (steered: Steered) => `${base(steered)}/agencies/${steered.agency?.agencyId}`;
const contactBody = (answers: Answers) => ({ name: answers.spocName, email: answers.spocEmail });

const controls: Control[] = [
  {
    path: '/cases/{caseId}/add-agency',
    fields: ['name', 'spocName', 'spocEmail', 'reason'],
    body: (answers) => ({ name: answers.name, spoc: contactBody(answers), reason: answers.reason }),
    schema: addAgencyAnswers,
    async picks(request, { agencies }) {
      const onCase = new Set(agencies.map((agency) => agency.agencyName.trim().toLowerCase()));
      const { entries } = await partnershipDirectory(request.service);
      return entries
        .filter((entry) => !onCase.has(entry.name.trim().toLowerCase()))
        .map(({ agencyId, name, contact }) => ({ agencyId, name, ...(contact ? { contact } : {}) }));
    },
    refusal: ({ record }, now) => agenciesRefusal(record, now),
    refusedTitle: 'You cannot add an agency to this review',
    title: () => 'Add an agency',
    intro: () => [
      'The agency is asked for its summary at once. Its contact is emailed a link, and it is due by the same deadline as the other agencies. It is reminded and escalated with them.',
    ],
    reasonLabel: 'Why are you adding this agency?',
    checkTitle: 'Check the agency before you add it',
    doing: {
      heading: 'Now add the agency',
      text: 'Its contact is emailed a link to return the agency’s summary.',
      button: 'Add the agency and send the request',
    },
    async confirm(request, { record }, answers) {
      const agency = await addAgency(request.service, {
        caseId: record.caseId,
        answer: this.body(answers),
        member: memberOf(request),
      });
      return `/cases/${record.caseId}/add-agency/${agency.agencyId}/confirmation`;
    },
  },
  {
    path: '/cases/{caseId}/agencies/{agencyId}/contact',
    fields: ['spocName', 'spocEmail', 'reason'],
    body: (answers) => ({ spoc: contactBody(answers), reason: answers.reason }),
    schema: replaceContactAnswers,
    refusal: ({ record, agency }, now) =>
      agencyRefusal(record, agency as AgencyRequest, now, 'replace-contact'),
    refusedTitle: 'You cannot replace this contact',
    title: ({ agency }) => `Replace the contact for ${agency?.agencyName}`,
    intro: ({ agency }) => [
      `The contact now is ${agency?.spoc.name}. The link they were sent stops working at once, and the new contact is emailed a new one.`,
    ],
    reasonLabel: 'Why are you replacing the contact?',
    checkTitle: 'Check the new contact before you replace the old one',
    doing: {
      heading: 'Now replace the contact',
      text: 'The old link stops working at once. The new contact is emailed a new link.',
      button: 'Replace the contact',
    },
    async confirm(request, steered, answers) {
      await replaceAgencyContact(request.service, {
        caseId: steered.record.caseId,
        agencyId: steered.agency?.agencyId ?? '',
        answer: this.body(answers),
        member: memberOf(request),
        ...(answers.requestKey ? { requestKey: answers.requestKey } : {}),
      });
      return `${agencyBase(steered)}/contact/confirmation`;
    },
  },
  {
    path: '/cases/{caseId}/agencies/{agencyId}/resend',
    fields: ['reason'],
    body: (answers) => ({ reason: answers.reason }),
    schema: steerReason,
    refusal: ({ record, agency }, now) => agencyRefusal(record, agency as AgencyRequest, now, 'resend-link'),
    refusedTitle: 'You cannot resend this link',
    title: ({ agency }) => `Resend the link to ${agency?.agencyName}`,
    intro: ({ agency }) => [
      `${agency?.spoc.name} is emailed a new link. The link they were sent before stops working at once.`,
    ],
    reasonLabel: 'Why are you resending the link?',
    checkTitle: 'Check before you resend the link',
    doing: {
      heading: 'Now resend the link',
      text: 'The old link stops working at once.',
      button: 'Resend the link',
    },
    async confirm(request, steered, answers) {
      await resendAgencyLink(request.service, {
        caseId: steered.record.caseId,
        agencyId: steered.agency?.agencyId ?? '',
        answer: this.body(answers),
        member: memberOf(request),
        ...(answers.requestKey ? { requestKey: answers.requestKey } : {}),
      });
      return `${agencyBase(steered)}/resend/confirmation`;
    },
  },
  {
    path: '/cases/{caseId}/agencies/{agencyId}/remove',
    fields: ['reason'],
    body: (answers) => ({ reason: answers.reason }),
    schema: steerReason,
    refusal: ({ record, agency }, now) => agencyRefusal(record, agency as AgencyRequest, now, 'remove'),
    refusedTitle: 'You cannot remove this agency',
    title: ({ agency }) => `Remove ${agency?.agencyName} from the review`,
    intro: () => [
      'Its link stops working at once and it is not chased again. The collated report shows it as removed, not missing.',
    ],
    reasonLabel: 'Why are you removing this agency?',
    checkTitle: 'Check before you remove the agency',
    doing: {
      heading: 'Now remove the agency',
      text: 'Its link stops working at once and it is not chased again.',
      button: 'Remove the agency',
      warning: 'This cannot be undone.',
    },
    async confirm(request, steered, answers) {
      await removeAgency(request.service, {
        caseId: steered.record.caseId,
        agencyId: steered.agency?.agencyId ?? '',
        answer: this.body(answers),
        member: memberOf(request),
      });
      return `${agencyBase(steered)}/remove/confirmation`;
    },
  },
  {
    path: '/cases/{caseId}/withdraw',
    fields: ['reason'],
    body: (answers) => ({ reason: answers.reason }),
    schema: steerReason,
    refusal: ({ record }) => withdrawalRefusal(record),
    refusedTitle: 'You cannot withdraw this review',
    title: () => 'Withdraw this review',
    intro: () => [
      'Withdraw the review when it should not go ahead, for example when the criteria for a Rapid Review turn out not to be met.',
      'Every agency link stops working at once. Agencies still asked for a summary, the Rapid Review Group and the notifier are emailed that the review is withdrawn. The email does not give the reason.',
    ],
    reasonLabel: 'Why are you withdrawing the review?',
    checkTitle: 'Check before you withdraw the review',
    doing: {
      heading: 'Now withdraw the review',
      text: 'Every agency link stops working at once and the review stops.',
      button: 'Withdraw the review',
      warning: 'This cannot be undone.',
    },
    async confirm(request, { record }, answers) {
      await withdrawCase(request.service, {
        caseId: record.caseId,
        answer: this.body(answers),
        member: memberOf(request),
      });
      return `/cases/${record.caseId}/withdraw/confirmation`;
    },
  },
];

/** The case (and agency) a page is about, or not found. */
async function steeredOf(request: WebRequest): Promise<Steered | undefined> {
  const caseId = caseIdSchema.safeParse(request.params.caseId);
  if (!caseId.success) return undefined;
  const file = await request.service.cases.getCaseWithAgencies(caseId.data).catch((error: unknown) => {
    if (error instanceof CaseNotFoundError) return undefined;
    throw error;
  });
  if (!file) return undefined;
  if (request.params.agencyId === undefined) return { record: file.case, agencies: file.agencies };
  const agencyId = agencyIdSchema.safeParse(request.params.agencyId);
  const agency = agencyId.success
    ? file.agencies.find((candidate) => candidate.agencyId === agencyId.data)
    : undefined;
  return agency ? { record: file.case, agency, agencies: file.agencies } : undefined;
}

/**
 * The answers, filled from the directory when the team followed an agency's link on "Add an
 * agency" (`?from={agencyId}`, on the first visit only: answers given are never overwritten).
 */
function pickedAnswers(request: WebRequest, steered: Steered, answers: Answers): Answers {
  const from = request.method === 'GET' ? request.query.get('from') : null;
  const pick = from ? steered.picks?.find((candidate) => candidate.agencyId === from) : undefined;
  if (!pick) return answers;
  return {
    ...answers,
    name: pick.name,
    spocName: pick.contact?.name ?? '',
    spocEmail: pick.contact?.email ?? '',
  };
}

function question(control: Control, steered: Steered, answers: Answers, errors?: InvalidField[]): PageResult {
  return render(
    'steer/question.njk',
    {
      pageTitle: control.title(steered),
      record: steered.record,
      action: `${flowPathOf(control, steered)}/check`,
      intro: control.intro(steered),
      fields: control.fields.map((field) => ({ field, ...fieldWords[field] })),
      reasonLabel: control.reasonLabel,
      answers,
      ...(steered.picks?.length
        ? {
            picks: steered.picks.map((pick) => ({
              ...pick,
              href: `${flowPathOf(control, steered)}?from=${encodeURIComponent(pick.agencyId)}`,
              picked: pick.name === answers.name,
            })),
          }
        : {}),
      ...(errors?.length ? { errors: formErrors(errors) } : {}),
    },
    errors?.length ? 400 : 200,
  );
}

const flowPathOf = (control: Control, steered: Steered) =>
  control.path
    .replace('{caseId}', steered.record.caseId)
    .replace('{agencyId}', steered.agency?.agencyId ?? '');

function flowOf(control: Control): Page[] {
  return questionFlowPages<Steered, Answers>({
    path: control.path,
    access: teamOnly,
    async load(request) {
      const steered = await steeredOf(request);
      if (!steered) return { result: notFound() };
      const refused = control.refusal(steered, request.service.clock.now());
      if (!refused) {
        if (control.picks) steered.picks = await control.picks(request, steered);
        return { context: steered };
      }
      return {
        result: problemPage(steered.record.caseId, {
          status: expectedProblem(refused)?.status ?? 409,
          title: control.refusedTitle,
          detail: refused.message,
        }),
      };
    },
    answersFrom,
    question: (request, steered, answers, errors) =>
      question(control, steered, pickedAnswers(request, steered, answers), errors),
    check(_request, steered, answers) {
      const parsed = control.schema.safeParse(control.body(answers));
      if (!parsed.success) {
        // In the order of the page, as the error summary lists them.
        const order = (field: string) => control.fields.indexOf(field as (typeof control.fields)[number]);
        const errors = pageErrors(invalidFields(parsed.error)).sort(
          (a, b) => order(a.field) - order(b.field),
        );
        return question(control, steered, answers, errors);
      }
      return render('steer/check.njk', {
        pageTitle: control.checkTitle,
        record: steered.record,
        flowPath: flowPathOf(control, steered),
        rows: control.fields.map((field) => ({
          field,
          label: field === 'reason' ? 'Reason' : fieldWords[field].label,
          value: answers[field],
        })),
        // One key per check page: a double click, or the same form sent twice, sends one email.
        answers: { ...answers, requestKey: answers.requestKey || randomUUID() },
        doing: control.doing,
      });
    },
    async confirm(request, steered, answers) {
      try {
        return redirect(await control.confirm(request, steered, answers));
      } catch (error) {
        return refusalPage(error, steered.record.caseId, (fields) =>
          question(control, steered, answers, pageErrors(fields)),
        );
      }
    },
  });
}

/** The confirmations: each reads what was saved, and sends the person back to the questions when nothing was. */
const confirmations: Page[] = [
  {
    method: 'GET',
    path: '/cases/{caseId}/add-agency/{agencyId}/confirmation',
    access: teamOnly,
    async handle(request) {
      const steered = await steeredOf(request);
      if (!steered?.agency) return notFound();
      const { agency } = steered;
      return confirmation(steered.record, 'Agency added', [
        `${agency.agencyName} is added to the review. ${agency.spoc.name} has been emailed a link to return its summary.`,
        'It is reminded and escalated with the other agencies. The reason is kept in the case’s audit trail.',
      ]);
    },
  },
  ...(['contact', 'resend'] as const).map(
    (kind): Page => ({
      method: 'GET',
      path: `/cases/{caseId}/agencies/{agencyId}/${kind}/confirmation`,
      access: teamOnly,
      async handle(request) {
        const steered = await steeredOf(request);
        if (!steered?.agency) return notFound();
        const { agency } = steered;
        return kind === 'contact'
          ? confirmation(steered.record, 'Contact replaced', [
              `${agency.spoc.name} is now the contact for ${agency.agencyName}, and has been emailed a new link. The old link no longer works.`,
              'The reason is kept in the case’s audit trail.',
            ])
          : confirmation(steered.record, 'New link sent', [
              `${agency.spoc.name} has been emailed a new link for ${agency.agencyName}. The old link no longer works.`,
              'The reason is kept in the case’s audit trail.',
            ]);
      },
    }),
  ),
  {
    method: 'GET',
    path: '/cases/{caseId}/agencies/{agencyId}/remove/confirmation',
    access: teamOnly,
    async handle(request) {
      const steered = await steeredOf(request);
      if (!steered?.agency) return notFound();
      const { agency, record } = steered;
      if (!agency.removal) return redirect(`${agencyBase(steered)}/remove`);
      return confirmation(record, 'Agency removed', [
        `${agency.agencyName} was removed from the review at ${londonDateTime(agency.removal.removedAt)}. Its link no longer works and it will not be chased.`,
        'The reason is kept with the case and in its audit trail.',
      ]);
    },
  },
  {
    method: 'GET',
    path: '/cases/{caseId}/withdraw/confirmation',
    access: teamOnly,
    async handle(request) {
      const steered = await steeredOf(request);
      if (!steered) return notFound();
      const { record } = steered;
      if (!record.withdrawal) return redirect(`/cases/${record.caseId}/withdraw`);
      return confirmation(record, 'Review withdrawn', [
        `You withdrew the review at ${londonDateTime(record.withdrawal.withdrawnAt)}. Every agency link has stopped working, and the review has stopped.`,
        'Agencies still asked for a summary, the Rapid Review Group and the notifier have been emailed that the review is withdrawn.',
        'The reason is kept with the case and in its audit trail.',
      ]);
    },
  },
];

function confirmation(record: CaseRecord, title: string, paragraphs: string[]): PageResult {
  return render('steer/confirmation.njk', { pageTitle: title, record, paragraphs });
}

/** The partnership team's controls on the case's agencies and the withdrawal, every page. */
export const steerAgencyPages: Page[] = [...controls.flatMap(flowOf), ...confirmations];
