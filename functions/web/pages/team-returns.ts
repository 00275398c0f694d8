import { randomUUID } from 'node:crypto';
import { CaseNotFoundError, type InvalidField, InvalidInputError } from '../../../shared/errors.ts';
import { expectedProblem } from '../../../shared/http/problem.ts';
import { logWarning } from '../../../shared/log.ts';
import type { AgencyRequest, CaseRecord } from '../../../shared/schemas/case.ts';
import { agencyId as agencyIdSchema, caseId as caseIdSchema } from '../../../shared/schemas/primitives.ts';
import {
  checkedUpload,
  STAFF_UPLOAD_MAX_BYTES,
  type StaffUpload,
} from '../../../shared/use-cases/rrg-meeting.ts';
import {
  acceptLateReturn,
  LATE_RETURN_ACTION,
  lateReturnRefusal,
  onBehalfRefusal,
  returnOnBehalf,
  teamReturnInput,
} from '../../../shared/use-cases/team-returns.ts';
import { invalidFields } from '../../../shared/validation.ts';
import { formatDate } from '../../../shared/workflow/london-time.ts';
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
 * The partnership team makes an agency's return (issue 10 part 3): on its behalf while the
 * summaries are gathered, or a late one after collation (an addendum to the papers). One compact
 * question page (the structured return's questions, as the agency's own pages ask them, with up to
 * three key practice episodes, and the reason), check your answers, confirmation; the answers
 * travel in the forms and run the same use cases as the API (shared/use-cases/team-returns.ts).
 *
 *   /cases/{caseId}/agencies/{agencyId}/return         on the agency's behalf, before collation
 *   /cases/{caseId}/agencies/{agencyId}/late-return    a late return, after collation
 *   …each with POST {path}, POST {path}/check, POST {path}/confirm and GET {path}/confirmation.
 */

const teamOnly = staffOnly('partnership-team');
const EPISODES = 3;

interface Steered {
  record: CaseRecord;
  agency: AgencyRequest;
}

const textFields = [
  'rolesInvolved',
  'summary',
  'immediateActions',
  'earlyLearning',
  'protectedCharacteristics',
] as const;
const dateFields = ['involvedFrom', 'involvedTo'] as const;

/** Every form field's name: the check page carries them all as hidden fields. */
const formNames: string[] = [
  'kind',
  ...dateFields.flatMap((field) => ['Day', 'Month', 'Year'].map((part) => `${field}${part}`)),
  ...textFields,
  ...Array.from({ length: EPISODES }, (_, index) => [
    ...['Day', 'Month', 'Year'].map((part) => `episode${index + 1}Date${part}`),
    `episode${index + 1}WhatHappened`,
    `episode${index + 1}DecidedAndWhy`,
  ]).flat(),
  'reason',
  'requestKey',
  // The agency's summary the team uploaded: filed aside on the check page, its name shown there.
  'fileName',
  'fileKind',
];
type Answers = Record<string, string>;

const answersFrom = (form: URLSearchParams): Answers =>
  Object.fromEntries(formNames.map((name) => [name, form.get(name) ?? '']));

const labels: Record<string, string> = {
  kind: 'Involvement',
  involvedFrom: 'Involved from',
  involvedTo: 'Involved until',
  rolesInvolved: 'Roles involved',
  summary: 'Summary of involvement',
  immediateActions: 'Immediate actions',
  earlyLearning: 'Early learning',
  protectedCharacteristics: 'Protected characteristics',
  reason: 'Reason',
};

/** A date from its day, month and year boxes, as the schema takes it (`YYYY-MM-DD`); the boxes as typed when incomplete. */
function dateOf(answers: Answers, prefix: string): string | undefined {
  const [day, month, year] = ['Day', 'Month', 'Year'].map((part) =>
    (answers[`${prefix}${part}`] ?? '').trim(),
  );
  if (!day && !month && !year) return undefined;
  return `${year}-${(month ?? '').padStart(2, '0')}-${(day ?? '').padStart(2, '0')}`;
}

const episodeGiven = (answers: Answers, number: number) =>
  [`episode${number}WhatHappened`, `episode${number}DecidedAndWhy`].some((name) => answers[name]?.trim()) ||
  dateOf(answers, `episode${number}Date`) !== undefined;

