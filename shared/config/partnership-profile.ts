import { agencyIdFor } from '../cases/open-case.ts';
import { envNames, requireEnv } from '../env.ts';
import { ConfigurationError } from '../errors.ts';
import { type LocalReviewRules, localReviewRules } from '../local-review-rules.ts';
import { logWarning } from '../log.ts';
import { defaultRapidReviewRules, type RapidReviewRules, rapidReviewRules } from '../rapid-review-rules.ts';
import { agencyId, emailAddress, isoDate, text } from '../schemas/primitives.ts';
import { type SafeguardingPartner, safeguardingPartner } from '../schemas/roles.ts';
import * as z from '../schemas/zod.ts';

const person = z.object({ name: text(120), email: emailAddress });

export { type SafeguardingPartner, safeguardingPartner } from '../schemas/roles.ts';

/** Each partner as people read it, in the 2023 names. */
export const safeguardingPartnerNames: Record<SafeguardingPartner, string> = {
  'local-authority': 'Local authority',
  police: 'Chief officer of police',
  health: 'Integrated care board',
};

/** One partner's lead safeguarding partner and their delegated safeguarding partners. */
const partnerPeople = z.object({ lead: person, delegates: z._default(z.array(person), []) });

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
    /**
     * Members who may chair a case in the chair's place (a rotating chair, a deputy): they get the
     * papers, and are copied on the chair's decision-due and overdue emails; any of them, signed
     * in with the chair's role, may record the group's decision.
     */
    deputyChairs: z._default(z.array(person), []),
    members: z.array(person).check(z.minLength(1)),
  }),
  executiveBoard: z.optional(person),
  /**
   * Who signs off the decision for each safeguarding partner: a signed-in `safeguarding-partner`
   * is the partner whose lead or delegate has their email. Required: the submission to the Panel
   * waits for all three partners' sign-off.
   */
  safeguardingPartners: z.object({
    'local-authority': partnerPeople,
    police: partnerPeople,
    health: partnerPeople,
  }),
  /**
   * Strategic safeguarding leads by agency name, copied on escalations when known: the older
   * form, kept for existing profiles. `agencyStrategicLeadsById` is looked at first
   * (`strategicLeadFor`).
   */
  agencyStrategicLeads: z._default(z.record(z.string(), person), {}),
  /**
   * Strategic safeguarding leads by the agency's id (the id intake gives it, `agencyIdFor`:
   * "Children's Social Care" → `childrens-social-care`): copied on escalations, and sent the
   * formal request for information.
   */
  agencyStrategicLeadsById: z._default(z.record(agencyId, person), {}),
  /** Working hours, reminder day and the other timetable rules; defaults apply. */
  rules: z.optional(rapidReviewRules),
  /**
   * Local Child Safeguarding Practice Reviews (issue 13): their target periods, each with a
   * default, and the Secretary of State's mailbox for the notice before publication. The
   * pre-publication notice's working days are a figure each partnership should confirm.
   */
  localReviews: z.optional(localReviewRules),
  /**
   * The Practice Review Group (issue 13): who weighs referrals of cases that were not notifiable.
   * Its members are emailed when a referral's strategic lead approves it; without the group, the
   * partnership team is. A signed-in `prg-member` records the group's decision.
   */
  practiceReviewGroup: z.optional(
    z.object({
      chair: z.optional(person),
      members: z
        .array(person)
        .check(z.minLength(1, { error: 'List at least one member of the Practice Review Group' })),
    }),
  ),
  /**
   * What the privacy notice (`/privacy`) says that only the partnership knows; each part has a
   * default (functions/web/pages/service-information.ts).
   */
  privacyNotice: z.optional(
    z.object({
      /** Who is responsible for the personal information, as a sentence. Default: the safeguarding partners. */
      controller: z.optional(text(500)),
      /** Where people ask about their information (often the data protection officer). Default: the partnership team. */
      contactAddress: z.optional(emailAddress),
      /** How long a case's records are kept, as a sentence from the partnership's records policy. */
      caseRecordsKept: z.optional(text(500)),
    }),
  ),
  /**
   * Who runs the service on AWS (issue 12): `alarmEmails`, the mailboxes told when an alarm fires
   * (a failed review, a function's errors, a message in a dead-letter queue, a bounced email).
   * Each gets an email from SNS asking to confirm the subscription. Without any, the alarms still
   * fire and show on the dashboard, but no one is told.
   */
  operations: z.optional(
    z.object({
      alarmEmails: z
        .array(emailAddress)
        .check(z.maxLength(10, { error: 'List at most 10 alarm email addresses' })),
    }),
  ),
  /** What the accessibility statement (`/accessibility-statement`) says that only the partnership knows. */
  accessibilityStatement: z.optional(
    z.object({
      /** Where to report an accessibility problem or ask for another format. Default: the partnership team. */
      contactAddress: z.optional(emailAddress),
      /** A telephone number for the same, as people dial it. */
      telephone: z.optional(text(40)),
      /** When the partnership last reviewed the statement (YYYY-MM-DD). */
      lastReviewed: z.optional(isoDate),
    }),
  ),
});

