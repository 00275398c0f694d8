import { createHash, randomUUID } from 'node:crypto';
import {
  caseReferenceOf,
  duplicateKeysOf,
  duplicateMarksOf,
  normalisedPanelReference,
  openCase,
  referenceYearOf,
} from '../cases/open-case.ts';
import { rulesOf } from '../config/partnership-profile.ts';
import {
  DomainError,
  DuplicateWriteError,
  ForbiddenError,
  InvalidInputError,
  NotSignedInError,
  RefusedError,
  UnavailableError,
} from '../errors.ts';
import { logError, logInfo } from '../log.ts';
import { countNotificationReceived } from '../metrics.ts';
import { type Route, routes } from '../routes.ts';
import type { CaseRecord, CaseStatus } from '../schemas/case.ts';
import { type SeriousIncidentNotification, seriousIncidentNotificationOn } from '../schemas/notification.ts';
import { caseId as caseIdSchema, text } from '../schemas/primitives.ts';
import { type Actor, type StaffMember, type StaffRole, staffActor } from '../schemas/roles.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import { parseInput } from '../validation.ts';
import { isoDateOf } from '../workflow/london-time.ts';
import { partnershipDirectory } from './partnership-directory.ts';

/** What submitting a notification touches. */
export type SubmitNotificationPorts = Pick<
  Service,
  'cases' | 'clock' | 'documents' | 'profile' | 'workflow' | 'duplicateCheckKey'
>;

/** Why a notification looks like one already open: the same Panel reference, or the same child's date of birth and incident date. */
export type DuplicateMatch = 'panel-reference' | 'child-and-incident-date';

/** An open case a notification may duplicate, as the notifier is shown it. */
export interface PossibleDuplicate {
  caseId: string;
  reference: string;
  /** The case's page. */
  path: string;
  matchedOn: DuplicateMatch[];
}

/**
 * The notification may duplicate an open case: nothing was saved. Sending it again with
 * `possibleDuplicate: { caseId, reason }` (the case it may duplicate, and why it is sent anyway)
 * opens the case, and the reason is audited.
 */
/** How many possible duplicates the refusal names; the rest are counted. */
const NAMED_DUPLICATES = 3;

export class PossibleDuplicateError extends DomainError {
  override readonly name = 'PossibleDuplicate';
  override readonly kind = 'conflict';
  readonly duplicates: PossibleDuplicate[];

  constructor(duplicates: PossibleDuplicate[]) {
    const named = duplicates
      .slice(0, NAMED_DUPLICATES)
      .map(
        (duplicate) =>
          `${duplicate.reference} (${duplicate.path}), ${duplicate.matchedOn
            .map((match) =>
              match === 'panel-reference'
                ? 'the same Panel reference'
                : 'the same child’s date of birth and incident date',
            )
            .join(' and ')}`,
      )
      .join('; ');
    const others = duplicates.length - NAMED_DUPLICATES;
    const more = others > 0 ? `, and ${others} more open case${others === 1 ? '' : 's'}` : '';
    super(
      `This notification may be a duplicate of an open case: ${named}${more}. Nothing was saved. ` +
        'To send it anyway, send it again with "possibleDuplicate": { "caseId": "<that case’s id>", "reason": "<why it is not a duplicate>" }.',
      'Possible duplicate',
    );
    this.duplicates = duplicates;
  }
}

/** The acknowledgement of a possible duplicate: which case, and why the notification goes on anyway. */
export const possibleDuplicateAcknowledgement = z.object({
  possibleDuplicate: z.optional(
    z.object({
      caseId: caseIdSchema,
      reason: text(1000, { multiline: true }),
    }),
  ),
});
export type PossibleDuplicateAcknowledgement = NonNullable<
  z.infer<typeof possibleDuplicateAcknowledgement>['possibleDuplicate']
>;

/** The statuses of a case that is still open: anything but completed or failed. */
const CLOSED: readonly CaseStatus[] = ['completed', 'failed', 'closed', 'withdrawn'];

