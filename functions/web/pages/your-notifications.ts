import { CaseNotFoundError } from '../../../shared/errors.ts';
import { logWarning } from '../../../shared/log.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import type { SeriousIncidentNotification } from '../../../shared/schemas/notification.ts';
import { caseId as caseIdSchema } from '../../../shared/schemas/primitives.ts';
import type { StaffMember } from '../../../shared/schemas/roles.ts';
import { notFound, type Page, render, type WebRequest } from '../page.ts';
import { statusTag } from './case-tags.ts';
import { londonDate, londonDateTime } from './london.ts';
import { yourNotificationsMenuPage } from './menu.ts';
import { type CheckSection, checkAnswerSections } from './notify/views.ts';

/**
 * The notifier's home (issue 11 part 2): the notifications they sent (GET /your-notifications),
 * each with its reference, when it was sent and a link to read it again (GET
 * /your-notifications/{caseId}: the same summary their check your answers page showed, without
 * its Change links). A notification is theirs when they sent it (the case keeps its sender's id)
 * or when it names their signed-in email as the notifier's, as for the upload of the local
 * authority's notification to the Panel (shared/use-cases/panel-notification.ts).
 */

/** Whether this person is the case's notifier: they sent it, or it names their email. */
export function isTheirs(
  record: Pick<CaseRecord, 'notifiedBy' | 'notifierEmail'>,
  person: Pick<StaffMember, 'id' | 'email'>,
): boolean {
  if (record.notifiedBy !== undefined && record.notifiedBy === person.id) return true;
  return person.email !== undefined && person.email.toLowerCase() === record.notifierEmail.toLowerCase();
}

/** The statuses in which the local authority's notification to the Panel can still be uploaded. */
const panelNotificationOpen: readonly CaseRecord['status'][] = ['notified', 'awaiting-summaries'];

/** GET /your-notifications: theirs, newest first. */
const yourNotificationsPage: Page = {
  ...yourNotificationsMenuPage,
  async handle(request) {
    const person = request.user ?? { id: '', roles: [] };
    const records = (await request.service.cases.listCases())
      .filter((record) => isTheirs(record, person))
      .sort((a, b) => Date.parse(b.receivedAt) - Date.parse(a.receivedAt));
    return render('your-notifications/list.njk', {
      pageTitle: 'Your notifications',
      notifications: records.map((record) => ({
        caseId: record.caseId,
        reference: record.reference,
        sent: londonDateTime(record.receivedAt),
        incident: record.incidentKind === 'death' ? 'Death of a child' : 'Serious harm to a child',
        status: statusTag(record.status),
        panelNotification: panelNotificationOpen.includes(record.status)
          ? record.panelNotificationDocument
            ? 'uploaded'
            : 'to-upload'
          : undefined,
      })),
    });
  },
};

/** The case, when it is this person's; undefined for any other (a 404: its existence is not theirs to know). */
async function theirCase(request: WebRequest): Promise<CaseRecord | undefined> {
  const parsed = caseIdSchema.safeParse(request.params.caseId);
  if (!parsed.success) return undefined;
  let record: CaseRecord | undefined;
  try {
    record = await request.service.cases.getCase(parsed.data);
  } catch (error) {
    if (error instanceof CaseNotFoundError) return undefined;
    throw error;
  }
  return record && isTheirs(record, request.user ?? { id: '' }) ? record : undefined;
}

/** The notification as the case now holds it (its latest version), as check your answers shows it. */
async function summaryOf(request: WebRequest, record: CaseRecord): Promise<CheckSection[] | undefined> {
  try {
    const bytes = await request.service.documents.getBytes(record.notificationDocumentKey);
    const notification = JSON.parse(new TextDecoder().decode(bytes)) as Partial<SeriousIncidentNotification>;
    // Read only: no Change links, no "Add or remove" links.
    return checkAnswerSections(notification).map((section) => ({
      heading: section.heading,
      rows: section.rows.map(({ actions: _changeLink, ...row }) => row),
    }));
  } catch (error) {
    logWarning('The notification document could not be shown to its notifier', {
      caseId: record.caseId,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return undefined;
  }
}

/** GET /your-notifications/{caseId}: what they sent, read only. */
const yourNotificationPage: Page = {
  method: 'GET',
  path: '/your-notifications/{caseId}',
  access: yourNotificationsMenuPage.access,
  async handle(request) {
    const record = await theirCase(request);
    if (!record) return notFound();
    const lastChange = record.notificationVersions?.at(-1);
    return render('your-notifications/notification.njk', {
      pageTitle: `Your notification ${record.reference}`,
      reference: record.reference,
      sent: londonDateTime(record.receivedAt),
      changedOn: lastChange ? londonDate(lastChange.changedAt) : undefined,
      sections: await summaryOf(request, record),
      panelNotification: panelNotificationOpen.includes(record.status)
        ? {
            href: `/cases/${record.caseId}/panel-notification`,
            uploaded: record.panelNotificationDocument?.fileName,
          }
        : undefined,
    });
  },
};

export const yourNotificationsPages: Page[] = [yourNotificationsPage, yourNotificationPage];
