import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { EmailMessage } from '../adapters/mailer.ts';
import { hashAgencyToken, looksLikeAgencyToken } from '../agency-links.ts';
import { CaseNotFoundError, DomainError, InvalidInputError } from '../errors.ts';
import { logInfo, logWarning } from '../log.ts';
import type { AgencyRequest, CaseRecord } from '../schemas/case.ts';
import {
  addressInOneLine,
  childLabel,
  formatNhsNumber,
  type HouseholdMember,
  householdMember,
  notifiedChild,
} from '../schemas/notification.ts';
import type { Actor } from '../schemas/roles.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { DetailsCode } from '../stores/agency-details-codes.ts';
import { emailSubject } from '../workflow/email-subject.ts';
import { formatDate } from '../workflow/london-time.ts';
import { LinkNotUsableError, linkStanding, revoked } from './agency-request.ts';

/**
 * Issue 10 part 1, "The agency knows which child, safely". Emails never name a child, so the
 * agency's contact proves they hold the addressed mailbox before the child's identifying details
 * are shown: a 6-digit code is emailed to them (only its salted hash is kept), valid 10 minutes
 * for 5 tries; the right code lets this browser see the details for DETAILS_PROOF_SECONDS. Every
 * view is an audit event. Returning a file or a structured return needs only the link.
 */

/** How long a code works. */
export const DETAILS_CODE_SECONDS = 10 * 60;
/** How many codes may be tried before a new one must be asked for. */
export const DETAILS_CODE_TRIES = 5;
/** At most one new code a minute for a link: a mailbox is not flooded, and guessing gains nothing. */
export const DETAILS_CODE_INTERVAL_SECONDS = 60;
/** How long a browser that entered the right code may see the details (a browser-session cookie besides). */
export const DETAILS_PROOF_SECONDS = 30 * 60;

export type AgencyDetailsPorts = Pick<Service, 'cases' | 'clock' | 'profile' | 'agencyDetailsCodes'>;

/** A new code was asked for less than a minute after the last one. */
export class CodeAskedTooSoonError extends DomainError {
  override readonly name = 'CodeAskedTooSoon';
  override readonly kind = 'refused';
  readonly secondsToWait: number;
  constructor(secondsToWait: number) {
    super('A new code was asked for less than a minute ago', 'Too soon');
    this.secondsToWait = secondsToWait;
  }
}

/** The code cannot be tried any more: none was asked for, it expired, was used, or ran out of tries. */
export class CodeNotUsableError extends DomainError {
  override readonly name = 'CodeNotUsable';
  override readonly kind = 'refused';
  readonly reason: 'none' | 'expired' | 'no-tries-left' | 'used';
  constructor(reason: 'none' | 'expired' | 'no-tries-left' | 'used') {
    super('Ask for a new code', 'Code not usable');
    this.reason = reason;
  }
}

/** The code entered is not the one sent; `triesLeft` more may be tried. */
export class WrongCodeError extends DomainError {
  override readonly name = 'WrongCode';
  override readonly kind = 'refused';
  readonly triesLeft: number;
  constructor(triesLeft: number) {
    super('The code is not the one we sent', 'Wrong code');
    this.triesLeft = triesLeft;
  }
}

/** The details were asked for without a proof for this link that is still good. */
export class DetailsProofNeededError extends DomainError {
  override readonly name = 'DetailsProofNeeded';
  override readonly kind = 'forbidden';
  constructor() {
    super('Enter the code we email you to see these details', 'Forbidden');
  }
}

/** What a browser is given once it entered the right code: the link it is for, and until when. */
export interface DetailsProof {
  tokenHash: string;
  expiresAt: string;
}

export const detailsProof = z.object({ tokenHash: z.string(), expiresAt: z.string() });

interface LinkedAgency {
  tokenHash: string;
  record: CaseRecord;
  agency: AgencyRequest;
}

