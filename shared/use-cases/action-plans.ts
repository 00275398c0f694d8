import { randomUUID } from 'node:crypto';
import { hashAgencyToken, looksLikeAgencyToken, mintAgencyToken } from '../agency-links.ts';
import { CalendarDate } from '../calendar/dates.ts';
import {
  actionReminderLadder,
  learningThemeName,
  learningThemes,
  rulesOf,
} from '../config/partnership-profile.ts';
import { renderPdf } from '../documents/pdf.ts';
import {
  ConflictError,
  DuplicateWriteError,
  type InvalidField,
  InvalidInputError,
  NotFoundError,
  RefusedError,
} from '../errors.ts';
import {
  type ActionFilter,
  type ActionStatus,
  actionAnswers,
  actionStatus,
  actionStatusNames,
  type LearningAction,
  openActionStatuses,
  type ReviewKind,
} from '../schemas/learning.ts';
import { agencyId, isoDate, text } from '../schemas/primitives.ts';
import type { Actor } from '../schemas/roles.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import { invalidFields } from '../validation.ts';
import { formatDate, formatInstant, isoDateOf } from '../workflow/london-time.ts';
import { reviewSummary } from './learning.ts';

/** The ports the action plan use cases read and write. */
export type ActionService = Pick<
  Service,
  'clock' | 'profile' | 'publicBaseUrl' | 'cases' | 'localReviews' | 'learning' | 'mailer' | 'documents'
>;

/** An action owner's link: the action's page, reached without signing in. */
export const actionLinkUrl = (publicBaseUrl: string, token: string) => `${publicBaseUrl}/action/${token}`;

/** How long after its due date an owner's link still works. */
const LINK_LIFETIME_AFTER_DUE_DAYS = 180;

const today = (service: Pick<Service, 'clock' | 'profile'>) =>
  isoDateOf(service.clock.now(), rulesOf(service.profile).timeZone);

const daysBetween = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

/** The form's answers for a new action, as posted (strings). */
export interface ActionForm {
  recommendation?: string;
  description?: string;
  theme?: string;
  scope?: string;
  owningAgencyId?: string;
  otherAgencyIds?: string[];
  ownerRole?: string;
  ownerEmail?: string;
  dueOn?: string;
}

/**
 * Creates an action from a recommendation of a review (a Rapid Review's immediate learning, a
 * local review's report), and sends its owner their own link to it. The owning agency and any
 * others are the review's agencies; the theme one of the partnership's; the due date not past.
 */
