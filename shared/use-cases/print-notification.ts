import { rulesOf } from '../config/partnership-profile.ts';
import { renderPdf } from '../documents/pdf.ts';
import { NotFoundError } from '../errors.ts';
import { logWarning } from '../log.ts';
import {
  crossBorder,
  deathNotifications,
  notifiedAgency,
  notifiedChild,
  parallelProcesses,
} from '../schemas/notification.ts';
import { caseId as caseIdSchema, isoDate, optionalText, text } from '../schemas/primitives.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import { formatInstant } from '../workflow/london-time.ts';
import { type NotificationForPapers, notificationBlocks } from '../workflow/notification-blocks.ts';

/**
 * The notification as a PDF to read and print (issue 11 part 1): made from the notification the
 * case points at whenever it is asked for, so it is there from the moment the case opens and
 * follows every correction at once. The raw document is never offered. It names the child: only
 * the staff who may open the case get it.
 */

const incidentPart = z.object({
  kind: z.enum(['death', 'serious-harm']),
  occurredOn: isoDate,
  location: z.optional(z.string()),
  localAuthorityAwareOn: z.optional(isoDate),
  panelNotifiedOn: z.optional(isoDate),
  panelReference: z.optional(z.string()),
  summary: optionalText(4000, { multiline: true }),
});
const notifierPart = z.object({
  name: text(120),
  role: text(120),
  email: z.optional(z.string()),
  phone: optionalText(40),
});

/**
 * The notification's own fields for the papers, each part as it parses (an older notification
 * still shows what it has); undefined when its document cannot be read.
 */
export async function notificationForPapers(
  service: Pick<Service, 'documents'>,
  record: { caseId: string; notificationDocumentKey: string },
): Promise<NotificationForPapers | undefined> {
  let document: Record<string, unknown>;
  try {
    const bytes = await service.documents.getBytes(record.notificationDocumentKey);
    document = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch (error) {
    logWarning('The case notification document could not be read for the papers or its printable copy', {
      caseId: record.caseId,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return undefined;
  }
  const listOf = <T>(value: unknown, schema: z.ZodMiniType<T>): T[] =>
    (Array.isArray(value) ? value : []).flatMap((item) => {
      const parsed = schema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    });
  const incident = incidentPart.safeParse(document.incident);
  const notifier = notifierPart.safeParse(document.notifier);
  const processes = parallelProcesses.safeParse(document.parallelProcesses);
  const death = deathNotifications.safeParse(document.deathNotifications);
  const border = crossBorder.safeParse(document.crossBorder);
  return {
    ...(typeof document.notifyingLocalAuthority === 'string'
      ? { notifyingLocalAuthority: document.notifyingLocalAuthority }
      : {}),
    ...(incident.success ? { incident: incident.data } : {}),
    children: listOf(document.children, notifiedChild),
    ...(notifier.success ? { notifier: notifier.data } : {}),
    ...(processes.success ? { parallelProcesses: processes.data } : {}),
    ...(death.success ? { deathNotifications: death.data } : {}),
    ...(border.success ? { crossBorder: border.data } : {}),
    agencies: listOf(document.agencies, notifiedAgency).map((agency) => agency.name),
  };
}

/** What printing the notification touches. */
export type PrintNotificationPorts = Pick<Service, 'cases' | 'documents' | 'profile'>;

/** The printable notification: its bytes and the name it is offered under. */
export interface PrintedNotification {
  fileName: string;
  bytes: Uint8Array;
}

/**
 * The case's notification, as it stands now, as a PDF: the case's references, which version it is
 * (as received, or the latest correction: when, by whom and why), then the notification as the
 * papers print it. The same notification gives the same bytes.
 *
 * @throws NotFoundError for an unknown or malformed case id.
 */
export async function printNotification(
  service: PrintNotificationPorts,
  query: { caseId: string },
): Promise<PrintedNotification> {
  const parsedId = caseIdSchema.safeParse(query.caseId);
  if (!parsedId.success) throw new NotFoundError('There is no case with this id');
  const record = await service.cases.getCase(parsedId.data);
  if (!record) throw new NotFoundError('There is no case with this id');
  const timeZone = rulesOf(service.profile).timeZone;
  const latest = record.notificationVersions?.at(-1);
  const version = latest
    ? `Version ${latest.version}, changed at ${formatInstant(latest.changedAt, timeZone)}${latest.changedByName ? ` by ${latest.changedByName}` : ''}: ${latest.reason}`
    : 'As received';
  const bytes = await renderPdf({
    title: 'Serious incident notification',
    author: service.profile.partnershipName,
    createdAt: new Date(latest?.changedAt ?? record.receivedAt),
    footer: `Rapid Review ${record.reference}`,
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Case reference', record.reference],
          ['Panel reference', record.panelReference],
          ['This copy', version],
        ],
      },
      ...notificationBlocks(record, await notificationForPapers(service, record), timeZone),
    ],
  });
  return { fileName: `Notification ${record.reference}.pdf`, bytes };
}
