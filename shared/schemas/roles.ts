import { z } from 'zod';

/** The staff roles; on AWS they are Cognito groups of the same names. */
export const staffRole = z.enum(['notifier', 'partnership-team', 'rrg-member', 'rrg-chair', 'scrutineer']);
export type StaffRole = z.infer<typeof staffRole>;

/** Who did something: a signed-in person, an agency through its capability link, or the workflow itself. */
export const actor = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('staff'), id: z.string().min(1), role: staffRole }),
  z.object({ kind: z.literal('agency'), agencyId: z.string().min(1) }),
  z.object({ kind: z.literal('system'), id: z.string().min(1) }),
]);
export type Actor = z.infer<typeof actor>;

export const systemActor = (component: string): Actor => ({ kind: 'system', id: component });