export async function createAction(
  service: ActionService,
  input: { kind: ReviewKind; reviewId: string; form: ActionForm; actor: Extract<Actor, { kind: 'staff' }> },
): Promise<LearningAction> {
  const review = await reviewSummary(service, input.kind, input.reviewId);
  const form = input.form;
  const raw = {
    recommendation: form.recommendation,
    description: form.description,
    ...(form.theme ? { theme: form.theme } : {}),
    scope: form.scope || undefined,
    owningAgencyId: form.owningAgencyId || undefined,
    otherAgencyIds: form.scope === 'multi-agency' ? (form.otherAgencyIds ?? []) : [],
    ownerRole: form.ownerRole,
    ownerEmail: form.ownerEmail,
    dueOn: form.dueOn,
  };
  const parsed = actionAnswers.safeParse(raw);
  const fields: InvalidField[] = parsed.success
    ? []
    : invalidFields(parsed.error).map((field) =>
        field.field === 'owningAgencyId'
          ? { field: field.field, message: 'Choose the agency that owns the action' }
          : field.field.startsWith('otherAgencyIds')
            ? { field: 'otherAgencyIds', message: 'Choose the other agencies from the list' }
            : field.field === 'theme'
              ? { field: field.field, message: 'Choose a learning theme from the list' }
              : field,
      );
  const agencyName = (id: string) => review.agencies.find((agency) => agency.agencyId === id)?.agencyName;
  const named = (field: string) => fields.some((earlier) => earlier.field === field);
  // The checks across fields run on what was posted, so that every bad field is named at once.
  if (raw.owningAgencyId && !named('owningAgencyId') && !agencyName(raw.owningAgencyId)) {
    fields.push({ field: 'owningAgencyId', message: 'Choose the agency that owns the action' });
  }
  if (raw.scope === 'multi-agency' && !named('otherAgencyIds')) {
    const others = raw.otherAgencyIds.filter((id) => id !== raw.owningAgencyId);
    if (others.length === 0 || others.some((id) => !agencyName(id))) {
      fields.push({
        field: 'otherAgencyIds',
        message: 'Choose at least one other agency for a multi-agency action',
      });
    }
  }
  if (
    raw.theme &&
    !named('theme') &&
    !learningThemes(service.profile).some((theme) => theme.key === raw.theme)
  ) {
    fields.push({ field: 'theme', message: 'Choose a learning theme from the list' });
  }
  if (parsed.success && parsed.data.dueOn < today(service)) {
    fields.push({ field: 'dueOn', message: 'The due date must be today or in the future' });
  }
  if (!parsed.success || fields.length > 0) throw new InvalidInputError('action', fields);
  const answers = parsed.data;
  const existing = await service.learning.listReviewActions(review.kind, review.reviewId);
  const at = service.clock.now().toISOString();
  const otherAgencyIds = [...new Set(answers.otherAgencyIds.filter((id) => id !== answers.owningAgencyId))];
  const action: LearningAction = {
    ...answers,
    otherAgencyIds,
    actionId: randomUUID(),
    reviewKind: review.kind,
    reviewId: review.reviewId,
    reviewReference: review.reference,
    number: Math.max(0, ...existing.map((earlier) => earlier.number)) + 1,
    source: review.kind === 'rapid-review' ? 'immediate-learning' : 'local-review-report',
    owningAgencyName: agencyName(answers.owningAgencyId)!,
    otherAgencyNames: otherAgencyIds.map((id) => agencyName(id)!),
    status: 'not-started',
    progress: [],
    remindersSent: [],
    version: 1,
    createdAt: at,
    createdBy: input.actor.id,
    updatedAt: at,
  };
  const created = await service.learning.createAction(action, {
    actor: input.actor,
    at,
    action: 'action-created',
    reason: `Action A${action.number} created for ${action.owningAgencyName} (${action.ownerRole}), due ${formatDate(action.dueOn)}`,
    details: { actionId: action.actionId, number: action.number, status: action.status },
  });
  await sendOwnerLink(service, created, 'created', input.actor);
  return created;
}

