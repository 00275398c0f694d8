import { requireEnv } from '../env.ts';
import { ConfigurationError } from '../errors.ts';
import { defaultRapidReviewRules, type RapidReviewRules, rapidReviewRules } from '../rapid-review-rules.ts';
import { emailAddress, text } from '../schemas/primitives.ts';
import * as z from '../schemas/zod.ts';

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
    members: z.array(person).check(z.minLength(1)),
  }),
  executiveBoard: z.optional(person),
  /** Strategic safeguarding leads by agency name, copied on escalations when known. */
  agencyStrategicLeads: z._default(z.record(z.string(), person), {}),
  /** Working hours, reminder day and the other timetable rules; defaults apply. */
  rules: z.optional(rapidReviewRules),
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

/** The profile from the environment, parsed once per container (and again only if the variable changes). */
let cached: { json: string; profile: PartnershipProfile } | undefined;
export function loadPartnershipProfile(): PartnershipProfile {
  const json = requireEnv('partnershipProfile');
  if (cached?.json !== json) cached = { json, profile: parsePartnershipProfile(json) };
  return cached.profile;
}

/** The timetable rules this deployment runs by: the profile's, or the statutory defaults. */
export function rulesOf(profile: Pick<PartnershipProfile, 'rules'>): RapidReviewRules {
  return profile.rules ?? defaultRapidReviewRules;
}