/** A working link's case and agency; otherwise the same LinkNotUsableError as the agency's page. */
async function resolveLink(service: Pick<Service, 'cases' | 'clock'>, token: string): Promise<LinkedAgency> {
  if (!looksLikeAgencyToken(token)) throw new LinkNotUsableError('not-found');
  const tokenHash = hashAgencyToken(token);
  const link = await service.cases.findAgencyLink(tokenHash);
  if (!link) throw new LinkNotUsableError('not-found');
  if (service.clock.now().getTime() >= Date.parse(link.expiresAt)) throw new LinkNotUsableError('forbidden');
  try {
    const file = await service.cases.getCaseWithAgencies(link.caseId);
    const agency = file.agencies.find((candidate) => candidate.agencyId === link.agencyId);
    if (!agency) throw new LinkNotUsableError('not-found');
    // Stopped by the partnership team, as the agency's page is: a newer link replaced this one,
    // the agency was removed, or the case withdrawn.
    if (revoked(file.case, agency, linkStanding(link))) throw new LinkNotUsableError('forbidden');
    return { tokenHash, record: file.case, agency };
  } catch (error) {
    if (error instanceof CaseNotFoundError) throw new LinkNotUsableError('not-found');
    throw error;
  }
}

const agencyActor = (agency: AgencyRequest): Actor => ({ kind: 'agency', agencyId: agency.agencyId });