/** Mints the owner a fresh link to the action, stores its hash (audited) and emails it, once per `occasion`. */
async function sendOwnerLink(
  service: ActionService,
  action: LearningAction,
  occasion: string,
  actor: Actor,
): Promise<void> {
  const { token, tokenHash } = mintAgencyToken();
  const at = service.clock.now().toISOString();
  const expiresAt = new Date(
    Date.parse(`${CalendarDate.from(action.dueOn).add({ days: LINK_LIFETIME_AFTER_DUE_DAYS })}T23:59:59Z`),
  ).toISOString();
  await service.learning.putActionLink(
    {
      tokenHash,
      actionId: action.actionId,
      reviewKind: action.reviewKind,
      reviewId: action.reviewId,
      issuedAt: at,
      expiresAt,
    },
    {
      actor,
      at,
      action: 'action-link-issued',
      reason: `A link to action A${action.number} was sent to its owner (${action.ownerRole})`,
      details: { actionId: action.actionId, occasion },
    },
  );
  const timeZone = rulesOf(service.profile).timeZone;
  const reminder = occasion !== 'created';
  const overdue = action.dueOn < isoDateOf(service.clock.now(), timeZone);
  const subject = reminder
    ? overdue
      ? `Overdue: action A${action.number} from review ${action.reviewReference}`
      : `Reminder: action A${action.number} from review ${action.reviewReference} is due ${formatDate(action.dueOn)}`
    : `Action A${action.number} from review ${action.reviewReference}: you are its owner`;
  const lines = [
    reminder
      ? overdue
        ? `Action A${action.number} from review ${action.reviewReference} was due on ${formatDate(action.dueOn)} and is not yet done.`
        : `Action A${action.number} from review ${action.reviewReference} is due on ${formatDate(action.dueOn)}.`
      : `The ${service.profile.partnershipName} has made you, as ${action.ownerRole} at ${action.owningAgencyName}, the owner of an action from review ${action.reviewReference}.`,
    '',
    `The recommendation: ${action.recommendation}`,
    '',
    `The action: ${action.description}`,
    '',
    `Due: ${formatDate(action.dueOn)}. Where it stands: ${actionStatusNames[action.status]}.`,
    '',
    'Record progress, and the evidence that it has changed practice, on the action’s page:',
    actionLinkUrl(service.publicBaseUrl, token),
    '',
    `This link is yours: do not forward it. It works until ${formatInstant(expiresAt, timeZone)}.`,
    `Questions: reply to this email and the partnership team (${service.profile.partnershipTeamAddress}) will answer.`,
  ];
  await service.mailer.sendOnce(`${action.actionId}:ActionLink:${occasion}`, {
    to: [action.ownerEmail],
    ...(reminder && overdue ? { cc: [service.profile.partnershipTeamAddress] } : {}),
    replyTo: [service.profile.partnershipTeamAddress],
    subject,
    text: lines.join('\n'),
  });
}

/** The action an owner's link opens; a NotFoundError for an unknown link, a RefusedError for an expired one. */
export async function actionByLink(
  service: Pick<Service, 'clock' | 'learning'>,
  token: string,
): Promise<LearningAction> {
  if (!looksLikeAgencyToken(token)) throw new NotFoundError('No such link');
  const link = await service.learning.findActionLink(hashAgencyToken(token));
  if (!link) throw new NotFoundError('No such link');
  if (Date.parse(link.expiresAt) <= service.clock.now().getTime()) {
    throw new RefusedError('This link has expired', 'This link has expired');
  }
  const action = await service.learning.getAction(link.reviewKind, link.reviewId, link.actionId);
  if (!action) throw new NotFoundError('No such action');
  return action;
}

const ownerActor = (action: LearningAction): Actor => ({ kind: 'agency', agencyId: action.owningAgencyId });

const progressInput = z.object({
  status: z.enum(['not-started', 'in-progress', 'done'], { error: 'Choose where the action stands' }),
  note: text(4000, { multiline: true }),
});

/** The owner records progress through their link: where the action stands, and what was done. */
export async function updateActionProgress(
  service: ActionService,
  input: { token: string; status?: string; note?: string },
): Promise<LearningAction> {
  const action = await actionByLink(service, input.token);
  if (action.status === 'verified') {
    throw new ConflictError('The action is verified: nothing more to record', 'Action already verified');
  }
  const parsed = progressInput.safeParse({ status: input.status || undefined, note: input.note });
  if (!parsed.success) throw new InvalidInputError('progress update', invalidFields(parsed.error));
  const at = service.clock.now().toISOString();
  return service.learning.updateAction(
    action,
    {
      status: parsed.data.status,
      progress: [
        ...action.progress,
        {
          at,
          note: parsed.data.note,
          status: parsed.data.status,
          by: `${action.ownerRole}, ${action.owningAgencyName}`,
        },
      ],
    },
    {
      actor: ownerActor(action),
      at,
      action: 'action-progress-updated',
      reason: `Action A${action.number}: ${actionStatusNames[parsed.data.status].toLowerCase()}, progress recorded by its owner`,
      details: { actionId: action.actionId, status: parsed.data.status },
    },
  );
}

