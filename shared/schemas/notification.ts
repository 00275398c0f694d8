import { bankHolidayCalendarRange } from '../calendar/working-days.ts';
import { formatDate } from '../workflow/london-time.ts';
import { emailAddress, isoDate, optionalText, text } from './primitives.ts';
import * as z from './zod.ts';

/** How each of the notification's dates is named in messages, by the API and the notify pages alike. */
export const notificationDateLabels = {
  occurredOn: 'Date of incident',
  localAuthorityAwareOn: 'Date the local authority became aware',
  panelNotifiedOn: 'Date the Panel was notified',
  dateOfBirth: 'Date of birth',
} as const;

/**
 * The one rule for a date that has happened: on or before today (the London date of the
 * service's clock). The message when it is not, or undefined. The notify pages and the API both
 * ask this, so they refuse the same dates in the same words.
 */
export function futureDateMessage(label: string, date: string, today: string): string | undefined {
  return date > today ? `${label} must be today or in the past` : undefined;
}

/**
 * The earliest incident the service can time: the first day of the bank holiday calendar, since
 * working days before it cannot be counted. The message for an earlier one, or undefined.
 */
export function tooEarlyIncidentMessage(occurredOn: string): string | undefined {
  const first = bankHolidayCalendarRange().first.toString();
  return occurredOn !== '' && occurredOn < first
    ? `${notificationDateLabels.occurredOn} must be on or after ${formatDate(first, { weekday: false })}`
    : undefined;
}

/** A child born after the incident: the message, or undefined. */
export function bornAfterIncidentMessage(
  dateOfBirth: string | undefined,
  occurredOn: string,
): string | undefined {
  return dateOfBirth !== undefined && occurredOn !== '' && dateOfBirth > occurredOn
    ? `${notificationDateLabels.dateOfBirth} must be on or before the date of the incident`
    : undefined;
}

/** One child named in a serious incident notification (1 to 4 per notification). */
export const notifiedChild = z
  .object({
    name: text(120),
    dateOfBirth: z.optional(isoDate),
    ageYears: z.optional(
      z
        .int({ error: 'Enter the age in whole years' })
        .check(z.gte(0, { error: 'Age must be 0 or more' }), z.lte(17, { error: 'Age must be under 18' })),
    ),
    sex: z.enum(['female', 'male', 'not-known'], { error: 'Select the sex' }),
    ethnicity: text(120),
    lookedAfter: z.boolean({ error: 'Say whether the child is looked after' }),
  })
  .check(
    z.refine((child) => child.dateOfBirth !== undefined || child.ageYears !== undefined, {
      error: 'Enter a date of birth or an age',
      path: ['dateOfBirth'],
    }),
  );

/** An agency asked for a summary, with its single point of contact. */
export const notifiedAgency = z.object({
  name: text(120),
  spoc: z.object({ name: text(120), email: emailAddress }),
});

/** Other processes running alongside the review, which the Rapid Review must coordinate with. */
export const parallelProcesses = z.object({
  policeInvestigation: z.boolean({ error: 'Say whether there is a police investigation' }),
  childDeathReview: z.boolean({ error: 'Say whether there is a child death review' }),
  safeguardingAdultReview: z.boolean({ error: 'Say whether there is a safeguarding adult review' }),
  domesticHomicideReview: z.boolean({ error: 'Say whether there is a domestic homicide review' }),
  other: optionalText(500, { multiline: true }),
});

/**
 * The incident's dates run in order: the incident (no earlier than the calendar's first day), then
 * the local authority's awareness, then the notification to the Panel. Shared by the notification schema and the notify pages, so
 * both say the same thing.
 */
export function checkIncidentDateOrder(
  incident: { occurredOn: string; localAuthorityAwareOn: string; panelNotifiedOn: string },
  ctx: z.core.$RefinementCtx,
): void {
  const tooEarly = tooEarlyIncidentMessage(incident.occurredOn);
  if (tooEarly) ctx.addIssue({ code: 'custom', path: ['incident', 'occurredOn'], message: tooEarly });
  if (incident.localAuthorityAwareOn < incident.occurredOn) {
    ctx.addIssue({
      code: 'custom',
      path: ['incident', 'localAuthorityAwareOn'],
      message: 'The date the local authority became aware must be on or after the incident',
    });
  }
  if (incident.panelNotifiedOn < incident.localAuthorityAwareOn) {
    ctx.addIssue({
      code: 'custom',
      path: ['incident', 'panelNotifiedOn'],
      message: 'The date the Panel was notified must be on or after the local authority became aware',
    });
  }
}

/** The serious incident notification a local authority sends the partnership. */
export const seriousIncidentNotification = z
  .object({
    notifyingLocalAuthority: text(120),
    incident: z.object({
      kind: z.enum(['death', 'serious-harm'], { error: 'Select death or serious harm' }),
      occurredOn: isoDate,
      location: text(200),
      localAuthorityAwareOn: isoDate,
      panelNotifiedOn: isoDate,
      panelReference: text(60),
      summary: optionalText(4000, { multiline: true }),
    }),
    children: z
      .array(notifiedChild, { error: 'Add at least one child' })
      .check(
        z.minLength(1, { error: 'Add at least one child' }),
        z.maxLength(4, { error: 'A notification names at most 4 children' }),
      ),
    agencies: z
      .array(notifiedAgency, { error: 'Add at least one agency' })
      .check(
        z.minLength(1, { error: 'Add at least one agency' }),
        z.maxLength(30, { error: 'A notification names at most 30 agencies' }),
      ),
    notifier: z.object({
      name: text(120),
      role: text(120),
      email: emailAddress,
      phone: optionalText(40),
    }),
    parallelProcesses,
  })
  .check(
    z.superRefine((notification, ctx) => {
      checkIncidentDateOrder(notification.incident, ctx);
      notification.children.forEach((child, index) => {
        const message = bornAfterIncidentMessage(child.dateOfBirth, notification.incident.occurredOn);
        if (message) ctx.addIssue({ code: 'custom', path: ['children', index, 'dateOfBirth'], message });
      });
      const seen = new Set<string>();
      notification.agencies.forEach((agency, index) => {
        const key = agency.name.toLowerCase();
        if (seen.has(key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['agencies', index, 'name'],
            message: 'Each agency must be named once',
          });
        }
        seen.add(key);
      });
    }),
  );

/**
 * The notification as it may be received on `today` (YYYY-MM-DD, the London date of the service's
 * clock): every date that has happened is on or before today.
 */
export function seriousIncidentNotificationOn(today: string) {
  return seriousIncidentNotification.check(
    z.superRefine((notification, ctx) => {
      const { incident } = notification;
      for (const field of ['occurredOn', 'localAuthorityAwareOn', 'panelNotifiedOn'] as const) {
        const message = futureDateMessage(notificationDateLabels[field], incident[field], today);
        if (message) ctx.addIssue({ code: 'custom', path: ['incident', field], message });
      }
      notification.children.forEach((child, index) => {
        if (child.dateOfBirth === undefined) return;
        const message = futureDateMessage(notificationDateLabels.dateOfBirth, child.dateOfBirth, today);
        if (message) ctx.addIssue({ code: 'custom', path: ['children', index, 'dateOfBirth'], message });
      });
    }),
  );
}

export type SeriousIncidentNotification = z.infer<typeof seriousIncidentNotification>;
export type NotifiedChild = z.infer<typeof notifiedChild>;
export type NotifiedAgency = z.infer<typeof notifiedAgency>;
