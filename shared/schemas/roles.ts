import { nonEmpty } from './primitives.ts';
import * as z from './zod.ts';

/** The staff roles; on AWS they are Cognito groups of the same names. */
export const staffRole = z.enum([
  'notifier',
  'partnership-team',
  'rrg-member',
  'rrg-chair',
  'scrutineer',
  // The partners' sign-offs (issue 9 part 4): a safeguarding partner's lead or delegate, whose
  // partner the profile names by their email; and the Executive Board chair, who resolves a
  // partner's disagreement.
  'safeguarding-partner',
  'executive-board',
  // The engineer on call (issue 12 part 4): watches the workflow's executions on the operations
  // pages and resumes a failed case. Never a reader of cases: they see case references, never a
  // child's name or details.
  'operator',
  // The Practice Review Group's way in (issue 13 part 1): any agency's contact who refers a case
  // that was not notifiable, and a member of the group, who records its decision on a referral.
  'referrer',
  'prg-member',
  // The independent reviewer of a Local Child Safeguarding Practice Review (issue 13 part 2): sees
  // only the reviews whose recorded reviewer has their sign-in's email, and none of the cases.
  'reviewer',
]);
export type StaffRole = z.infer<typeof staffRole>;

/** The three safeguarding partners (Working Together to Safeguard Children 2023), whom a `safeguarding-partner` signs off for. */
export const safeguardingPartner = z.enum(['local-authority', 'police', 'health']);
export type SafeguardingPartner = z.infer<typeof safeguardingPartner>;

/**
 * Who may open a case's page and read who the child is (their name, address, NHS number) and
 * the notification that names them: the partnership team, the Rapid Review Group, the
 * safeguarding partners and the Executive Board chair. Never the scrutineer nor the operator.
 */
export const caseReaders: readonly StaffRole[] = [
  'partnership-team',
  'rrg-member',
  'rrg-chair',
  'safeguarding-partner',
  'executive-board',
];

/** Who did something: a signed-in person, an agency through its capability link, or the workflow itself. */
export const actor = z.discriminatedUnion('kind', [
  /** `name`: the person's name as their sign-in gave it when they acted, for the audit trail people read (absent on older events). */
  z.object({ kind: z.literal('staff'), id: nonEmpty(), role: staffRole, name: z.optional(nonEmpty()) }),
  z.object({ kind: z.literal('agency'), agencyId: nonEmpty() }),
  z.object({ kind: z.literal('system'), id: nonEmpty() }),
]);
export type Actor = z.infer<typeof actor>;

export const systemActor = (component: string): Actor => ({ kind: 'system', id: component });

/** A member of staff acting in one of their roles, as the audit records them: their id, and their name when their sign-in gave one. */
export const staffActor = (
  member: Pick<StaffMember, 'id' | 'name'>,
  role: StaffRole,
): Extract<Actor, { kind: 'staff' }> => ({
  kind: 'staff',
  id: member.id,
  role,
  ...(member.name?.trim() ? { name: member.name.trim() } : {}),
});

/** A signed-in member of staff, as a use case sees them: who (an id, never a name) and their roles. */
export interface StaffMember {
  id: string;
  roles: readonly StaffRole[];
  /** The person's name, as their sign-in names them (the ID token's `name`, or their email), for what people read. */
  name?: string;
  /** The person's email, as their sign-in gives it (the ID token's `email`): how the profile finds a safeguarding partner. */
  email?: string;
}