/** What an owner may upload as evidence: PDF, Word, or a picture, up to 5 MB (a page form's limit). */
export const evidenceTypes: Record<string, string> = {
  'application/pdf': '.pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  'image/png': '.png',
  'image/jpeg': '.jpg',
};

/**
 * The owner records evidence of impact through their link: a note, a document, or both. Each
 * document is filed in the case document bucket under the review.
 */
export async function addActionEvidence(
  service: ActionService,
  input: {
    token: string;
    note?: string;
    file?: { fileName: string; contentType: string; content: Uint8Array };
  },
): Promise<LearningAction> {
  const action = await actionByLink(service, input.token);
  if (action.status === 'verified') {
    throw new ConflictError('The action is verified: nothing more to record', 'Action already verified');
  }
  const note = input.note?.trim() ? input.note : undefined;
  const file = input.file && input.file.content.byteLength > 0 ? input.file : undefined;
  const fields: InvalidField[] = [];
  const parsedNote = note === undefined ? undefined : text(4000, { multiline: true }).safeParse(note);
  if (parsedNote && !parsedNote.success)
    fields.push({ field: 'note', message: parsedNote.error.issues[0]!.message });
  if (!note && !file) {
    fields.push({ field: 'note', message: 'Describe the evidence of impact, or choose a document, or both' });
  }
  if (file && !evidenceTypes[file.contentType]) {
    fields.push({
      field: 'document',
      message: 'The document must be a PDF, a Word document, or a PNG or JPEG picture',
    });
  }
  const title = file ? text(200).safeParse(file.fileName.split(/[\\/]/).pop() || 'document') : undefined;
  if (title && !title.success)
    fields.push({ field: 'document', message: 'The document’s name must be 200 characters or fewer' });
  if (fields.length > 0) throw new InvalidInputError('evidence', fields);
  const at = service.clock.now().toISOString();
  const documents = [...(action.evidence?.documents ?? [])];
  if (file && title?.success) {
    const key = `learning/${action.reviewId}/actions/${action.actionId}/evidence-${documents.length + 1}${evidenceTypes[file.contentType]}`;
    await service.documents.put(key, file.content, file.contentType);
    documents.push({ title: title.data, key, uploadedAt: at });
  }
  const evidenceNote = parsedNote?.success ? parsedNote.data : action.evidence?.note;
  return service.learning.updateAction(
    action,
    { evidence: { ...(evidenceNote ? { note: evidenceNote } : {}), documents, updatedAt: at } },
    {
      actor: ownerActor(action),
      at,
      action: 'action-evidence-added',
      reason: `Action A${action.number}: evidence of impact recorded by its owner${file ? ' (a document)' : ''}`,
      details: { actionId: action.actionId, documents: documents.length },
    },
  );
}

/** A staff page's action, by review and id; a NotFoundError when there is none. */
export async function loadAction(
  service: Pick<Service, 'learning'>,
  kind: ReviewKind,
  reviewId: string,
  actionId: string,
): Promise<LearningAction> {
  if (!z.safeParse(z.uuid(), reviewId).success || !z.safeParse(z.uuid(), actionId).success) {
    throw new NotFoundError('No such action');
  }
  const action = await service.learning.getAction(kind, reviewId, actionId);
  if (!action) throw new NotFoundError('No such action');
  return action;
}

/**
 * The partnership team verifies an action: only once it is done and evidence of its impact is
 * recorded (a note or a document).
 */
