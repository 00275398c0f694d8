import { createHmac } from 'node:crypto';
import type { RapidReviewRules } from '../rapid-review-rules.ts';
import { defaultRapidReviewRules } from '../rapid-review-rules.ts';
import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import { isLookedAfterOrCareLeaverDeath, type SeriousIncidentNotification } from '../schemas/notification.ts';
import { planRapidReview } from '../timetable.ts';
import { isoDateOf } from '../workflow/london-time.ts';
import { childInitialsKeysOf } from './child-initials.ts';

/** Turns an agency's name into a short id that is safe in keys and paths: "Children's Social Care" → "childrens-social-care". */
export function agencyIdFor(name: string, taken: ReadonlySet<string> = new Set()): string {
  const base =
    name
      .toLowerCase()
      .replace(/['’]/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50) || 'agency';
  let id = base;
  for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
  return id;
}

/**
 * A reference people can say on the phone: `RR-2026-0042`, the 42nd case of the year, numbered
 * at least four digits wide (the 10,000th is `RR-2026-10000`). The number is taken from the
 * year's counter when the case is opened (`CaseStore.takeCaseReferenceNumber`).
 */
export function caseReferenceOf(year: number, number: number): string {
  return `RR-${year}-${String(number).padStart(4, '0')}`;
}

/** The year a case's reference is counted in: the year of the date it was received, in London. */
export function referenceYearOf(receivedAt: Date): number {
  return Number(isoDateOf(receivedAt, 'Europe/London').slice(0, 4));
}

/**
 * The reference of a case opened without one taken from the year's counter (tests and tools that
 * open cases directly): from its id, as every case's was before references were counted
 * (`RR-2026-4F7K2Q`). Those cases keep it.
 */
function referenceFromCaseId(caseId: string, receivedAt: Date): string {
  return `RR-${receivedAt.getUTCFullYear()}-${caseId.replace(/-/g, '').slice(0, 6).toUpperCase()}`;
}

/**
 * The key a child's date of birth and the incident date are compared by, so the case table never
 * holds a date of birth, nor anything one could be recovered from: an HMAC-SHA-256 of both (hex)
 * under the deployment's secret duplicate-check key (a plain hash of a date could be reversed by
 * trying every date).
 */
export function duplicateKeyOf(dateOfBirth: string, occurredOn: string, secret: string): string {
  return createHmac('sha256', secret)
    .update(`possible-duplicate\n${dateOfBirth}\n${occurredOn}`, 'utf8')
    .digest('hex');
}

/** The duplicate keys of a notification: one per child whose date of birth is known. */
export function duplicateKeysOf(notification: SeriousIncidentNotification, secret: string): string[] {
  const keys = notification.children.flatMap((child) =>
    child.dateOfBirth === undefined
      ? []
      : [duplicateKeyOf(child.dateOfBirth, notification.incident.occurredOn, secret)],
  );
  return [...new Set(keys)];
}

/** A Panel reference as the duplicate check compares it: no spaces, upper case. */
export function normalisedPanelReference(reference: string): string {
  return reference.replace(/\s+/g, '').toUpperCase();
}

/**
 * What a case may be found by as a possible duplicate: its keyed date-of-birth hashes and its
 * Panel reference. The store indexes a case by these when it is created, so the check reads only
 * the cases that share one, never every case.
 */
export function duplicateMarksOf(record: {
  panelReference: string;
  duplicateKeys?: readonly string[];
}): string[] {
  return [
    ...new Set([
      ...(record.duplicateKeys ?? []).map((key) => `child:${key}`),
      `panel-reference:${normalisedPanelReference(record.panelReference)}`,
    ]),
  ];
}

/**
 * Builds the case and its agency requests from a valid notification at the instant the
 * partnership received it. Pure: the caller saves the result.
 */
export function openCase(input: {
  caseId: string;
  notification: SeriousIncidentNotification;
  receivedAt: Date;
  notificationDocumentKey: string;
  /** The reference taken for it (`caseReferenceOf`); intake always gives one. */
  reference?: string;
  rules?: RapidReviewRules;
  /** The deployment's secret for the possible-duplicate keys and the initials' keys; without it the case holds none. */
  duplicateCheckKey?: string;
  /** The staff id of whoever sends the notification. */
  notifiedBy?: string;
}): { record: CaseRecord; agencies: AgencyRequest[] } {
  const { caseId, notification, receivedAt } = input;
  const timetable = planRapidReview(
    {
      receivedAt,
      awareOn: notification.incident.localAuthorityAwareOn,
      panelNotifiedOn: notification.incident.panelNotifiedOn,
    },
    input.rules ?? defaultRapidReviewRules,
  );
  // An agency picked from the partnership directory keeps the directory's id; one added by hand
  // gets an id made from its name, clear of the others.
  const taken = new Set<string>(notification.agencies.flatMap((agency) => agency.agencyId ?? []));
  const agencies: AgencyRequest[] = notification.agencies.map((agency) => {
    const agencyId = agency.agencyId ?? agencyIdFor(agency.name, taken);
    taken.add(agencyId);
    return {
      caseId,
      agencyId,
      agencyName: agency.name,
      spoc: agency.spoc,
      status: 'pending',
      late: false,
      version: 1,
    };
  });
  const at = receivedAt.toISOString();
  return {
    record: {
      caseId,
      reference: input.reference ?? referenceFromCaseId(caseId, receivedAt),
      status: 'notified',
      version: 1,
      receivedAt: at,
      notifyingLocalAuthority: notification.notifyingLocalAuthority,
      incidentKind: notification.incident.kind,
      panelReference: notification.incident.panelReference,
      notifierEmail: notification.notifier.email,
      notificationDocumentKey: input.notificationDocumentKey,
      duplicateKeys: input.duplicateCheckKey ? duplicateKeysOf(notification, input.duplicateCheckKey) : [],
      ...(input.duplicateCheckKey
        ? { childInitialsKeys: childInitialsKeysOf(caseId, notification, input.duplicateCheckKey) }
        : {}),
      ...(input.notifiedBy ? { notifiedBy: input.notifiedBy } : {}),
      ...(isLookedAfterOrCareLeaverDeath(notification) ? { lookedAfterOrCareLeaverDeath: true } : {}),
      timetable,
      agencyIds: agencies.map((agency) => agency.agencyId),
      currentStep: 'Notified',
      createdAt: at,
      updatedAt: at,
    },
    agencies,
  };
}