/** The open cases (other than `own`) the notification may duplicate, with what matched. */
export async function possibleDuplicatesOf(
  service: Pick<Service, 'cases' | 'duplicateCheckKey'>,
  notification: SeriousIncidentNotification,
  own?: string,
): Promise<PossibleDuplicate[]> {
  const keys = new Set(duplicateKeysOf(notification, service.duplicateCheckKey));
  const reference = normalisedPanelReference(notification.incident.panelReference);
  // Only the cases that share a mark are read, however many cases there are.
  const marks = duplicateMarksOf({ panelReference: reference, duplicateKeys: [...keys] });
  const open = (await service.cases.findCasesByDuplicateMarks(marks))
    .filter((record) => !CLOSED.includes(record.status) && record.caseId !== own)
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  return open.flatMap((record) => {
    const matchedOn: DuplicateMatch[] = [];
    if (normalisedPanelReference(record.panelReference) === reference) matchedOn.push('panel-reference');
    if ((record.duplicateKeys ?? []).some((key) => keys.has(key))) matchedOn.push('child-and-incident-date');
    return matchedOn.length
      ? [{ caseId: record.caseId, reference: record.reference, path: `/cases/${record.caseId}`, matchedOn }]
      : [];
  });
}

/**
 * The body as the API gives it: the notification, and beside its fields the acknowledgement of
 * a possible duplicate, which is not part of the notification.
 */
function splitBody(body: unknown): { notification: unknown; possibleDuplicate: unknown } {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || !('possibleDuplicate' in body)) {
    return { notification: body, possibleDuplicate: undefined };
  }
  const { possibleDuplicate, ...notification } = body as Record<string, unknown>;
  return { notification, possibleDuplicate };
}

/** A notification as someone submits it. */
export interface NotificationSubmission {
  /**
   * The notification as received: validated here, every bad field named. It may carry
   * `possibleDuplicate` beside its fields (as the API's body does).
   */
  notification: unknown;
  /** The acknowledgement of a possible duplicate, when not in the notification's body (the pages). */
  possibleDuplicate?: unknown;
  /** Who submits it: signed-in staff holding a role that may notify. */
  submitter: StaffMember | undefined;
  /**
   * The client's own key for this submission (the API's Idempotency-Key header): the same key
   * and the same notification open one case, however often they are sent.
   */
  idempotencyKey?: string;
}

/** The case a notification opened. */
export interface OpenedCase {
  caseId: string;
  reference: string;
}

/** The roles that may submit a notification, from the route table; the first one the caller holds is audited. */
const SUBMITTING_ROLES: readonly StaffRole[] = (() => {
  const route = (routes as readonly Route[]).find((candidate) => candidate.id === 'SubmitNotification');
  return route?.access.kind === 'staff' ? route.access.roles : [];
})();

/** Keys are the client's own; printable ASCII, like the IETF draft's examples (UUIDs, random strings). */
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

/** Where the notification is kept: the children's details live here, never in the table or the workflow. */
export function notificationDocumentKey(caseId: string): string {
  return `cases/${caseId}/notification.json`;
}

/** JSON with object keys sorted, so two equal bodies hash the same whatever order their fields came in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function submittingActor(submitter: StaffMember | undefined): Actor & { kind: 'staff' } {
  if (!submitter) throw new NotSignedInError();
  const role = submitter.roles.find((held) => SUBMITTING_ROLES.includes(held));
  if (!role) throw new ForbiddenError(`This needs one of these roles: ${SUBMITTING_ROLES.join(', ')}`);
  return staffActor(submitter, role);
}

/** The client's idempotency key, scoped to the submitter so two people's keys can never collide. */
function scopedIdempotencyKey(key: string | undefined, actor: Actor & { kind: 'staff' }): string | undefined {
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new InvalidInputError('request', [
      {
        field: 'Idempotency-Key',
        message: 'Use 1 to 255 printable characters without spaces, such as a UUID',
      },
    ]);
  }
  return sha256(`${actor.id}\n${key}`);
}

/** Starts the case's Rapid Review; a review already started (a retry) is left running. */
async function startReview(ports: Pick<Service, 'workflow'>, caseId: string): Promise<void> {
  try {
    await ports.workflow.start(caseId);
  } catch (error) {
    logError('Could not start the Rapid Review', { caseId, error: (error as Error).name });
    throw new UnavailableError(
      `The notification is saved as case ${caseId}, but its Rapid Review could not be started just now. ` +
        'Send the same notification again with the same Idempotency-Key to start it.',
      'Review not started yet',
    );
  }
}

/** The case a notification opens, planned in full before anything is written. */
type PlannedCase = ReturnType<typeof openCase>;