export async function verifyAction(
  service: ActionService,
  input: { kind: ReviewKind; reviewId: string; actionId: string; actor: Extract<Actor, { kind: 'staff' }> },
): Promise<LearningAction> {
  const action = await loadAction(service, input.kind, input.reviewId, input.actionId);
  if (action.status === 'verified') {
    throw new ConflictError('The action is already verified', 'Action already verified');
  }
  const hasEvidence = Boolean(action.evidence?.note) || (action.evidence?.documents.length ?? 0) > 0;
  if (!hasEvidence || action.status !== 'done') {
    throw new InvalidInputError('verification', [
      {
        field: 'verify',
        message: hasEvidence
          ? 'The action can be verified once its owner has recorded it as done'
          : 'The action can be verified only once its owner has recorded evidence of its impact',
      },
    ]);
  }
  const at = service.clock.now().toISOString();
  return service.learning.updateAction(
    action,
    {
      status: 'verified',
      verifiedAt: at,
      verifiedBy: input.actor.id,
      ...(input.actor.name ? { verifiedByName: input.actor.name } : {}),
    },
    {
      actor: input.actor,
      at,
      action: 'action-verified',
      reason: `Action A${action.number} verified on the evidence of its impact`,
      details: { actionId: action.actionId, status: 'verified' },
    },
  );
}

/** The `/actions` filter as the query string gives it. */
export interface ActionQuery {
  agency?: string;
  theme?: string;
  status?: string;
  dueBy?: string;
  overdue?: string;
}

/** Reads the filter from the query string: a bad value is named, and the rest still applies. */
export function parseActionFilter(query: ActionQuery): { filter: ActionFilter; errors: InvalidField[] } {
  const filter: ActionFilter = {};
  const errors: InvalidField[] = [];
  if (query.agency) {
    if (agencyId.safeParse(query.agency).success) filter.agencyId = query.agency;
    else errors.push({ field: 'agency', message: 'Choose an agency from the list' });
  }
  if (query.theme) {
    if (/^[a-z0-9][a-z0-9-]{0,79}$/.test(query.theme)) filter.theme = query.theme;
    else errors.push({ field: 'theme', message: 'Choose a learning theme from the list' });
  }
  if (query.status) {
    const status = actionStatus.safeParse(query.status);
    if (status.success) filter.status = status.data;
    else errors.push({ field: 'status', message: 'Choose a status from the list' });
  }
  if (query.dueBy) {
    const due = isoDate.safeParse(query.dueBy);
    if (due.success) filter.dueBy = due.data;
    else errors.push({ field: 'due-by', message: 'Enter the due date as a real date, like 31 3 2026' });
  }
  if (query.overdue === 'yes') filter.overdue = true;
  return { filter, errors };
}

/**
 * The actions matching a filter: one query of the index per status (the open statuses unless one
 * is chosen), due-date bounded in the query itself; agency and theme are then matched on what the
 * queries brought back. Ordered by due date.
 */
export async function listActions(
  service: Pick<Service, 'clock' | 'profile' | 'learning'>,
  filter: ActionFilter,
): Promise<LearningAction[]> {
  const now = today(service);
  let statuses: readonly ActionStatus[] = filter.status ? [filter.status] : openActionStatuses;
  let dueTo = filter.dueBy;
  if (filter.overdue) {
    statuses = statuses.filter((status) => status === 'not-started' || status === 'in-progress');
    const yesterday = CalendarDate.from(now).add({ days: -1 }).toString();
    dueTo = dueTo && dueTo < yesterday ? dueTo : yesterday;
  }
  const lists = await Promise.all(
    statuses.map((status) => service.learning.listActionsByStatus(status, dueTo ? { dueTo } : {})),
  );
  return lists
    .flat()
    .filter(
      (action) =>
        (!filter.agencyId ||
          action.owningAgencyId === filter.agencyId ||
          action.otherAgencyIds.includes(filter.agencyId)) &&
        (!filter.theme || action.theme === filter.theme),
    )
    .sort(
      (a, b) =>
        a.dueOn.localeCompare(b.dueOn) ||
        a.reviewReference.localeCompare(b.reviewReference) ||
        a.number - b.number,
    );
}

/** One row of the progress report, in words. */
export interface ActionReportRow {
  review: string;
  action: string;
  recommendation: string;
  description: string;
  theme: string;
  agencies: string;
  owner: string;
  due: string;
  status: string;
  overdue: string;
  latestProgress: string;
  evidence: string;
}

