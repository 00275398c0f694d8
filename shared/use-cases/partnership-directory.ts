import { agencyIdFor } from '../cases/open-case.ts';
import { type PartnershipProfile, strategicLeadFor } from '../config/partnership-profile.ts';
import { type InvalidField, InvalidInputError, NotFoundError } from '../errors.ts';
import { type DirectoryEntry, type DirectoryPerson, directoryPerson } from '../schemas/directory.ts';
import { emailAddress, text } from '../schemas/primitives.ts';
import type { Service } from '../service.ts';

/**
 * The partnership directory (issue 11 part 6): the agencies the partnership works with, each with
 * its usual single point of contact and its strategic safeguarding lead, kept by the partnership
 * team on its pages. The notify pages offer its agencies; the escalation ladder copies its leads.
 *
 * Until the team first changes it, the directory is the profile's agencies (the strategic leads
 * the profile holds, keyed by agency id or, in the older form, by name): they have a lead and no
 * contact. The team's first change stores them, and from then on the stored entries are the
 * directory, so an agency removed from it stays removed though the profile still names it.
 */
type DirectoryPorts = Pick<Service, 'cases' | 'profile' | 'clock'>;

/** The profile's agencies as directory entries: name-keyed leads keep their name; id-keyed ones are named from the id. */
export function profileDirectory(
  profile: Pick<PartnershipProfile, 'agencyStrategicLeads' | 'agencyStrategicLeadsById'>,
  at: string,
): DirectoryEntry[] {
  const entries = new Map<string, DirectoryEntry>();
  const entry = (agencyId: string, name: string, lead: DirectoryPerson): DirectoryEntry => ({
    agencyId,
    name,
    strategicLead: { name: lead.name, email: lead.email },
    version: 1,
    updatedAt: at,
  });
  for (const [name, lead] of Object.entries(profile.agencyStrategicLeads ?? {})) {
    const agencyId = agencyIdFor(name);
    if (!entries.has(agencyId)) entries.set(agencyId, entry(agencyId, name.trim(), lead));
  }
  // An id-keyed lead is the one `strategicLeadFor` prefers, so it wins over a name-keyed one.
  for (const [agencyId, lead] of Object.entries(profile.agencyStrategicLeadsById ?? {})) {
    entries.set(agencyId, entry(agencyId, entries.get(agencyId)?.name ?? nameFromId(agencyId), lead));
  }
  return [...entries.values()];
}

