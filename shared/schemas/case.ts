import { z } from 'zod';
import { agencyId, caseId, emailAddress, isoInstant, text } from './primitives.ts';
import { actor } from './roles.ts';
import { timetable } from './timetable.ts';

/** Where a Rapid Review stands. The workflow moves a case forward through these in order. */
export const caseStatus = z.enum([
  'notified',
  'awaiting-summaries',
  'collating',
  'awaiting-decision',
  'decided',
  'submitted-to-panel',
  'completed',
  'failed',
]);
export type CaseStatus = z.infer<typeof caseStatus>;

/** The chair's decision at the Rapid Review Group meeting. Both reasons are required. */
export const rapidReviewDecision = z.object({
  commissionLocalReview: z.boolean({ error: 'Say whether a local review is commissioned' }),
  localReviewReason: text(4000),
  recommendNationalReview: z.boolean({ error: 'Say whether a national review is recommended' }),
  nationalReviewReason: text(4000),
});
export type RapidReviewDecision = z.infer<typeof rapidReviewDecision>;

/**
 * A case as stored. It holds what the workflow and the case page need; the children's details
 * stay in the notification document in S3.
 */
export const caseRecord = z.object({
  caseId,
  reference: z.string().min(1),
  status: caseStatus,
  version: z.number().int().min(1),
  receivedAt: isoInstant,
  notifyingLocalAuthority: text(120),
  incidentKind: z.enum(['death', 'serious-harm']),
  panelReference: text(60),
  notifierEmail: emailAddress,
  notificationDocumentKey: z.string().min(1),
  timetable,
  agencyIds: z.array(agencyId).min(1),
  /** The step the workflow last reported, for the case page and the engineer on call. */
  currentStep: z.string().min(1),
  decision: rapidReviewDecision.extend({ decidedAt: isoInstant, decidedBy: z.string().min(1) }).optional(),
  failure: z.object({ step: z.string(), error: z.string(), at: isoInstant }).optional(),
  createdAt: isoInstant,
  updatedAt: isoInstant,
});
export type CaseRecord = z.infer<typeof caseRecord>;

/** Where one agency's summary stands. */
export const agencyReturnStatus = z.enum(['pending', 'requested', 'reminded', 'escalated', 'received']);
export type AgencyReturnStatus = z.infer<typeof agencyReturnStatus>;

/** The request to one agency for its summary on one case. */
export const agencyRequest = z.object({
  caseId,
  agencyId,
  agencyName: text(120),
  spoc: z.object({ name: text(120), email: emailAddress }),
  status: agencyReturnStatus,
  /** True when the summary arrived after the Day 10 deadline. */
  late: z.boolean(),
  version: z.number().int().min(1),
  requestedAt: isoInstant.optional(),
  remindedAt: isoInstant.optional(),
  escalatedAt: isoInstant.optional(),
  receivedAt: isoInstant.optional(),
  documentKey: z.string().optional(),
});
export type AgencyRequest = z.infer<typeof agencyRequest>;

/** One entry in a case's audit trail: who, when, what, why. */
export const auditEvent = z.object({
  caseId,
  eventId: z.string().min(1),
  at: isoInstant,
  actor,
  action: z.string().min(1),
  reason: z.string().min(1),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});
export type AuditEvent = z.infer<typeof auditEvent>;