/** The progress report's rows, in words people read (dates spelled out). */
export function actionReportRows(
  service: Pick<Service, 'clock' | 'profile'>,
  actions: readonly LearningAction[],
): ActionReportRow[] {
  const now = today(service);
  const timeZone = rulesOf(service.profile).timeZone;
  return actions.map((action) => {
    const latest = action.progress.at(-1);
    return {
      review: action.reviewReference,
      action: `A${action.number}`,
      recommendation: action.recommendation,
      description: action.description,
      theme: action.theme ? learningThemeName(service.profile, action.theme) : 'None given',
      agencies: [action.owningAgencyName, ...action.otherAgencyNames].join(', '),
      owner: `${action.ownerRole}, ${action.owningAgencyName}`,
      due: formatDate(action.dueOn, { weekday: false }),
      status: actionStatusNames[action.status],
      overdue:
        action.dueOn < now && (action.status === 'not-started' || action.status === 'in-progress')
          ? `Yes, ${daysBetween(action.dueOn, now) === 1 ? '1 day' : `${daysBetween(action.dueOn, now)} days`}`
          : 'No',
      latestProgress: latest ? `${formatInstant(latest.at, timeZone)}: ${latest.note}` : 'None yet',
      evidence: action.evidence
        ? [action.evidence.note, ...action.evidence.documents.map((document) => document.title)]
            .filter(Boolean)
            .join('; ')
        : 'None yet',
    };
  });
}

const csvColumns: [keyof ActionReportRow, string][] = [
  ['review', 'Review'],
  ['action', 'Action'],
  ['recommendation', 'Recommendation'],
  ['description', 'What will be done'],
  ['theme', 'Learning theme'],
  ['agencies', 'Agencies'],
  ['owner', 'Owner'],
  ['due', 'Due'],
  ['status', 'Status'],
  ['overdue', 'Overdue'],
  ['latestProgress', 'Latest progress'],
  ['evidence', 'Evidence of impact'],
];

/** A cell as a spreadsheet reads it safely: quoted, and never taken for a formula. */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/** The progress report as CSV (a spreadsheet opens it), with a header row. */
export function actionReportCsv(rows: readonly ActionReportRow[]): string {
  return `${[
    csvColumns.map(([, header]) => csvCell(header)).join(','),
    ...rows.map((row) => csvColumns.map(([key]) => csvCell(row[key])).join(',')),
  ].join('\r\n')}\r\n`;
}

/** The filter in words, for the report's heading. */
export function describeFilter(
  profile: Service['profile'],
  filter: ActionFilter,
  agencyNames: Map<string, string>,
): string {
  const parts: string[] = [];
  parts.push(
    filter.status ? `status ${actionStatusNames[filter.status].toLowerCase()}` : 'every open action',
  );
  if (filter.agencyId) parts.push(`agency ${agencyNames.get(filter.agencyId) ?? filter.agencyId}`);
  if (filter.theme) parts.push(`theme ${learningThemeName(profile, filter.theme)}`);
  if (filter.dueBy) parts.push(`due by ${formatDate(filter.dueBy, { weekday: false })}`);
  if (filter.overdue) parts.push('overdue only');
  return parts.join('; ');
}

/** The progress report as a PDF for the partners. */
export async function actionReportPdf(
  service: Pick<Service, 'clock' | 'profile'>,
  rows: readonly ActionReportRow[],
  filterWords: string,
): Promise<Uint8Array> {
  const now = service.clock.now();
  return renderPdf({
    title: 'Action plan progress report',
    author: service.profile.partnershipName,
    createdAt: now,
    footer: `Action plan progress report, ${formatInstant(now, rulesOf(service.profile).timeZone)}`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Produced', formatInstant(now, rulesOf(service.profile).timeZone)],
          ['Actions shown', filterWords],
          ['Number of actions', String(rows.length)],
          ['Overdue', String(rows.filter((row) => row.overdue !== 'No').length)],
        ],
      },
      ...(rows.length === 0
        ? [{ kind: 'paragraph' as const, text: 'No actions match.' }]
        : [
            {
              kind: 'table' as const,
              columns: [
                { header: 'Review', share: 1.1 },
                { header: 'Action', share: 2.4 },
                { header: 'Owner', share: 1.4 },
                { header: 'Due', share: 1 },
                { header: 'Status', share: 1 },
                { header: 'Latest progress', share: 2 },
              ],
              rows: rows.map((row) => [
                `${row.review} ${row.action}`,
                `${row.description} (${row.theme})`,
                row.owner,
                row.overdue === 'No' ? row.due : `${row.due} (overdue ${row.overdue.replace('Yes, ', '')})`,
                row.status,
                row.latestProgress,
              ]),
            },
          ]),
    ],
  });
}