/** An agency id read as a name: `childrens-social-care` → "Childrens social care". */
function nameFromId(agencyId: string): string {
  const words = agencyId.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const byName = (a: DirectoryEntry, b: DirectoryEntry) =>
  a.name.localeCompare(b.name, 'en-GB', { sensitivity: 'base' });

/** The directory, by name: the stored entries once kept, the profile's agencies before. */
export async function partnershipDirectory(
  service: DirectoryPorts,
): Promise<{ kept: boolean; entries: DirectoryEntry[] }> {
  const stored = await service.cases.getDirectory();
  const entries = stored.kept
    ? stored.entries
    : profileDirectory(service.profile, service.clock.now().toISOString());
  return { kept: stored.kept, entries: [...entries].sort(byName) };
}

/** One agency of the directory by its id, or undefined. */
export async function directoryEntryOf(
  service: DirectoryPorts,
  agencyId: string,
): Promise<DirectoryEntry | undefined> {
  const { entries } = await partnershipDirectory(service);
  return entries.find((entry) => entry.agencyId === agencyId);
}

/**
 * An agency's strategic lead, by its id: the directory's, else the profile's (`strategicLeadFor`);
 * undefined when neither names one. Never matched by the agency's name in the directory.
 */
export async function strategicLeadOf(
  service: Pick<Service, 'cases' | 'profile'>,
  agency: { agencyId: string; agencyName: string },
): Promise<DirectoryPerson | undefined> {
  const stored = await service.cases.getDirectoryEntry(agency.agencyId);
  return stored?.strategicLead ?? strategicLeadFor(service.profile, agency);
}

/** What the partnership team gives for an agency on the directory's pages. */
export interface DirectoryAnswers {
  name: string;
  contactName: string;
  contactEmail: string;
  leadName: string;
  leadEmail: string;
}

/** The fields in the order of the page, with the words their messages use. */
export const directoryFields = {
  name: { label: 'Agency name', enter: 'the agency’s name' },
  contactName: { label: 'Contact’s name', enter: 'the contact’s name' },
  contactEmail: { label: 'Contact’s email address', enter: 'the contact’s email address' },
  leadName: { label: 'Strategic lead’s name', enter: 'the strategic lead’s name' },
  leadEmail: { label: 'Strategic lead’s email address', enter: 'the strategic lead’s email address' },
} as const satisfies Record<keyof DirectoryAnswers, { label: string; enter: string }>;

function fieldProblem(field: keyof DirectoryAnswers, value: string): string | undefined {
  const words = directoryFields[field];
  if (value.trim() === '') return `Enter ${words.enter}`;
  const isEmail = field === 'contactEmail' || field === 'leadEmail';
  const parsed = (isEmail ? emailAddress : text(120)).safeParse(value);
  if (parsed.success) return undefined;
  const message = parsed.error.issues[0]?.message ?? '';
  const most = /(\d+) characters or fewer/.exec(message)?.[1];
  if (most) return `${words.label} must be ${most} characters or fewer`;
  if (isEmail && !/control characters|line break/i.test(message)) {
    return `Enter ${words.enter} in the correct format, like name@example.org`;
  }
  return `${words.label} must not contain control characters`;
}

/**
 * The problems with the answers, each naming its field, in the order of the page: the name, the
 * contact (both required), and the strategic lead (optional, but both or neither). A name another
 * agency of the directory has (in any case) is refused.
 */
export function directoryAnswerProblems(
  answers: DirectoryAnswers,
  others: readonly DirectoryEntry[],
): InvalidField[] {
  const problems: InvalidField[] = [];
  const check = (field: keyof DirectoryAnswers) => {
    const message = fieldProblem(field, answers[field]);
    if (message) problems.push({ field, message });
  };
  check('name');
  const name = answers.name.trim().toLowerCase();
  if (!problems.length && others.some((entry) => entry.name.toLowerCase() === name)) {
    problems.push({
      field: 'name',
      message: `The directory already has an agency called ${answers.name.trim()}`,
    });
  }
  check('contactName');
  check('contactEmail');
  if (answers.leadName.trim() !== '' || answers.leadEmail.trim() !== '') {
    check('leadName');
    check('leadEmail');
  }
  return problems;
}

function entryFields(answers: DirectoryAnswers): Pick<DirectoryEntry, 'name' | 'contact' | 'strategicLead'> {
  const lead =
    answers.leadName.trim() === ''
      ? undefined
      : directoryPerson.parse({ name: answers.leadName, email: answers.leadEmail });
  return {
    name: answers.name.trim(),
    contact: directoryPerson.parse({ name: answers.contactName, email: answers.contactEmail }),
    ...(lead ? { strategicLead: lead } : {}),
  };
}

/** The stored directory, starting it from the profile's agencies when the team first changes it. */
async function keptDirectory(service: DirectoryPorts): Promise<DirectoryEntry[]> {
  const { kept, entries } = await partnershipDirectory(service);
  if (!kept) await service.cases.startDirectory(entries);
  return entries;
}

/**
 * Adds an agency to the directory, its id made from its name (`agencyIdFor`, the id a notified
 * agency of that name gets). InvalidInputError names each field to mend.
 */
export async function addDirectoryEntry(
  service: DirectoryPorts,
  answers: DirectoryAnswers,
): Promise<DirectoryEntry> {
  const entries = await keptDirectory(service);
  const problems = directoryAnswerProblems(answers, entries);
  if (problems.length) throw new InvalidInputError('agency', problems);
  const fields = entryFields(answers);
  const agencyId = agencyIdFor(fields.name, new Set(entries.map((entry) => entry.agencyId)));
  return service.cases.putDirectoryEntry({
    agencyId,
    ...fields,
    updatedAt: service.clock.now().toISOString(),
  });
}

/**
 * Changes an agency's name, contact or lead, keeping its id; `version` is the one the page read
 * (a StaleWriteError when someone changed it since). NotFoundError when it is not in the directory.
 */
export async function changeDirectoryEntry(
  service: DirectoryPorts,
  input: { agencyId: string; version: number; answers: DirectoryAnswers },
): Promise<DirectoryEntry> {
  const entries = await keptDirectory(service);
  const current = entries.find((entry) => entry.agencyId === input.agencyId);
  if (!current) throw new NotFoundError('No agency with this id in the directory');
  const others = entries.filter((entry) => entry.agencyId !== input.agencyId);
  const problems = directoryAnswerProblems(input.answers, others);
  if (problems.length) throw new InvalidInputError('agency', problems);
  return service.cases.putDirectoryEntry(
    {
      agencyId: current.agencyId,
      ...entryFields(input.answers),
      updatedAt: service.clock.now().toISOString(),
    },
    input.version,
  );
}

/** Removes an agency from the directory; cases it is already on keep it. */
export async function removeDirectoryEntry(
  service: DirectoryPorts,
  input: { agencyId: string; version: number },
): Promise<void> {
  const entries = await keptDirectory(service);
  if (!entries.some((entry) => entry.agencyId === input.agencyId)) {
    throw new NotFoundError('No agency with this id in the directory');
  }
  await service.cases.removeDirectoryEntry(input.agencyId, input.version);
}
