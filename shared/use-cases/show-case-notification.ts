import { NotFoundError } from '../errors.ts';
import { logWarning } from '../log.ts';
import {
  type CrossBorder,
  crossBorder,
  type DeathNotifications,
  deathNotifications,
  type HouseholdMember,
  householdMember,
  isLookedAfterOrCareLeaverDeath,
  type NotifiedChild,
  notifiedChild,
} from '../schemas/notification.ts';
import { caseId as caseIdSchema, isoDate } from '../schemas/primitives.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';

/** What reading a case's notification touches. */
export type ShowCaseNotificationPorts = Pick<Service, 'cases' | 'documents'>;

/**
 * What kind of notification a case came from, as the staff who may open the case read it on its
 * page: each child (a name only here, never in the case's JSON), the incident, who notified it,
 * the other processes running alongside, the dates the Secretary of State and Ofsted were told of
 * a looked-after child's or care leaver's death, and a cross-border case's other local authority.
 */
export interface CaseNotificationView {
  incident: { kind: 'death' | 'serious-harm'; occurredOn: string; location?: string; summary?: string };
  children: NotifiedChild[];
  /** Who sent the notification, as the notification gives them (absent when it cannot be read). */
  notifier?: { name: string; role: string; email?: string; phone?: string };
  /** The local authority the notification came from. */
  notifyingLocalAuthority?: string;
  /**
   * The other processes the notification says are running alongside the review (a police
   * investigation, a child death review…): each yes-or-no answer by its field name, and any
   * other process it describes. Every answer it holds is kept, including ones asked after this
   * page was written.
   */
  parallelProcesses?: { answers: Record<string, boolean>; other?: string };
  /** True for the death of a looked-after child or a care leaver. */
  lookedAfterOrCareLeaverDeath: boolean;
  deathNotifications?: DeathNotifications;
  crossBorder?: CrossBorder;
  /** The household members the notification names, if any. */
  householdMembers?: HouseholdMember[];
}

const incidentPart = z.object({
  kind: z.enum(['death', 'serious-harm']),
  occurredOn: isoDate,
  location: z.optional(z.string()),
  summary: z.optional(z.string()),
});
const notifierPart = z.object({
  name: z.string(),
  role: z.string(),
  email: z.optional(z.string()),
  phone: z.optional(z.string()),
});

/** The other processes as the notification holds them: every yes-or-no answer, and the description of any other. */
function processesOf(value: unknown): CaseNotificationView['parallelProcesses'] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const answers: Record<string, boolean> = {};
  let other: string | undefined;
  for (const [key, answer] of Object.entries(value)) {
    if (typeof answer === 'boolean') answers[key] = answer;
    else if (key === 'other' && typeof answer === 'string' && answer.trim() !== '') other = answer.trim();
  }
  return { answers, ...(other ? { other } : {}) };
}

const blank = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

/**
 * Reads the notification the case was opened from (the document the intake stored), taking each
 * part as it parses, so a notification from before a question was asked still shows what it has.
 * Undefined when the document cannot be read or holds no incident: the page says so rather than fail.
 *
 * @throws NotFoundError for an unknown or malformed case id.
 */
export async function showCaseNotification(
  service: ShowCaseNotificationPorts,
  query: { caseId: string },
): Promise<CaseNotificationView | undefined> {
  const parsedId = caseIdSchema.safeParse(query.caseId);
  if (!parsedId.success) throw new NotFoundError('There is no case with this id');
  const record = await service.cases.getCase(parsedId.data);
  if (!record) throw new NotFoundError('There is no case with this id');
  let document: Record<string, unknown>;
  try {
    const bytes = await service.documents.getBytes(record.notificationDocumentKey);
    document = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch (error) {
    logWarning('The case notification document could not be read', {
      caseId: record.caseId,
      error: error instanceof Error ? error.name : 'unknown',
    });
    return undefined;
  }
  const incident = incidentPart.safeParse(document.incident);
  if (!incident.success) return undefined;
  const children = (Array.isArray(document.children) ? document.children : []).flatMap((child) => {
    const parsed = notifiedChild.safeParse(child);
    return parsed.success ? [parsed.data] : [];
  });
  const death = deathNotifications.safeParse(document.deathNotifications);
  const border = crossBorder.safeParse(document.crossBorder);
  const household = z.array(householdMember).safeParse(document.householdMembers);
  const notifier = notifierPart.safeParse(document.notifier);
  const processes = processesOf(document.parallelProcesses);
  const authority =
    typeof document.notifyingLocalAuthority === 'string' ? document.notifyingLocalAuthority : '';
  const { summary: written, ...occurred } = incident.data;
  const summary = blank(written);
  return {
    incident: { ...occurred, ...(summary ? { summary } : {}) },
    ...(notifier.success
      ? {
          notifier: {
            name: notifier.data.name,
            role: notifier.data.role,
            ...(blank(notifier.data.email) ? { email: blank(notifier.data.email) } : {}),
            ...(blank(notifier.data.phone) ? { phone: blank(notifier.data.phone) } : {}),
          },
        }
      : {}),
    ...(blank(authority) ? { notifyingLocalAuthority: blank(authority) } : {}),
    ...(processes ? { parallelProcesses: processes } : {}),
    children,
    lookedAfterOrCareLeaverDeath: isLookedAfterOrCareLeaverDeath({ incident: incident.data, children }),
    ...(death.success ? { deathNotifications: death.data } : {}),
    ...(border.success ? { crossBorder: border.data } : {}),
    ...(household.success && household.data.length > 0 ? { householdMembers: household.data } : {}),
  };
}