/** The answers as the use case takes them: none when a file is uploaded and no kind chosen. */
function bodyOf(answers: Answers): unknown {
  const kind = answers.kind;
  if (!kind && answers.fileName) return { reason: answers.reason };
  if (kind === 'no-involvement') {
    return { answers: { kind, confirmed: true }, reason: answers.reason };
  }
  const involvedTo = dateOf(answers, 'involvedTo');
  const protectedCharacteristics = answers.protectedCharacteristics?.trim();
  return {
    answers: {
      kind: kind || undefined,
      involvedFrom: dateOf(answers, 'involvedFrom') ?? '',
      ...(involvedTo ? { involvedTo } : {}),
      rolesInvolved: answers.rolesInvolved,
      summary: answers.summary,
      // Episode 1 is asked for always; the others only when something of them is given.
      episodes: Array.from({ length: EPISODES }, (_, index) => index + 1)
        .filter((number) => number === 1 || episodeGiven(answers, number))
        .map((number) => ({
          date: dateOf(answers, `episode${number}Date`) ?? '',
          whatHappened: answers[`episode${number}WhatHappened`],
          decidedAndWhy: answers[`episode${number}DecidedAndWhy`],
        })),
      immediateActions: answers.immediateActions,
      earlyLearning: answers.earlyLearning,
      ...(protectedCharacteristics ? { protectedCharacteristics } : {}),
    },
    reason: answers.reason,
  };
}

/** `answers.episodes.0.whatHappened` → the form's `episode1WhatHappened`; `answers.involvedFrom` → `involvedFromDay`. */
function formFieldOf(path: string): string {
  const episode = /^answers\.episodes(?:\.(\d+)\.?(\w+)?)?$/.exec(path);
  if (episode) {
    const number = Number(episode[1] ?? 0) + 1;
    const field = episode[2] ?? 'whatHappened';
    return field === 'date'
      ? `episode${number}DateDay`
      : `episode${number}${field.charAt(0).toUpperCase()}${field.slice(1)}`;
  }
  const field = path.replace(/^answers\./, '');
  return (dateFields as readonly string[]).includes(field) ? `${field}Day` : field;
}

function labelOf(formField: string): string {
  const episode = /^episode(\d)(Date|WhatHappened|DecidedAndWhy)/.exec(formField);
  if (episode) {
    const what = { Date: 'date', WhatHappened: 'what happened', DecidedAndWhy: 'what was decided, and why' }[
      episode[2] as 'Date'
    ];
    return `Key practice episode ${episode[1]}: ${what}`;
  }
  return labels[formField.replace(/Day$/, '')] ?? formField;
}

/** The page's words for each field the schema refused, in the order of the page. */
function pageErrors(fields: readonly InvalidField[]): InvalidField[] {
  const seen = new Set<string>();
  return (
    fields
      .map(({ field, message }) => {
        const id = formFieldOf(field);
        const label = labelOf(id);
        if (field === 'answers' || field === 'answers.kind') {
          return {
            field: 'kind',
            message: 'Select whether the agency had any involvement, or upload its summary',
          };
        }
        if (field === 'file' || field.startsWith('file.')) return { field: 'file', message };
        if (/characters or fewer/.test(message))
          return { field: id, message: `${label} ${message.replace(/^.*?(must be)/, '$1')}` };
        if (/control characters|line break/i.test(message))
          return { field: id, message: `${label} must not contain control characters` };
        if (id.endsWith('Day')) return { field: id, message: `${label} must be a real date` };
        if (field === 'answers.episodes') return { field: id, message };
        return { field: id, message: `Enter ${label.charAt(0).toLowerCase()}${label.slice(1)}` };
      })
      .filter((error) => {
        if (seen.has(error.field)) return false;
        seen.add(error.field);
        return true;
      })
      // The file input comes first on the page.
      .sort((a, b) => formNames.indexOf(a.field) - formNames.indexOf(b.field))
  );
}

/** What differs between the two flows. */
interface Flow {
  kind: 'return' | 'late-return';
  refusal(steered: Steered, now: Date): Error | undefined;
  refusedTitle: string;
  title(agency: AgencyRequest): string;
  intro(agency: AgencyRequest): string[];
  reasonLabel: string;
  doing: { heading: string; text: string; button: string };
  run(request: WebRequest, steered: Steered, body: unknown, upload?: StaffUpload): Promise<unknown>;
}

