import { CaseNotFoundError, type InvalidField } from '../../../shared/errors.ts';
import { expectedProblem } from '../../../shared/http/problem.ts';
import { logWarning } from '../../../shared/log.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import {
  childLabel,
  MAX_HOUSEHOLD_MEMBERS,
  type SeriousIncidentNotification,
  seriousIncidentNotificationOn,
} from '../../../shared/schemas/notification.ts';
import { caseId as caseIdSchema, text } from '../../../shared/schemas/primitives.ts';
import type { StaffRole } from '../../../shared/schemas/roles.ts';
import * as z from '../../../shared/schemas/zod.ts';
import { editNotification, notificationEditRefusal } from '../../../shared/use-cases/edit-notification.ts';
import type { CaseView } from '../../../shared/use-cases/show-case.ts';
import { invalidFields } from '../../../shared/validation.ts';
import { isoDateOf } from '../../../shared/workflow/london-time.ts';
import { formErrors } from '../forms.ts';
import {
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
 * The partnership team corrects the notification's details (issue 10 part 3): one page of the
 * fields most often corrected (each child's name, address and NHS number, the incident's location
 * and summary, the notifier's details, the household members) with the reason, check your
 * answers, confirmation. It runs the API's use case (shared/use-cases/edit-notification.ts): each
 * change is a version of the notification, audited with the fields changed. The dates the
 * timetable was planned from and the agencies are not on this page.
 *
 *   GET  /cases/{caseId}/notification/edit                the questions, from the latest version
 *   POST /cases/{caseId}/notification/edit[/check|/confirm]
 *   GET  /cases/{caseId}/notification/edit/confirmation
 */

const teamOnly = staffOnly('partnership-team');
const PATH = '/cases/{caseId}/notification/edit';

/** Household rows offered beyond those the notification has, up to the cap. */
const SPARE_HOUSEHOLD_ROWS = 2;

/** The case and its notification's latest version. */
interface Editing {
  record: CaseRecord;
  notification: SeriousIncidentNotification;
}

/** The form's answers by field id (`children-0-nhsNumber`, `incident-location`, `reason`). */
type Answers = Record<string, string>;

/** A field id from a use case's path: `notification.children.0.nhsNumber` → `children-0-nhsNumber`. */
const idOf = (path: string) => path.replace(/^notification\./, '').replace(/\./g, '-');

/** The fields the page edits, in the page's order, with their labels. */
function fieldsOf(notification: SeriousIncidentNotification, answers: Answers) {
  const childFields = notification.children.flatMap((child, index) => {
    const who = notification.children.length === 1 ? 'The child' : `Child ${index + 1}`;
    return [
      ...((child.identity ?? 'named') === 'named'
        ? [{ id: `children-${index}-name`, label: `${who}: name`, kind: 'text' as const }]
        : []),
      { id: `children-${index}-address`, label: `${who}: address (optional)`, kind: 'lines' as const },
      { id: `children-${index}-nhsNumber`, label: `${who}: NHS number (optional)`, kind: 'nhs' as const },
    ];
  });
  const shownRows = Math.min(
    MAX_HOUSEHOLD_MEMBERS,
    Math.max(
      (notification.householdMembers?.length ?? 0) + SPARE_HOUSEHOLD_ROWS,
      ...Object.keys(answers).map((id) => Number(/^householdMembers-(\d+)-/.exec(id)?.[1] ?? -1) + 1),
    ),
  );
  const householdFields = Array.from({ length: shownRows }, (_, index) => [
    {
      id: `householdMembers-${index}-name`,
      label: `Household member ${index + 1}: name`,
      kind: 'text' as const,
    },
    {
      id: `householdMembers-${index}-relationship`,
      label: `Household member ${index + 1}: relationship to the child`,
      kind: 'text' as const,
    },
  ]).flat();
  return {
    children: childFields,
    incident: [
      { id: 'incident-location', label: 'Where the incident happened', kind: 'text' as const },
      { id: 'incident-summary', label: 'Summary of the incident (optional)', kind: 'lines' as const },
    ],
    notifier: [
      { id: 'notifier-name', label: 'The notifier’s name', kind: 'text' as const },
      { id: 'notifier-role', label: 'The notifier’s role', kind: 'text' as const },
      { id: 'notifier-email', label: 'The notifier’s email address', kind: 'email' as const },
      { id: 'notifier-phone', label: 'The notifier’s phone number (optional)', kind: 'text' as const },
    ],
    household: householdFields,
  };
}

const allFields = (notification: SeriousIncidentNotification, answers: Answers) => {
  const fields = fieldsOf(notification, answers);
  return [...fields.children, ...fields.incident, ...fields.notifier, ...fields.household];
};

/** The answers the notification holds now: where the questions start. */
function answersOf(notification: SeriousIncidentNotification): Answers {
  const answers: Answers = {
    'incident-location': notification.incident.location,
    'incident-summary': notification.incident.summary ?? '',
    'notifier-name': notification.notifier.name,
    'notifier-role': notification.notifier.role,
    'notifier-email': notification.notifier.email,
    'notifier-phone': notification.notifier.phone ?? '',
    reason: '',
  };
  notification.children.forEach((child, index) => {
    answers[`children-${index}-name`] = child.name ?? '';
    answers[`children-${index}-address`] = child.address ?? '';
    answers[`children-${index}-nhsNumber`] = child.nhsNumber ?? '';
  });
  (notification.householdMembers ?? []).forEach((member, index) => {
    answers[`householdMembers-${index}-name`] = member.name;
    answers[`householdMembers-${index}-relationship`] = member.relationship;
  });
  return answers;
}

/** The notification with the answers in place: what the use case is sent. */
export function notificationFrom(held: SeriousIncidentNotification, answers: Answers): unknown {
  const optional = (value: string | undefined) => (value?.trim() ? value : undefined);
  const children = held.children.map((child, index) => {
    const { address: _address, nhsNumber: _nhsNumber, ...rest } = child;
    const address = optional(answers[`children-${index}-address`]);
    const nhsNumber = optional(answers[`children-${index}-nhsNumber`]);
    return {
      ...rest,
      ...((child.identity ?? 'named') === 'named' ? { name: answers[`children-${index}-name`] ?? '' } : {}),
      ...(address ? { address } : {}),
      ...(nhsNumber ? { nhsNumber } : {}),
    };
  });
  const householdMembers: { name: string; relationship: string }[] = [];
  for (let index = 0; index < MAX_HOUSEHOLD_MEMBERS; index += 1) {
    const name = answers[`householdMembers-${index}-name`] ?? '';
    const relationship = answers[`householdMembers-${index}-relationship`] ?? '';
    if (name.trim() || relationship.trim()) householdMembers.push({ name, relationship });
  }
  const { householdMembers: _held, ...rest } = held;
  const summary = optional(answers['incident-summary']);
  const phone = optional(answers['notifier-phone']);
  const { summary: _summary, ...incident } = held.incident;
  return {
    ...rest,
    incident: { ...incident, location: answers['incident-location'] ?? '', ...(summary ? { summary } : {}) },
    children,
    notifier: {
      name: answers['notifier-name'] ?? '',
      role: answers['notifier-role'] ?? '',
      email: answers['notifier-email'] ?? '',
      ...(phone ? { phone } : {}),
    },
    ...(householdMembers.length > 0 ? { householdMembers } : {}),
  };
}

/** A changed field's path in words, for the confirmation and the case page. */
export function changedFieldInWords(path: string): string {
  const child = /^children\.(\d+)\.(\w+)/.exec(path);
  if (child) {
    const who = `Child ${Number(child[1]) + 1}`;
    const what: Record<string, string> = {
      name: 'name',
      address: 'address',
      nhsNumber: 'NHS number',
      dateOfBirth: 'date of birth',
      ageYears: 'age',
    };
    return `${who}: ${what[child[2] ?? ''] ?? 'details'}`;
  }
  if (path.startsWith('householdMembers')) return 'Household members';
  if (path.startsWith('notifier')) return 'The notifier’s details';
  const named: Record<string, string> = {
    'incident.location': 'Where the incident happened',
    'incident.summary': 'Summary of the incident',
    'incident.panelReference': 'Panel reference',
    'incident.kind': 'What happened',
    'incident.occurredOn': 'Date of the incident',
    notifyingLocalAuthority: 'Notifying local authority',
  };
  return named[path] ?? 'Other details';
}

/** Field paths in words, each once, in order. */
const fieldsInWords = (fields: readonly string[]) => [
  ...new Set(fields.map((path) => changedFieldInWords(path))),
];

/**
 * The case page's "Notification changed" entries (each version: when, by whom, why, what) and,
 * for the partnership team until the review goes to the Panel or ends, the link to change it.
 */
export function notificationChangesInWords(view: CaseView, roles: readonly StaffRole[]) {
  return {
    canEdit: roles.includes('partnership-team') && !notificationEditRefusal(view),
    changes: (view.notificationVersions ?? []).map((version) => ({
      title: `Notification changed (version ${version.version})`,
      rows: [
        { key: { text: 'When' }, value: { text: londonDateTime(version.changedAt) } },
        { key: { text: 'By' }, value: { text: version.changedByName ?? 'The partnership team' } },
        { key: { text: 'Why' }, value: { text: version.reason } },
        { key: { text: 'What changed' }, value: { text: fieldsInWords(version.fields).join('; ') } },
      ],
    })),
  };
}

/** The case and its notification, or the case alone when its notification cannot be read just now. */
async function editingOf(request: WebRequest): Promise<Editing | { record: CaseRecord } | undefined> {
  const caseId = caseIdSchema.safeParse(request.params.caseId);
  if (!caseId.success) return undefined;
  const record = await request.service.cases.getCase(caseId.data).catch((error: unknown) => {
    if (error instanceof CaseNotFoundError) return undefined;
    throw error;
  });
  if (!record) return undefined;
  try {
    const bytes = await request.service.documents.getBytes(record.notificationDocumentKey);
    const notification = JSON.parse(new TextDecoder().decode(bytes)) as SeriousIncidentNotification;
    return { record, notification };
  } catch (error) {
    logWarning('The case notification document could not be read', {
      caseId: record.caseId,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return { record };
  }
}

const pageErrors = (fields: readonly InvalidField[]): InvalidField[] =>
  fields.map(({ field, message }) => {
    const id = idOf(field);
    const known =
      /^(children-\d+-(name|address|nhsNumber)|incident-(location|summary)|notifier-\w+|householdMembers-\d+-\w+|reason)$/;
    return {
      field: known.test(id) ? id : 'reason',
      message: known.test(id)
        ? message
        : `${changedFieldInWords(field.replace(/^notification\./, ''))}: ${message}`,
    };
  });

function question(editing: Editing, answers: Answers, errors?: InvalidField[]): PageResult {
  const { record, notification } = editing;
  const fields = fieldsOf(notification, answers);
  return render(
    'notification-edit/question.njk',
    {
      pageTitle: 'Change the notification’s details',
      record,
      action: `/cases/${record.caseId}/notification/edit/check`,
      childNames: notification.children.map((child, index) =>
        notification.children.length === 1 ? 'The child' : `Child ${index + 1}: ${childLabel(child)}`,
      ),
      childFields: notification.children.map((_, index) =>
        fields.children.filter((field) => field.id.startsWith(`children-${index}-`)),
      ),
      fields,
      answers,
      ...(errors?.length ? { errors: formErrors(errors, (field) => field) } : {}),
    },
    errors?.length ? 400 : 200,
  );
}

const reasonSchema = z.object({ reason: text(4000, { multiline: true }) });

/** The notification edit's pages: the questions, check your answers, the confirmation. */
export const editNotificationPages: Page[] = [
  ...questionFlowPages<Editing, Answers>({
    path: PATH,
    access: teamOnly,
    async load(request) {
      const editing = await editingOf(request);
      if (!editing) return { result: notFound() };
      const refused = notificationEditRefusal(editing.record);
      if (!refused && !('notification' in editing)) {
        return {
          result: problemPage(editing.record.caseId, {
            status: 503,
            title: 'The notification cannot be read just now',
            detail: 'Try again later. Nothing has been changed.',
          }),
        };
      }
      if (!refused && 'notification' in editing) return { context: editing };
      return {
        result: problemPage(editing.record.caseId, {
          status: (refused && expectedProblem(refused)?.status) ?? 409,
          title: 'You cannot change this notification',
          detail: refused?.message ?? '',
        }),
      };
    },
    // The questions post `reason` always: a form without it is the first visit.
    answersFrom: (form) => (form.has('reason') ? Object.fromEntries(form) : {}),
    question: (_request, editing, answers, errors) =>
      question(editing, 'reason' in answers ? answers : answersOf(editing.notification), errors),
    check(request, editing, answers) {
      const today = isoDateOf(request.service.clock.now(), 'Europe/London');
      const notification = seriousIncidentNotificationOn(today, { earlier: editing.notification }).safeParse(
        notificationFrom(editing.notification, answers),
      );
      const reason = reasonSchema.safeParse({ reason: answers.reason ?? '' });
      const errors = [
        ...(notification.success
          ? []
          : invalidFields(notification.error).map((issue) => ({
              ...issue,
              field: `notification.${issue.field}`,
            }))),
        ...(reason.success ? [] : invalidFields(reason.error)),
      ];
      if (errors.length > 0) return question(editing, answers, pageErrors(errors));
      const rows = allFields(editing.notification, answers)
        .filter((field) => !field.id.startsWith('householdMembers') || (answers[field.id] ?? '').trim())
        .map((field) => ({ field: field.id, label: field.label, value: answers[field.id] ?? '' }));
      return render('steer/check.njk', {
        pageTitle: 'Check the notification’s details before you save them',
        record: editing.record,
        flowPath: `/cases/${editing.record.caseId}/notification/edit`,
        rows: [...rows, { field: 'reason', label: 'Reason', value: answers.reason ?? '' }],
        answers: { requestKey: '' },
        doing: {
          heading: 'Now save the changes',
          text: 'The notification is kept as a new version; the earlier versions are kept. The timetable does not change.',
          button: 'Save the changes',
        },
      });
    },
    async confirm(request, editing, answers) {
      try {
        const edit = await editNotification(request.service, {
          caseId: editing.record.caseId,
          answer: { notification: notificationFrom(editing.notification, answers), reason: answers.reason },
          member: request.user ?? { id: '', roles: [] },
        });
        if (!edit.changed) {
          const first = allFields(editing.notification, answers)[0]?.id ?? 'reason';
          return question(editing, answers, [
            { field: first, message: 'Nothing has changed: change a detail, or go back to the case' },
          ]);
        }
        return redirect(`/cases/${editing.record.caseId}/notification/edit/confirmation`);
      } catch (error) {
        return refusalPage(error, editing.record.caseId, (fields) =>
          question(editing, answers, pageErrors(fields)),
        );
      }
    },
  }),
  {
    method: 'GET',
    path: `${PATH}/confirmation`,
    access: teamOnly,
    async handle(request) {
      const caseId = caseIdSchema.safeParse(request.params.caseId);
      if (!caseId.success) return notFound();
      const record = await request.service.cases.getCase(caseId.data);
      if (!record) return notFound();
      const latest = record.notificationVersions?.at(-1);
      if (!latest) return redirect(`/cases/${record.caseId}/notification/edit`);
      return render('steer/confirmation.njk', {
        pageTitle: 'Notification changed',
        record,
        paragraphs: [
          `Version ${latest.version} of the notification is saved. The earlier versions are kept.`,
          `What changed: ${fieldsInWords(latest.fields).join('; ')}.`,
          'The timetable has not changed. The reason is kept in the case’s audit trail.',
        ],
      });
    },
  },
];
