import { z } from 'zod';
import { requireEnv } from '../env.ts';
import { ConfigurationError } from '../errors.ts';
import { rapidReviewRules } from '../rapid-review-rules.ts';
import { emailAddress, text } from '../schemas/primitives.ts';

const person = z.object({ name: text(120), email: emailAddress });

/**
 * Who one deployment serves (ARCHITECTURE §7). Real addresses, the Panel's mailbox among
 * them, are given at deploy time; the code holds no defaults for them.
 */
export const partnershipProfile = z.object({
  partnershipName: text(200),
  /** The verified SES identity every email is sent from. */
  senderAddress: emailAddress,
  /** The national Panel's mailbox that receives the Rapid Review outcome. */
  panelMailbox: emailAddress,
  /** The partnership team's shared mailbox: failures and escalations go here. */
  partnershipTeamAddress: emailAddress,
  rapidReviewGroup: z.object({
    chair: person,
    members: z.array(person).min(1),
  }),
  executiveBoard: person.optional(),
  /** Strategic safeguarding leads by agency name, copied on escalations when known. */
  agencyStrategicLeads: z.record(z.string(), person).default({}),
  /** Working hours, reminder day and the other timetable rules; defaults apply. */
  rules: rapidReviewRules.optional(),
});
export type PartnershipProfile = z.infer<typeof partnershipProfile>;

/** Parses a profile, naming every bad field in one message. */
export function parsePartnershipProfile(json: string): PartnershipProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (error) {
    throw new ConfigurationError(`The partnership profile is not valid JSON: ${(error as Error).message}`);
  }
  const result = partnershipProfile.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigurationError(`The partnership profile is invalid: ${problems.join('; ')}`);
  }
  return result.data;
}

/** The profile from the environment, read once per container. */
let cached: PartnershipProfile | undefined;
export function loadPartnershipProfile(): PartnershipProfile {
  cached ??= parsePartnershipProfile(requireEnv('partnershipProfile'));
  return cached;
}