/** What one chase did. */
export interface ChaseActionsResult {
  reminded: { actionId: string; rung: string }[];
}

/**
 * Reminds each open action's owner on the partnership's ladder: days before the due date and
 * days after it (`learning.actionReminderDaysBefore`/`…After`). Each action gets the furthest
 * rung it has reached, once (a sendOnce key and the rung kept on the action); running it again
 * the same day sends nothing more. Reads only the actions due within the ladder's reach: two
 * queries of the index (not started, in progress).
 */
export async function chaseActions(service: ActionService): Promise<ChaseActionsResult> {
  const ladder = actionReminderLadder(service.profile);
  const now = today(service);
  const before = [...ladder.before].sort((a, b) => b - a);
  const after = [...ladder.after].sort((a, b) => a - b);
  const dueFrom = CalendarDate.from(now)
    .add({ days: -Math.max(0, ...after) - 366 })
    .toString();
  const dueTo = CalendarDate.from(now)
    .add({ days: Math.max(0, ...before) })
    .toString();
  const reminded: ChaseActionsResult['reminded'] = [];
  for (const status of ['not-started', 'in-progress'] as const) {
    for (const action of await service.learning.listActionsByStatus(status, { dueFrom, dueTo })) {
      const untilDue = daysBetween(now, action.dueOn);
      let rung: string | undefined;
      if (untilDue >= 0) {
        const reached = before.filter((days) => untilDue <= days);
        if (reached.length > 0) rung = `before-${Math.min(...reached)}`;
      } else {
        const reached = after.filter((days) => -untilDue >= days);
        if (reached.length > 0) rung = `after-${Math.max(...reached)}`;
      }
      if (!rung || action.remindersSent.some((sent) => sent.rung === rung)) continue;
      const actor: Actor = { kind: 'system', id: 'chase-actions' };
      await sendOwnerLink(service, action, `reminder-${rung}`, actor);
      try {
        await service.learning.updateAction(
          action,
          { remindersSent: [...action.remindersSent, { rung, at: service.clock.now().toISOString() }] },
          {
            actor,
            at: service.clock.now().toISOString(),
            action: 'action-reminder-sent',
            reason: `Action A${action.number}: its owner was reminded (${rungWords(rung)})`,
            details: { actionId: action.actionId, rung },
            eventId: `${action.actionId}:ActionReminder:${rung}`,
          },
        );
      } catch (error) {
        if (!(error instanceof DuplicateWriteError)) throw error;
      }
      reminded.push({ actionId: action.actionId, rung });
    }
  }
  return { reminded };
}

function rungWords(rung: string): string {
  const [when, days] = rung.split('-');
  const n = Number(days);
  const span = n === 1 ? '1 day' : `${n} days`;
  return when === 'before' ? `${span} before the due date` : `${span} after the due date`;
}

/** The agencies across actions, for the filter's choices: by id, with their names. */
export function agenciesOf(actions: readonly LearningAction[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const action of actions) {
    names.set(action.owningAgencyId, action.owningAgencyName);
    action.otherAgencyIds.forEach((id, index) => {
      names.set(id, action.otherAgencyNames[index] ?? id);
    });
  }
  return names;
}