/**
 * Plans the case: its record, its agency requests and its timetable, at the instant of receipt.
 * Pure: it writes nothing, so a notification the calendar cannot time fails here, before any
 * write.
 */
function planCase(
  service: Pick<Service, 'profile' | 'duplicateCheckKey'>,
  caseId: string,
  notification: SeriousIncidentNotification,
  receivedAt: Date,
  notifiedBy: string,
): PlannedCase {
  return openCase({
    caseId,
    notification,
    receivedAt,
    notificationDocumentKey: notificationDocumentKey(caseId),
    rules: rulesOf(service.profile),
    duplicateCheckKey: service.duplicateCheckKey,
    notifiedBy,
  });
}

/**
 * Removes the notification document of a case that could not be written, unless the case is
 * there after all (a write that timed out may still have landed). Whatever cannot be settled
 * here is left to the orphan sweeper (shared/use-cases/sweep-orphans.ts).
 */
async function removeUnownedDocument(service: SubmitNotificationPorts, caseId: string): Promise<void> {
  try {
    if (await service.cases.getCase(caseId)) return;
    await service.documents.deleteEveryVersion(notificationDocumentKey(caseId));
  } catch (error) {
    logError('Could not remove the notification document of an unwritten case', {
      caseId,
      error: (error as Error).name,
    });
  }
}

/**
 * Saves the planned case: its reference, taken from the year's counter (`RR-2026-0042`), the
 * notification document, then the case with its agency requests and its 'case.opened' audit
 * event in one write. The document goes first so a case never exists without it; if the case
 * cannot be written, the document is removed again, so a failure leaves neither. A case that
 * already exists (a retry, or a concurrent twin of this request) is read back instead, with the
 * reference it was written with (the number taken here is then not used).
 */
async function saveCase(
  service: SubmitNotificationPorts,
  planned: PlannedCase,
  notification: SeriousIncidentNotification,
  actor: Actor,
  sharedCaseId: boolean,
  acknowledged?: { duplicate: PossibleDuplicate; reason: string },
): Promise<CaseRecord> {
  const receivedAt = new Date(planned.record.receivedAt);
  const year = referenceYearOf(receivedAt);
  const reference = caseReferenceOf(year, await service.cases.takeCaseReferenceNumber(year));
  const record: CaseRecord = { ...planned.record, reference };
  const { agencies } = planned;
  await service.documents.put(
    record.notificationDocumentKey,
    JSON.stringify(notification, null, 2),
    'application/json',
  );
  try {
    return await service.cases.createCase(record, agencies, {
      actor,
      at: record.receivedAt,
      action: 'case.opened',
      reason: acknowledged
        ? `Serious incident notification received, sent although it may duplicate case ${acknowledged.duplicate.reference}: ${acknowledged.reason}`
        : 'Serious incident notification received',
      details: {
        reference: record.reference,
        agencies: agencies.length,
        ...(acknowledged
          ? {
              possibleDuplicateOf: acknowledged.duplicate.reference,
              possibleDuplicateCaseId: acknowledged.duplicate.caseId,
              possibleDuplicateReason: acknowledged.reason,
            }
          : {}),
      },
    });
  } catch (error) {
    if (!(error instanceof DuplicateWriteError)) {
      // A case id from an idempotency key may be a twin request's too, whose case may be written
      // after this one failed: its document is left for the sweeper, which removes it only if no
      // case owns it after an hour.
      if (!sharedCaseId) await removeUnownedDocument(service, record.caseId);
      throw error;
    }
    const existing = await service.cases.getCase(record.caseId);
    if (!existing) throw error;
    return existing;
  }
}

/**
 * Refuses a notification that may duplicate an open case, unless it acknowledges one of them
 * with a reason: then that case and the reason, for the audit.
 */
async function acknowledgedDuplicate(
  service: Pick<Service, 'cases' | 'duplicateCheckKey'>,
  notification: SeriousIncidentNotification,
  own: string,
  acknowledgement: PossibleDuplicateAcknowledgement | undefined,
): Promise<{ duplicate: PossibleDuplicate; reason: string } | undefined> {
  const duplicates = await possibleDuplicatesOf(service, notification, own);
  if (duplicates.length === 0) return undefined;
  const duplicate = duplicates.find((candidate) => candidate.caseId === acknowledgement?.caseId);
  if (!duplicate || !acknowledgement) throw new PossibleDuplicateError(duplicates);
  return { duplicate, reason: acknowledgement.reason };
}

