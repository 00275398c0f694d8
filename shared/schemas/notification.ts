import { emailAddress, isoDate, optionalText, text } from './primitives.ts';
import * as z from './zod.ts';

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
  other: optionalText(500),
});

/**
 * The incident's dates run in order: the incident, then the local authority's awareness, then
 * the notification to the Panel. Shared by the notification schema and the notify pages, so
 * both say the same thing.
 */
export function checkIncidentDateOrder(
  incident: { occurredOn: string; localAuthorityAwareOn: string; panelNotifiedOn: string },
  ctx: z.core.$RefinementCtx,
): void {
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
      summary: optionalText(4000),
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

export type SeriousIncidentNotification = z.infer<typeof seriousIncidentNotification>;
export type NotifiedChild = z.infer<typeof notifiedChild>;
export type NotifiedAgency = z.infer<typeof notifiedAgency>;
