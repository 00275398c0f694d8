import { type EscalationRungKind, escalationRungKind } from '../rapid-review-rules.ts';
import type { AgencyRequest } from '../schemas/case.ts';

/**
 * Where an agency stands on the escalation ladder (issue 10 part 4), read by the workflow's
 * climb-ladder step and by the case page alike.
 */

/**
 * The rungs an agency has climbed: as recorded on its request, or for one chased before the
 * ladder, read from when it was reminded and escalated.
 */
export function climbedRungs(agency: AgencyRequest): { kind: EscalationRungKind; at: string }[] {
  if (agency.ladder) return agency.ladder;
  return [
    ...(agency.remindedAt ? [{ kind: 'reminder' as const, at: agency.remindedAt }] : []),
    ...(agency.escalatedAt ? [{ kind: 'lead-copied' as const, at: agency.escalatedAt }] : []),
  ];
}

/** Whether an agency is still chased: asked for its summary, not returned it, and not removed from the review. */
export const stillMissing = (agency: AgencyRequest) =>
  agency.status !== 'received' && agency.status !== 'pending' && agency.status !== 'removed';

/** Whether the agency is yet to climb the rung: it has climbed neither it nor any rung above it. */
export function yetToClimb(agency: AgencyRequest, kind: EscalationRungKind): boolean {
  const order = escalationRungKind.options;
  return climbedRungs(agency).every((rung) => order.indexOf(rung.kind) < order.indexOf(kind));
}