/**
 * Notifies a serious incident: validates the notification (every bad field named) and plans its
 * timetable, writing nothing until both succeed; then opens the case and starts its Rapid Review.
 *
 * With an idempotency key, the same key and the same notification answer the same case again
 * without a second one (and start the review if an earlier attempt could not); the same key with
 * a different notification is refused.
 *
 * A notification that may duplicate an open case (the same Panel reference, or the same child's
 * date of birth and incident date) is refused with PossibleDuplicateError unless it acknowledges
 * that case with a reason, which the case's 'case.opened' audit event keeps.
 *
 * @throws InvalidInputError, NotSignedInError, ForbiddenError, RefusedError (key reused),
 * PossibleDuplicateError (409: acknowledge it to go on),
 * UnavailableError (saved, review not started: send it again).
 */
/**
 * Refuses an agency whose `agencyId` names no agency of the partnership directory, naming the
 * field: the id is what the escalation ladder finds the agency's strategic lead by.
 */
async function checkDirectoryAgencies(
  service: Pick<Service, 'cases' | 'profile' | 'clock'>,
  notification: SeriousIncidentNotification,
): Promise<void> {
  if (!notification.agencies.some((agency) => agency.agencyId !== undefined)) return;
  const { entries } = await partnershipDirectory(service);
  const known = new Set(entries.map((entry) => entry.agencyId));
  const fields = notification.agencies.flatMap((agency, index) =>
    agency.agencyId === undefined || known.has(agency.agencyId)
      ? []
      : [
          {
            field: `agencies.${index}.agencyId`,
            message:
              'No agency in the partnership directory has this id: leave it out to add the agency by hand',
          },
        ],
  );
  if (fields.length) throw new InvalidInputError('notification', fields);
}

export async function submitNotification(
  service: SubmitNotificationPorts,
  submission: NotificationSubmission,
): Promise<OpenedCase> {
  const actor = submittingActor(submission.submitter);
  const idempotencyKey = scopedIdempotencyKey(submission.idempotencyKey, actor);
  const today = isoDateOf(service.clock.now(), 'Europe/London');
  const body = splitBody(submission.notification);
  const notification = parseInput(seriousIncidentNotificationOn(today), body.notification, 'notification');
  await checkDirectoryAgencies(service, notification);
  const acknowledgement = parseInput(
    possibleDuplicateAcknowledgement,
    { possibleDuplicate: submission.possibleDuplicate ?? body.possibleDuplicate },
    'notification',
  ).possibleDuplicate;

  // Planned before anything is written: a notification that cannot be timed stores nothing.
  const receivedAt = service.clock.now();
  const newCaseId = randomUUID();
  let planned = planCase(service, newCaseId, notification, receivedAt, actor.id);
  let caseId: string = newCaseId;
  if (idempotencyKey) {
    const requestHash = sha256(canonicalJson(notification));
    const holder = await service.cases.claimIdempotencyKey(idempotencyKey, {
      requestHash,
      caseId,
      claimedAt: receivedAt.toISOString(),
    });
    if (holder.requestHash !== requestHash) {
      throw new RefusedError(
        'This Idempotency-Key was already used for a different notification. Use a new key for a new notification.',
        'Idempotency-Key reused',
      );
    }
    caseId = holder.caseId;
  }

  // A retry whose first attempt got as far as saving the case only needs the review started;
  // a key claimed just now has no case yet.
  const saved = caseId !== newCaseId ? await service.cases.getCase(caseId) : undefined;
  if (!saved && caseId !== newCaseId) planned = planCase(service, caseId, notification, receivedAt, actor.id);
  const record =
    saved ??
    (await saveCase(
      service,
      planned,
      notification,
      actor,
      idempotencyKey !== undefined,
      await acknowledgedDuplicate(service, notification, planned.record.caseId, acknowledgement),
    ));
  await startReview(service, record.caseId);
  // Counted once per case: a repeat (the same key, or the case already saved) is no new notification.
  if (!saved) countNotificationReceived();
  logInfo('Notification accepted', { caseId: record.caseId });
  return { caseId: record.caseId, reference: record.reference };
}
