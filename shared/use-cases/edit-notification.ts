import { randomUUID } from 'node:crypto';
import { childInitialsKeysOf } from '../cases/child-initials.ts';
import { duplicateKeysOf } from '../cases/open-case.ts';
import { rulesOf } from '../config/partnership-profile.ts';
import { ConflictError, InvalidInputError, NotFoundError, StaleWriteError } from '../errors.ts';
import { logError, logInfo } from '../log.ts';
import type { CaseRecord, CaseStatus, NotificationVersion } from '../schemas/case.ts';
import {
  ethnicityMessages,
  isLookedAfterOrCareLeaverDeath,
  newFreeTextEthnicities,
  type SeriousIncidentNotification,
  seriousIncidentNotificationOn,
} from '../schemas/notification.ts';
import { caseId as caseIdSchema, text } from '../schemas/primitives.ts';
import { type StaffMember, staffActor } from '../schemas/roles.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import { parseInput } from '../validation.ts';
import { isoDateOf } from '../workflow/london-time.ts';

/**
 * The partnership team corrects the notification's details after intake (issue 10 part 3). Each
 * change is a new version of the notification document (`cases/<id>/notification-v<n>-<edit>.json`;
 * the first stays at `notification.json`), the case points at the latest, and the case's
 * copies of the notification's fields follow it. The timetable is never re-planned here.
 */

export type EditNotificationPorts = Pick<
  Service,
  'cases' | 'clock' | 'documents' | 'profile' | 'duplicateCheckKey'
>;

const notFound = () => new NotFoundError('There is no case with this id');

/** Once the review has gone to the Panel, or ended, its notification is what it was. */
const finished: readonly CaseStatus[] = ['submitted-to-panel', 'completed', 'failed', 'closed', 'withdrawn'];

/** The message for a change to a date the timetable was planned from. */
export const TIMETABLE_DATE_MESSAGE = 'Dates the timetable was planned from cannot be changed here';

/** The notification's dates the timetable was planned from (with the instant it was received, the case's own). */
const TIMETABLE_DATES = ['localAuthorityAwareOn', 'panelNotifiedOn'] as const;

/** Refuses an edit the case cannot take now. */
export function notificationEditRefusal(
  record: Pick<CaseRecord, 'reference' | 'status'>,
): ConflictError | undefined {
  return finished.includes(record.status)
    ? new ConflictError(
        `Case ${record.reference} has already gone to the Panel or ended: its notification can no longer be changed`,
        'Notification not editable',
      )
    : undefined;
}

/**
 * The dotted paths of every field that differs between two JSON values (`children.0.nhsNumber`),
 * so the audit says what changed without repeating a value.
 */
export function changedFieldPaths(before: unknown, after: unknown, prefix = ''): string[] {
  const isObject = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === 'object';
  if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    if (Array.isArray(before)) keys.sort((a, b) => Number(a) - Number(b));
    return keys.flatMap((key) =>
      changedFieldPaths(before[key], after[key], prefix === '' ? key : `${prefix}.${key}`),
    );
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [prefix === '' ? '(notification)' : prefix];
}

/** What an edit changed: the new version, or none when the notification sent is the one held. */
export interface NotificationEdit {
  changed: boolean;
  /** The latest version: 1 for the notification as received. */
  version: number;
  fields: string[];
  /** Each change so far: who by name (never an id), when, why, which fields. */
  notificationVersions: Omit<NotificationVersion, 'changedBy' | 'documentKey'>[];
}

const shown = (versions: readonly NotificationVersion[]) =>
  versions.map(({ changedBy: _changedBy, documentKey: _documentKey, ...version }) => version);

function editSchema(today: string) {
  return z.object({
    // A free-text ethnicity is checked against the version held, once it is read.
    notification: seriousIncidentNotificationOn(today, { ethnicityCheckedByCaller: true }),
    reason: text(4000, { multiline: true }),
  });
}

async function readNotification(service: EditNotificationPorts, record: CaseRecord): Promise<unknown> {
  const bytes = await service.documents.getBytes(record.notificationDocumentKey);
  return JSON.parse(new TextDecoder().decode(bytes));
}

/**
 * Refuses changes this page of work does not make: the timetable's dates and the agencies; and a
 * child's ethnicity given as free text, unless it is the one the version held gave.
 */