const flowPathOf = (flow: Flow, { record, agency }: Steered) =>
  `/cases/${record.caseId}/agencies/${agency.agencyId}/${flow.kind}`;

const flows: Flow[] = [
  {
    kind: 'return',
    refusal: ({ record, agency }, now) => onBehalfRefusal(record, agency, now),
    refusedTitle: 'You cannot enter this return',
    title: (agency) => `Enter ${agency.agencyName}'s return on its behalf`,
    intro: () => [
      'Enter the return the agency gave you, for example by phone or email. It is kept as a version of its return, marked as entered by the partnership team, with your name. The agency’s contact is not emailed.',
    ],
    reasonLabel: 'Why are you entering it for the agency?',
    doing: {
      heading: 'Now enter the return',
      text: 'The agency’s return is marked received. The collated report says the partnership team entered it.',
      button: 'Enter the return',
    },
    run: (request, { record, agency }, body, upload) =>
      returnOnBehalf(request.service, {
        caseId: record.caseId,
        agencyId: agency.agencyId,
        answer: body,
        ...(upload ? { upload } : {}),
        member: memberOf(request),
      }),
  },
  {
    kind: 'late-return',
    refusal: ({ record, agency }) => lateReturnRefusal(record, agency),
    refusedTitle: 'You cannot take in a late return now',
    title: (agency) => `Take in a late return from ${agency.agencyName}`,
    intro: () => [
      'The papers have been collated, so this return does not change the collated report. It goes to the Rapid Review Group as an addendum to the papers: a PDF filed with the case documents, and a short email to each member with its link.',
    ],
    reasonLabel: 'Why are you taking it in now?',
    doing: {
      heading: 'Now take in the late return',
      text: 'The addendum is filed with the case, and the Rapid Review Group are each emailed to say it is on the case page.',
      button: 'Take in the return and send the addendum',
    },
    run: (request, { record, agency }, body, upload) =>
      acceptLateReturn(request.service, {
        caseId: record.caseId,
        agencyId: agency.agencyId,
        answer: body,
        ...(upload ? { upload } : {}),
        member: memberOf(request),
      }),
  },
];

async function steeredOf(request: WebRequest): Promise<Steered | undefined> {
  const caseId = caseIdSchema.safeParse(request.params.caseId);
  const agencyId = agencyIdSchema.safeParse(request.params.agencyId);
  if (!caseId.success || !agencyId.success) return undefined;
  const file = await request.service.cases.getCaseWithAgencies(caseId.data).catch((error: unknown) => {
    if (error instanceof CaseNotFoundError) return undefined;
    throw error;
  });
  const agency = file?.agencies.find((candidate) => candidate.agencyId === agencyId.data);
  return file && agency ? { record: file.case, agency } : undefined;
}

function question(flow: Flow, steered: Steered, answers: Answers, errors?: InvalidField[]): PageResult {
  return render(
    'steer/return-question.njk',
    {
      pageTitle: flow.title(steered.agency),
      record: steered.record,
      agencyName: steered.agency.agencyName,
      action: `${flowPathOf(flow, steered)}/check`,
      intro: flow.intro(steered.agency),
      reasonLabel: flow.reasonLabel,
      episodes: Array.from({ length: EPISODES }, (_, index) => index + 1),
      maxMegabytes: STAFF_UPLOAD_MAX_BYTES / (1024 * 1024),
      answers,
      ...(errors?.length ? { errors: formErrors(errors) } : {}),
    },
    errors?.length ? 400 : 200,
  );
}

const dateInWords = (answers: Answers, prefix: string) => {
  const date = dateOf(answers, prefix);
  return date ? formatDate(date, { weekday: false }) : '';
};

/** The check page's rows, each with the field its Change link returns to. */
function checkRows(answers: Answers): { field: string; label: string; value: string }[] {
  const file = answers.fileName
    ? [{ field: 'file', label: 'Uploaded summary', value: answers.fileName }]
    : [];
  return [...file, ...answerRows(answers)];
}