export type PartnershipProfile = z.infer<typeof partnershipProfile>;

/**
 * An agency's strategic safeguarding lead: the one keyed by its id, else the one keyed by its
 * name as the case records it, else one whose name-key makes the same id (`Police ` or `police`
 * for the agency `police`); undefined when the profile names none.
 */
export function strategicLeadFor(
  profile: Pick<PartnershipProfile, 'agencyStrategicLeads' | 'agencyStrategicLeadsById'>,
  agency: { agencyId: string; agencyName: string },
): { name: string; email: string } | undefined {
  const byId = profile.agencyStrategicLeadsById ?? {};
  const byName = profile.agencyStrategicLeads ?? {};
  return (
    byId[agency.agencyId] ??
    byName[agency.agencyName] ??
    Object.entries(byName).find(([name]) => agencyIdFor(name) === agency.agencyId)?.[1]
  );
}

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

/**
 * How the profile is kept in Parameter Store, under one path per deployment (`/<prefix>`):
 * `/<prefix>/profile` holds the partnership's own settings (everything but the agencies), and
 * `/<prefix>/agencies/<agency-id>` one agency's strategic lead, keyed by the id intake gives the
 * agency (`agencyIdFor`). Each value is JSON within a standard parameter's 4 KB, so the profile
 * grows with its agencies, not against Lambda's 4 KB of environment.
 */
export const profileParameterLimit = 4096;

/** One stored parameter: its full name and its JSON value. */
export interface ProfileParameter {
  name: string;
  value: string;
}

/** The parameter holding the partnership's own settings, under `path`. */
export const profileParameterName = (path: string) => `${path}/profile`;
/** Where the agencies' parameters live, under `path`. */
export const agencyParametersPath = (path: string) => `${path}/agencies`;

/** One agency's parameter: its lead keyed by the agency's id, or (the older form) by its name. */
const storedAgencyById = z.object({ agencyId, strategicLead: person });
const storedAgencyByName = z.object({ agencyName: z.string(), strategicLead: person });
/** The schema of a stored agency value: by id when it has an `agencyId`, by name otherwise (so errors name its own fields). */
const storedAgencySchema = (value: unknown) =>
  typeof value === 'object' && value !== null && 'agencyId' in value ? storedAgencyById : storedAgencyByName;

/**
 * The parameters a profile is kept as under `path` (`/safeguarding-reviews/prod`): its own
 * settings and one per agency. Refuses a value over a standard parameter's 4 KB, naming it.
 */