function refuseUnchangeable(before: unknown, after: SeriousIncidentNotification): void {
  const held = (before ?? {}) as { incident?: Record<string, unknown>; agencies?: unknown };
  const problems = TIMETABLE_DATES.filter((field) => held.incident?.[field] !== after.incident[field]).map(
    (field) => ({ field: `notification.incident.${field}`, message: TIMETABLE_DATE_MESSAGE }),
  );
  for (const index of newFreeTextEthnicities(after, before)) {
    problems.push({ field: `notification.children.${index}.ethnicity`, message: ethnicityMessages.freeText });
  }
  if (changedFieldPaths(held.agencies, after.agencies).length > 0) {
    problems.push({
      field: 'notification.agencies',
      message: 'Agencies and their contacts cannot be changed here: add an agency, or replace its contact',
    });
  }
  if (problems.length > 0) throw new InvalidInputError('notification edit', problems);
}

/** How many times a write that lost a race to another change is tried again. */
const SAVE_ATTEMPTS = 4;

/**
 * Saves the whole notification, as intake takes it, as the case's next version, with why. Every
 * bad field is named (`notification.children.0.nhsNumber`); a changed date the timetable was
 * planned from, or a changed agency, is refused by name. The same notification again changes
 * nothing.
 *
 * @throws NotFoundError, InvalidInputError, ConflictError (gone to the Panel or ended),
 * StaleWriteError (changed by others again and again).
 */
export async function editNotification(
  service: EditNotificationPorts,
  submission: { caseId: string; answer: unknown; member: StaffMember },
): Promise<NotificationEdit> {
  const parsedId = caseIdSchema.safeParse(submission.caseId);
  if (!parsedId.success) throw notFound();
  const caseId = parsedId.data;
  const now = service.clock.now();
  const today = isoDateOf(now, rulesOf(service.profile).timeZone);
  const { notification, reason } = parseInput(editSchema(today), submission.answer, 'notification edit');

  for (let attempt = 1; ; attempt += 1) {
    const record = await service.cases.getCase(caseId);
    if (!record) throw notFound();
    const refused = notificationEditRefusal(record);
    if (refused) throw refused;
    const before = await readNotification(service, record);
    refuseUnchangeable(before, notification);
    const versions = record.notificationVersions ?? [];
    // Compared as stored: what JSON keeps (no undefined fields).
    const fields = changedFieldPaths(before, JSON.parse(JSON.stringify(notification)));
    if (fields.length === 0) {
      return { changed: false, version: versions.length + 1, fields, notificationVersions: shown(versions) };
    }
    const version = versions.length + 2;
    // A key of its own per edit: two people editing at once never overwrite each other's document.
    const documentKey = `cases/${caseId}/notification-v${version}-${randomUUID().slice(0, 8)}.json`;
    const entry: NotificationVersion = {
      version,
      documentKey,
      changedAt: now.toISOString(),
      changedBy: submission.member.id,
      ...(submission.member.name ? { changedByName: submission.member.name } : {}),
      reason,
      fields,
    };
    await service.documents.put(documentKey, JSON.stringify(notification, null, 2), 'application/json');
    const lookedAfterDeath = isLookedAfterOrCareLeaverDeath(notification);
    try {
      const saved = await service.cases.updateCase(
        record,
        {
          notificationDocumentKey: documentKey,
          notificationVersions: [...versions, entry],
          notifyingLocalAuthority: notification.notifyingLocalAuthority,
          incidentKind: notification.incident.kind,
          panelReference: notification.incident.panelReference,
          notifierEmail: notification.notifier.email,
          duplicateKeys: duplicateKeysOf(notification, service.duplicateCheckKey),
          childInitialsKeys: childInitialsKeysOf(caseId, notification, service.duplicateCheckKey),
          ...(lookedAfterDeath || record.lookedAfterOrCareLeaverDeath
            ? { lookedAfterOrCareLeaverDeath: lookedAfterDeath }
            : {}),
        },
        {
          actor: staffActor(submission.member, 'partnership-team'),
          at: now.toISOString(),
          action: 'notification.changed',
          reason: `The partnership team changed the notification (version ${version}): ${reason}`,
          details: { version, fields: fields.join(', ') },
        },
      );
      logInfo('Notification changed', { caseId, version });
      return {
        changed: true,
        version,
        fields,
        notificationVersions: shown(saved.notificationVersions ?? []),
      };
    } catch (error) {
      // The unsaved version's document stays beside the case's others (this function deletes
      // nothing); the case never points at it.
      logError('A notification version was written but the case not updated', {
        caseId,
        error: (error as Error).name,
      });
      if (!(error instanceof StaleWriteError) || attempt >= SAVE_ATTEMPTS) throw error;
    }
  }
}