function answerRows(answers: Answers): { field: string; label: string; value: string }[] {
  if (!answers.kind && answers.fileName) {
    return [{ field: 'reason', label: labels.reason as string, value: answers.reason ?? '' }];
  }
  if (answers.kind === 'no-involvement') {
    return [
      { field: 'kind', label: labels.kind as string, value: 'No involvement with this child or family' },
      { field: 'reason', label: labels.reason as string, value: answers.reason ?? '' },
    ];
  }
  const from = dateInWords(answers, 'involvedFrom');
  const to = dateInWords(answers, 'involvedTo');
  return [
    { field: 'kind', label: labels.kind as string, value: 'The agency was involved' },
    {
      field: 'involvedFromDay',
      label: 'Period of involvement',
      value: to ? `From ${from} to ${to}` : `From ${from}, and continuing`,
    },
    ...textFields
      .filter((field) => field !== 'protectedCharacteristics' || answers[field]?.trim())
      .map((field) => ({ field, label: labels[field] as string, value: answers[field] ?? '' })),
    ...Array.from({ length: EPISODES }, (_, index) => index + 1)
      .filter((number) => number === 1 || episodeGiven(answers, number))
      .map((number) => ({
        field: `episode${number}DateDay`,
        label: `Key practice episode ${number}`,
        value: `${dateInWords(answers, `episode${number}Date`)}\nWhat happened: ${answers[`episode${number}WhatHappened`]}\nWhat was decided, and why: ${answers[`episode${number}DecidedAndWhy`]}`,
      })),
    { field: 'reason', label: labels.reason as string, value: answers.reason ?? '' },
  ];
}

const fileKinds = ['pdf', 'docx'] as const;
const validRequestKey = (key: string | undefined) =>
  key && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(key) ? key : undefined;

/** Where the check page files the team's upload aside until it is confirmed. */
const pendingKey = ({ record, agency }: Steered, requestKey: string, kind: string) =>
  `cases/${record.caseId}/agencies/${agency.agencyId}/team-upload-pending-${requestKey}.${kind}`;

/** The upload the check page filed aside, for the use case (which checks its bytes again). */
async function pendingUpload(
  request: WebRequest,
  steered: Steered,
  answers: Answers,
): Promise<StaffUpload | undefined> {
  const requestKey = validRequestKey(answers.requestKey);
  const kind = fileKinds.find((each) => each === answers.fileKind);
  if (!answers.fileName || !requestKey || !kind) return undefined;
  const content = await request.service.documents.getBytes(pendingKey(steered, requestKey, kind));
  return { fileName: answers.fileName, content };
}

/**
 * Once the return is saved, the file set aside for the check page goes: the use case filed its own
 * copy. A failure here is logged and left for the bucket; the return stays saved.
 */
async function discardPendingUpload(request: WebRequest, steered: Steered, answers: Answers): Promise<void> {
  const requestKey = validRequestKey(answers.requestKey);
  const kind = fileKinds.find((each) => each === answers.fileKind);
  if (!answers.fileName || !requestKey || !kind) return;
  try {
    await request.service.documents.deleteEveryVersion(pendingKey(steered, requestKey, kind));
  } catch (error) {
    logWarning('Could not remove a file set aside for a check page', {
      caseId: steered.record.caseId,
      error: (error as Error).name,
    });
  }
}