export function profileParameters(profile: PartnershipProfile, path: string): ProfileParameter[] {
  const { agencyStrategicLeads, agencyStrategicLeadsById, ...own } = profile;
  // The id-keyed leads take their own ids; a name-keyed lead whose id is taken gets the next free one.
  const taken = new Set<string>(Object.keys(agencyStrategicLeadsById));
  const parameters: ProfileParameter[] = [
    { name: profileParameterName(path), value: JSON.stringify(own) },
    ...Object.entries(agencyStrategicLeadsById).map(([agencyId, strategicLead]) => ({
      name: `${agencyParametersPath(path)}/${agencyId}`,
      value: JSON.stringify({ agencyId, strategicLead }),
    })),
    ...Object.entries(agencyStrategicLeads).map(([agencyName, strategicLead]) => {
      const id = agencyIdFor(agencyName, taken);
      taken.add(id);
      return {
        name: `${agencyParametersPath(path)}/${id}`,
        value: JSON.stringify({ agencyName, strategicLead }),
      };
    }),
  ];
  for (const { name, value } of parameters) {
    const bytes = Buffer.byteLength(value, 'utf8');
    if (bytes > profileParameterLimit) {
      throw new ConfigurationError(
        `The partnership profile's parameter ${name} would be ${bytes} bytes, over Parameter Store's ${profileParameterLimit} for a standard parameter`,
      );
    }
  }
  return parameters;
}

/**
 * The profile put back together from the parameters found under `path`, validated. A missing
 * `/profile` parameter or a malformed value is a ConfigurationError naming the parameter.
 */
export function profileFromParameters(
  path: string,
  parameters: readonly ProfileParameter[],
): PartnershipProfile {
  const ownName = profileParameterName(path);
  const own = parameters.find((parameter) => parameter.name === ownName);
  if (!own) {
    throw new ConfigurationError(
      `The partnership profile is missing: Parameter Store has no parameter ${ownName}. Deploy the stacks with the profile (-c profile=path/to/profile.json), or check ${envNames.partnershipProfilePath}`,
    );
  }
  const agencyPrefix = `${agencyParametersPath(path)}/`;
  const agencyStrategicLeads: Record<string, unknown> = {};
  const agencyStrategicLeadsById: Record<string, unknown> = {};
  for (const parameter of parameters) {
    if (!parameter.name.startsWith(agencyPrefix)) continue;
    const value = parseJson(parameter);
    const parsed = storedAgencySchema(value).safeParse(value);
    if (!parsed.success) {
      throw new ConfigurationError(
        `The partnership profile's parameter ${parameter.name} is invalid: ${parsed.error.issues
          .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
          .join('; ')}`,
      );
    }
    if ('agencyId' in parsed.data) agencyStrategicLeadsById[parsed.data.agencyId] = parsed.data.strategicLead;
    else agencyStrategicLeads[parsed.data.agencyName] = parsed.data.strategicLead;
  }
  const ownSettings = parseJson(own);
  if (typeof ownSettings !== 'object' || ownSettings === null || Array.isArray(ownSettings)) {
    throw new ConfigurationError(`The partnership profile's parameter ${ownName} is not a JSON object`);
  }
  return parsePartnershipProfile(
    JSON.stringify({ ...ownSettings, agencyStrategicLeads, agencyStrategicLeadsById }),
  );
}