/** A mailbox partly masked, as the page names it: "j•••@example.org". */
export function maskedMailbox(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${address.slice(0, 1)}•••${address.slice(at)}`;
}

function hashCode(salt: string, code: string): string {
  return createHash('sha256').update(`${salt}:${code}`, 'utf8').digest('hex');
}

/** What the first details page says before any code: the case, the agency and whose mailbox. */
export interface DetailsGate {
  caseReference: string;
  agency: string;
  partnership: string;
  mailbox: string;
}

/**
 * The page before the code: which mailbox the code would go to, partly masked.
 *
 * @throws LinkNotUsableError
 */
export async function showDetailsGate(
  service: AgencyDetailsPorts,
  request: { token: string },
): Promise<DetailsGate> {
  const { record, agency } = await resolveLink(service, request.token);
  return {
    caseReference: record.reference,
    agency: agency.agencyName,
    partnership: service.profile.partnershipName,
    mailbox: maskedMailbox(agency.spoc.email),
  };
}

/**
 * Makes a new 6-digit code for the link, keeps only its salted hash (with its expiry and 5
 * tries), replacing any earlier code, and emails it to the agency's contact. The email names
 * neither the child nor the case's details. Refused within a minute of the last code.
 *
 * @throws LinkNotUsableError, CodeAskedTooSoonError
 */
export async function sendDetailsCode(
  service: AgencyDetailsPorts & Pick<Service, 'mailer'>,
  request: { token: string },
): Promise<{ mailbox: string; expiresAt: string }> {
  const { tokenHash, record, agency } = await resolveLink(service, request.token);
  const now = service.clock.now();
  const earlier = await service.agencyDetailsCodes.find(tokenHash);
  if (earlier) {
    const waitMs = Date.parse(earlier.issuedAt) + DETAILS_CODE_INTERVAL_SECONDS * 1000 - now.getTime();
    if (waitMs > 0) throw new CodeAskedTooSoonError(Math.ceil(waitMs / 1000));
  }
  const code = randomInt(0, 1_000_000).toString().padStart(6, '0');
  const salt = randomBytes(16).toString('hex');
  const issuedAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + DETAILS_CODE_SECONDS * 1000).toISOString();
  const stored: DetailsCode = {
    tokenHash,
    caseId: record.caseId,
    agencyId: agency.agencyId,
    codeHash: hashCode(salt, code),
    salt,
    issuedAt,
    expiresAt,
    triesLeft: DETAILS_CODE_TRIES,
    version: (earlier?.version ?? 0) + 1,
  };
  await service.agencyDetailsCodes.save(stored, earlier?.version, {
    actor: agencyActor(agency),
    at: issuedAt,
    action: 'agency.details-code-sent',
    reason: "A code to see the child's details was emailed to the agency's contact",
    details: { agencyId: agency.agencyId },
  });
  // Keyed by the code's own version: a retry of this send never sends it twice, a new code always goes.
  await service.mailer.sendOnce(
    `${record.caseId}:AgencyDetailsCode:${agency.agencyId}:${issuedAt}`,
    detailsCodeEmail(service.profile, record, agency, code),
  );
  logInfo('Agency details code sent', { caseId: record.caseId, agencyId: agency.agencyId });
  return { mailbox: maskedMailbox(agency.spoc.email), expiresAt };
}

/** The code, to the agency's contact only; it names the case by its reference, never the child. */
export function detailsCodeEmail(
  profile: Pick<Service['profile'], 'partnershipName' | 'partnershipTeamAddress'>,
  record: Pick<CaseRecord, 'reference'>,
  agency: Pick<AgencyRequest, 'spoc'>,
  code: string,
): EmailMessage {
  return {
    to: [agency.spoc.email],
    replyTo: [profile.partnershipTeamAddress],
    subject: emailSubject(record.reference, 'your code to see which child this case is about'),
    text: [
      `Your code is ${code}. It works for 10 minutes.`,
      '',
      `Enter it on the page you asked for it from, to see which child case ${record.reference} is about.`,
      '',
      `If you did not ask for a code, you can ignore this email, or tell ${profile.partnershipName} by replying to it.`,
    ].join('\n'),
  };
}

/** A code as typed: 6 digits, spaces allowed between them. */
const enteredCode = z.string({ error: 'Enter the 6-digit code from the email' }).check(
  z.maxLength(20, { error: 'The code is 6 digits' }),
  z.refine((value) => value.trim() !== '', { error: 'Enter the 6-digit code from the email' }),
  z.refine((value) => value.trim() === '' || /^\d{6}$/.test(value.replace(/\s/g, '')), {
    error: 'The code is 6 digits',
  }),
);

/**
 * Checks a code entered for the link. The right one (once, within its 10 minutes) answers a
 * proof for this link; a wrong one spends a try and says how many are left.
 *
 * @throws LinkNotUsableError, InvalidInputError (`code`), CodeNotUsableError, WrongCodeError
 */
export async function verifyDetailsCode(
  service: AgencyDetailsPorts,
  request: { token: string; code: unknown },
): Promise<DetailsProof> {
  const { tokenHash, agency } = await resolveLink(service, request.token);
  const parsed = enteredCode.safeParse(request.code);
  if (!parsed.success) {
    throw new InvalidInputError('code', [
      { field: 'code', message: parsed.error.issues[0]?.message ?? 'The code is 6 digits' },
    ]);
  }
  const entered = parsed.data.replace(/\s/g, '');
  const now = service.clock.now();
  const stored = await service.agencyDetailsCodes.find(tokenHash);
  if (!stored) throw new CodeNotUsableError('none');
  if (stored.usedAt) throw new CodeNotUsableError('used');
  if (now.getTime() >= Date.parse(stored.expiresAt)) throw new CodeNotUsableError('expired');
  if (stored.triesLeft <= 0) throw new CodeNotUsableError('no-tries-left');
  const right = timingSafeEqual(
    Buffer.from(hashCode(stored.salt, entered), 'hex'),
    Buffer.from(stored.codeHash, 'hex'),
  );
  const at = now.toISOString();
  const base = { actor: agencyActor(agency), at, details: { agencyId: agency.agencyId } };
  if (!right) {
    const triesLeft = stored.triesLeft - 1;
    await service.agencyDetailsCodes.save(
      { ...stored, triesLeft, version: stored.version + 1 },
      stored.version,
      {
        ...base,
        action: 'agency.details-code-wrong',
        reason: `A wrong code was entered; ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left`,
        details: { agencyId: agency.agencyId, triesLeft },
      },
    );
    logWarning('Wrong agency details code', { caseId: stored.caseId, agencyId: agency.agencyId, triesLeft });
    if (triesLeft === 0) throw new CodeNotUsableError('no-tries-left');
    throw new WrongCodeError(triesLeft);
  }
  await service.agencyDetailsCodes.save(
    { ...stored, usedAt: at, version: stored.version + 1 },
    stored.version,
    {
      ...base,
      action: 'agency.details-code-entered',
      reason: "The agency's contact entered the emailed code",
    },
  );
  return { tokenHash, expiresAt: new Date(now.getTime() + DETAILS_PROOF_SECONDS * 1000).toISOString() };
}

/** One child as the agency's contact sees them once proven. */
export interface ChildDetails {
  name: string;
  /** "14 May 2019", "Age 6", or "Not known". */
  dateOfBirthOrAge: { label: 'Date of birth' | 'Age'; value: string };
  sex?: string;
  lookedAfter?: boolean;
  careLeaver?: boolean;
  /** Where the child lives, its lines joined by commas, if the notification gives it. */
  address?: string;
  /** "943 476 5919", if the notification gives it. */
  nhsNumber?: string;
}

/** What the details page shows: who the case is about and the incident's basic facts. */
export interface AgencyDetailsView {
  caseReference: string;
  agency: string;
  partnership: string;
  /** undefined when the notification document could not be read. */
  children?: ChildDetails[];
  /** The household members the notification names: who, and how related to the child. */
  householdMembers?: HouseholdMember[];
  incident?: { kind: string; occurredOn: string; location?: string };
}

const sexInWords: Record<string, string> = { female: 'Female', male: 'Male', 'not-known': 'Not known' };

const incidentFacts = z.object({
  kind: z.enum(['death', 'serious-harm']),
  occurredOn: z.string(),
  location: z.optional(z.string()),
});

function childDetails(child: z.infer<typeof notifiedChild>): ChildDetails {
  const dateOfBirthOrAge: ChildDetails['dateOfBirthOrAge'] = child.dateOfBirth
    ? { label: 'Date of birth', value: formatDate(child.dateOfBirth, { weekday: false }) }
    : child.ageYears !== undefined
      ? { label: 'Age', value: `${child.ageYears} ${child.ageYears === 1 ? 'year' : 'years'}` }
      : { label: 'Date of birth', value: child.identity === 'unborn' ? 'Not born yet' : 'Not known' };
  return {
    name: childLabel(child),
    dateOfBirthOrAge,
    ...(child.identity === 'unborn' ? {} : { sex: sexInWords[child.sex] ?? 'Not known' }),
    lookedAfter: child.lookedAfter,
    ...(child.careLeaver ? { careLeaver: true } : {}),
    ...(child.address ? { address: addressInOneLine(child.address) } : {}),
    ...(child.nhsNumber ? { nhsNumber: formatNhsNumber(child.nhsNumber) } : {}),
  };
}

/**
 * The child's identifying details and the incident's basic facts, from the notification
 * document, for a browser holding a good proof for this link; records the view as an audit
 * event (who: the agency link; which agency; when), which holds none of the details.
 *
 * @throws LinkNotUsableError, DetailsProofNeededError
 */
export async function showAgencyChildDetails(
  service: AgencyDetailsPorts & Pick<Service, 'documents'>,
  request: { token: string; proof: DetailsProof | undefined },
): Promise<AgencyDetailsView> {
  const { tokenHash, record, agency } = await resolveLink(service, request.token);
  const now = service.clock.now();
  const { proof } = request;
  if (!proof || proof.tokenHash !== tokenHash || !(now.getTime() < Date.parse(proof.expiresAt))) {
    throw new DetailsProofNeededError();
  }
  const view: AgencyDetailsView = {
    caseReference: record.reference,
    agency: agency.agencyName,
    partnership: service.profile.partnershipName,
  };
  try {
    const bytes = await service.documents.getBytes(record.notificationDocumentKey);
    const document = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    const children = (Array.isArray(document.children) ? document.children : []).flatMap((child) => {
      const parsed = notifiedChild.safeParse(child);
      return parsed.success ? [childDetails(parsed.data)] : [];
    });
    view.children = children;
    const household = z.array(householdMember).safeParse(document.householdMembers);
    if (household.success && household.data.length > 0) view.householdMembers = household.data;
    const incident = incidentFacts.safeParse(document.incident);
    if (incident.success) {
      view.incident = {
        kind: incident.data.kind === 'death' ? 'A child died' : 'A child was seriously harmed',
        occurredOn: formatDate(incident.data.occurredOn, { weekday: false }),
        ...(incident.data.location ? { location: incident.data.location } : {}),
      };
    }
  } catch (error) {
    logWarning('The case notification document could not be read', {
      caseId: record.caseId,
      error: error instanceof Error ? error.name : 'unknown',
    });
  }
  await service.agencyDetailsCodes.audit(record.caseId, {
    actor: agencyActor(agency),
    at: now.toISOString(),
    action: 'agency.details-viewed',
    reason: "The agency's contact viewed the child's identifying details",
    details: { agencyId: agency.agencyId },
  });
  return view;
}