function flowPages(flow: Flow): Page[] {
  return questionFlowPages<Steered, Answers>({
    path: `/cases/{caseId}/agencies/{agencyId}/${flow.kind}`,
    access: teamOnly,
    async load(request) {
      const steered = await steeredOf(request);
      if (!steered) return { result: notFound() };
      const refused = flow.refusal(steered, request.service.clock.now());
      if (!refused) return { context: steered };
      return {
        result: problemPage(steered.record.caseId, {
          status: expectedProblem(refused)?.status ?? 409,
          title: flow.refusedTitle,
          detail: refused.message,
        }),
      };
    },
    answersFrom,
    question: (_request, steered, answers, errors) => question(flow, steered, answers, errors),
    async check(request, steered, answers) {
      const withKey: Answers = {
        ...answers,
        requestKey: validRequestKey(answers.requestKey) ?? randomUUID(),
      };
      const posted = request.files?.get('file');
      if (posted) {
        let checked: ReturnType<typeof checkedUpload>;
        try {
          checked = checkedUpload(posted);
        } catch (error) {
          if (!(error instanceof InvalidInputError)) throw error;
          return question(flow, steered, withKey, pageErrors(error.fields));
        }
        // Filed aside until the team confirms; the use case files it with the case then.
        await request.service.documents.put(
          pendingKey(steered, withKey.requestKey as string, checked.kind),
          posted.content,
          checked.mediaType,
        );
        withKey.fileName = checked.fileName;
        withKey.fileKind = checked.kind;
      }
      const body = bodyOf(withKey);
      const parsed = teamReturnInput.safeParse(body);
      const errors = parsed.success ? [] : invalidFields(parsed.error);
      if (!withKey.fileName && (body as { answers?: unknown }).answers === undefined) {
        errors.push({ field: 'answers', message: 'Enter the return or upload a file' });
      }
      if (errors.length > 0) return question(flow, steered, withKey, pageErrors(errors));
      return render('steer/return-check.njk', {
        pageTitle: `Check ${steered.agency.agencyName}'s return before you ${flow.kind === 'return' ? 'enter it' : 'take it in'}`,
        record: steered.record,
        flowPath: flowPathOf(flow, steered),
        rows: checkRows(withKey),
        hidden: formNames.map((name) => ({ name, value: withKey[name] ?? '' })),
        doing: flow.doing,
      });
    },
    async confirm(request, steered, answers) {
      try {
        await flow.run(request, steered, bodyOf(answers), await pendingUpload(request, steered, answers));
        await discardPendingUpload(request, steered, answers);
        return redirect(`${flowPathOf(flow, steered)}/confirmation`);
      } catch (error) {
        return refusalPage(error, steered.record.caseId, (fields) =>
          question(flow, steered, answers, pageErrors(fields)),
        );
      }
    },
  });
}

const confirmations: Page[] = [
  {
    method: 'GET',
    path: '/cases/{caseId}/agencies/{agencyId}/return/confirmation',
    access: teamOnly,
    async handle(request) {
      const steered = await steeredOf(request);
      if (!steered) return notFound();
      const latest = steered.agency.returns?.at(-1);
      const uploaded = steered.agency.documentKey?.includes('/team-upload-') ?? false;
      if (latest?.by !== 'partnership-team' && uploaded) {
        return render('steer/confirmation.njk', {
          pageTitle: 'Summary uploaded',
          record: steered.record,
          paragraphs: [
            `You uploaded ${steered.agency.agencyName}'s summary for it. Its return is marked received${steered.agency.late ? ', after the deadline' : ''}, and the summary is filed with the case’s documents, marked as uploaded by the partnership team.`,
            'The agency’s contact has not been emailed. The reason is kept in the case’s audit trail.',
          ],
        });
      }
      if (latest?.by !== 'partnership-team') return redirect(`${flowPathOf(flows[0] as Flow, steered)}`);
      return render('steer/confirmation.njk', {
        pageTitle: 'Return entered',
        record: steered.record,
        paragraphs: [
          `You entered ${steered.agency.agencyName}'s return on its behalf at ${londonDateTime(latest.submittedAt)}${steered.agency.late ? ', after the deadline' : ''}. It is marked as entered by the partnership team.`,
          'The agency’s contact has not been emailed. The reason is kept in the case’s audit trail.',
        ],
      });
    },
  },
  {
    method: 'GET',
    path: '/cases/{caseId}/agencies/{agencyId}/late-return/confirmation',
    access: teamOnly,
    async handle(request) {
      const steered = await steeredOf(request);
      if (!steered) return notFound();
      const { audit } = await request.service.cases.getCaseFile(steered.record.caseId);
      const taken = [...audit]
        .reverse()
        .find(
          (event) =>
            event.action === LATE_RETURN_ACTION && event.details?.agencyId === steered.agency.agencyId,
        );
      if (!taken) return redirect(flowPathOf(flows[1] as Flow, steered));
      return render('steer/confirmation.njk', {
        pageTitle: 'Late return taken in',
        record: steered.record,
        paragraphs: [
          `You took in ${steered.agency.agencyName}'s late return at ${londonDateTime(taken.at)}.`,
          `It went to the Rapid Review Group as addendum ${String(taken.details?.addendum)} to the papers. Each member has been emailed to say it is on the case page, where it is listed with the case’s documents.`,
          'The reason is kept in the case’s audit trail.',
        ],
      });
    },
  },
];

/** The team's pages for an agency's return: on its behalf, and late after collation. */
export const teamReturnPages: Page[] = [...flows.flatMap(flowPages), ...confirmations];