function parseJson(parameter: ProfileParameter): unknown {
  try {
    return JSON.parse(parameter.value);
  } catch (error) {
    throw new ConfigurationError(
      `The partnership profile's parameter ${parameter.name} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

/** How long a container keeps the profile it read before reading it again (real time). */
export const profileCacheMilliseconds = 60_000;

/** Reads every parameter under a path (recursively, all pages). */
export type ParameterReader = (path: string) => Promise<ProfileParameter[]>;

let cached: { path: string; profile: PartnershipProfile; readAt: number } | undefined;
/** The read in flight, by path: concurrent calls for the same path share it. */
const reading = new Map<string, Promise<PartnershipProfile>>();

/**
 * Reads the profile from Parameter Store into this container's cache, unless what it holds for
 * the same path is younger than `profileCacheMilliseconds`. The handler wrappers call it once per
 * invocation, so the synchronous `loadPartnershipProfile()` has a profile at most a minute old.
 * Concurrent calls for one path share one read. When Parameter Store cannot be reached (a
 * throttle, an outage) and a profile of the same path is cached, that profile is kept and the
 * read tried again on the next call: a stale profile is better than a failed step.
 * @throws ConfigurationError when the path is not set, the profile parameter is missing or invalid.
 */
export async function refreshPartnershipProfile(
  read: ParameterReader,
  options: { source?: NodeJS.ProcessEnv; now?: () => number } = {},
): Promise<PartnershipProfile> {
  const path = requireEnv('partnershipProfilePath', options.source).replace(/\/+$/, '');
  const now = options.now ?? Date.now;
  if (cached && cached.path === path && now() - cached.readAt < profileCacheMilliseconds)
    return cached.profile;
  let inFlight = reading.get(path);
  if (!inFlight) {
    inFlight = Promise.resolve()
      .then(() => read(path))
      .then((parameters) => {
        const profile = profileFromParameters(path, parameters);
        cached = { path, profile, readAt: now() };
        return profile;
      })
      .finally(() => reading.delete(path));
    reading.set(path, inFlight);
  }
  try {
    return await inFlight;
  } catch (error) {
    if (error instanceof ConfigurationError || cached?.path !== path) throw error;
    logWarning('Kept the cached partnership profile: Parameter Store could not be read', {
      error: (error as Error).name,
    });
    return cached.profile;
  }
}

/**
 * The profile this container last read from Parameter Store (see `refreshPartnershipProfile`,
 * which every handler wrapper calls before its logic runs).
 * @throws ConfigurationError when it has not been read yet.
 */
export function loadPartnershipProfile(): PartnershipProfile {
  if (!cached) {
    throw new ConfigurationError(
      `The partnership profile has not been read from Parameter Store yet (${envNames.partnershipProfilePath} names its path)`,
    );
  }
  return cached.profile;
}

/** Forgets the cached profile (tests, and the local stack when it stops). */
export function forgetPartnershipProfile(): void {
  cached = undefined;
}

/** The timetable rules this deployment runs by: the profile's, or the defaults (the Panel's guidance and the partnership's framework). */
export function rulesOf(profile: Pick<PartnershipProfile, 'rules'>): RapidReviewRules {
  return profile.rules ?? defaultRapidReviewRules;
}

/** The local review rules this deployment runs by: the profile's, each with its default. */
export function localReviewRulesOf(profile: Pick<PartnershipProfile, 'localReviews'>): LocalReviewRules {
  return profile.localReviews ?? localReviewRules.parse({});
}

/**
 * The Rapid Review Group as the service writes to it: the chair, the deputy chairs and the
 * members, one person per address (an address listed twice, in any case, gets one email).
 */
export function rapidReviewGroupPeople(
  profile: Pick<PartnershipProfile, 'rapidReviewGroup'>,
): { name: string; email: string }[] {
  const { chair, deputyChairs, members } = profile.rapidReviewGroup;
  const people = new Map<string, { name: string; email: string }>();
  for (const person of [chair, ...deputyChairs, ...members]) {
    const address = person.email.toLowerCase();
    if (!people.has(address)) people.set(address, person);
  }
  return [...people.values()];
}

/** The deputy chairs' addresses that are not the chair's own: whom the chair's emails copy. */
export function deputyChairAddresses(profile: Pick<PartnershipProfile, 'rapidReviewGroup'>): string[] {
  const { chair, deputyChairs } = profile.rapidReviewGroup;
  const chairAddress = chair.email.toLowerCase();
  return [...new Set(deputyChairs.map((deputy) => deputy.email))].filter(
    (address) => address.toLowerCase() !== chairAddress,
  );
}

/** The safeguarding partner whose lead or delegate has this email (any case), if any. */
export function partnerOf(
  profile: Pick<PartnershipProfile, 'safeguardingPartners'>,
  email: string | undefined,
): SafeguardingPartner | undefined {
  if (!email) return undefined;
  const wanted = email.toLowerCase();
  return safeguardingPartner.options.find((partner) => {
    const { lead, delegates } = profile.safeguardingPartners[partner];
    return [lead, ...delegates].some((someone) => someone.email.toLowerCase() === wanted);
  });
}
