import { randomUUID, timingSafeEqual } from 'node:crypto';
import { informationRequestChaseId } from '../adapters/local-review-workflow.ts';
import { hashAgencyToken, looksLikeAgencyToken, mintAgencyToken } from '../agency-links.ts';
import { CalendarDate, instantAt } from '../calendar/dates.ts';
import {
  addWorkingDays,
  isWorkingDay,
  previousWorkingDay,
  subtractWorkingDays,
} from '../calendar/working-days.ts';
import { rulesOf } from '../config/partnership-profile.ts';
import {
  DomainError,
  DuplicateWriteError,
  InvalidInputError,
  NotFoundError,
  StaleWriteError,
} from '../errors.ts';
import { countEscalations } from '../metrics.ts';
import { type EscalationRungKind, LAST_RUNG_DAY } from '../rapid-review-rules.ts';
import type { LocalReview } from '../schemas/local-review.ts';
import {
  agencyDeclarationAnswers,
  CHRONOLOGY_LIMIT,
  type ChronologyEntry,
  chronologyEntryAnswers,
  type Declarant,
  type Declaration,
  declarationAnswers,
  INFORMATION_REQUEST_LIMIT,
  type InformationRequest,
  informationRequestAnswers,
  type LocalReviewEnquiry,
} from '../schemas/local-review-enquiry.ts';
import { text } from '../schemas/primitives.ts';
import { type Actor, type StaffMember, staffActor } from '../schemas/roles.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { EnquiryChanges } from '../stores/local-review-enquiry-store.ts';
import { parseInput } from '../validation.ts';
import { localReviewEmailContext } from '../workflow/local-review-emails.ts';
import {
  informationRefusedEmail,
  informationRequestChaseEmail,
  informationRequestEmail,
} from '../workflow/local-review-enquiry-emails.ts';
import { formatDate, isoDateOf } from '../workflow/london-time.ts';
import { enquiryOf } from './enquiry-of.ts';
import { LocalReviewNotFoundError, LocalReviewRefusedError, loadLocalReview } from './local-review.ts';
import { strategicLeadOf } from './partnership-directory.ts';

/**
 * A local review's enquiry (issue 13 parts 2 and 3): declarations of conflicts and
 * confidentiality by everyone taking part, information requested in writing from agencies
 * through a capability link of their own (only its hash kept; it expires; a new one replaces
 * it), chased on the partnership's escalation ladder, a refusal escalated to the safeguarding
 * partners, and the merged multi-agency chronology the agencies write through their links.
 * The enquiry is kept apart from the review's own item (`localReviewEnquiries`); every change is
 * written with its audit event on the review's trail.
 */

type Ports = Pick<Service, 'clock' | 'profile' | 'publicBaseUrl' | 'localReviews' | 'localReviewEnquiries'>;
type EmailPorts = Ports & Pick<Service, 'mailer'>;
type SendPorts = EmailPorts & Pick<Service, 'informationRequestChases'>;

/** The agency's link: opened after it expired. */
export class InformationLinkExpiredError extends DomainError {
  override readonly name = 'InformationLinkExpired';
  override readonly kind = 'refused';
  constructor() {
    super(
      'This link has expired. If you still need to add to the review, ask the partnership team for a new link.',
      'This link has expired',
    );
  }
}

/** The agency's link names no current request: a mistyped link, or one a newer link replaced. */
export class InformationLinkNotFoundError extends NotFoundError {
  constructor() {
    super('There is no request for information at this link. It may have been replaced by a newer link.');
  }
}

const now = (service: Pick<Service, 'clock'>) => service.clock.now().toISOString();
const today = (service: Pick<Service, 'clock' | 'profile'>) =>
  isoDateOf(service.clock.now(), rulesOf(service.profile).timeZone);

export { enquiryOf };

// ── Who may work on a review ─────────────────────────────────────────────────────────────────

/** Whether the member is this review's reviewer: the email their sign-in gives is the one recorded. */
export function isReviewerOf(review: LocalReview, member: StaffMember): boolean {
  return (
    member.roles.includes('reviewer') &&
    Boolean(member.email) &&
    review.reviewer?.email.toLowerCase() === member.email?.trim().toLowerCase()
  );
}

/** The partnership team sees every review; a reviewer only their own; nobody else any. */
export function mayWorkOn(review: LocalReview, member: StaffMember): boolean {
  return member.roles.includes('partnership-team') || isReviewerOf(review, member);
}

/** The review, for someone who may work on it; to anyone else it does not exist. */
export async function loadReviewToWorkOn(
  service: Pick<Service, 'localReviews'>,
  reviewId: string,
  member: StaffMember,
): Promise<LocalReview> {
  const review = await loadLocalReview(service, reviewId);
  if (!mayWorkOn(review, member)) throw new LocalReviewNotFoundError();
  return review;
}

/** The reviews a signed-in reviewer was appointed to (by the email their sign-in gives). */
export async function listReviewersReviews(
  service: Pick<Service, 'localReviews'>,
  member: StaffMember,
): Promise<LocalReview[]> {
  if (!member.roles.includes('reviewer') || !member.email) return [];
  return service.localReviews.listLocalReviewsOfReviewer(member.email);
}

function refuseOnceEnded(review: LocalReview): void {
  if (review.status === 'published' || review.status === 'failed') {
    throw new LocalReviewRefusedError(
      `Local review ${review.reference} ${review.status === 'published' ? 'is published' : 'has stopped'}: its enquiry can no longer change.`,
    );
  }
}

/** The review, for someone who may work on it, with its enquiry. */
export async function loadEnquiryToWorkOn(
  service: Pick<Service, 'localReviews' | 'localReviewEnquiries'>,
  reviewId: string,
  member: StaffMember,
): Promise<{ review: LocalReview; enquiry: LocalReviewEnquiry }> {
  const review = await loadReviewToWorkOn(service, reviewId, member);
  return { review, enquiry: await enquiryOf(service, review) };
}

async function change(
  service: Ports,
  enquiry: LocalReviewEnquiry,
  actor: Actor,
  changes: Partial<EnquiryChanges>,
  audit: {
    action: string;
    reason: string;
    eventId?: string;
    details?: Record<string, string | number | boolean | null>;
  },
): Promise<LocalReviewEnquiry> {
  const saved = await service.localReviewEnquiries.saveEnquiry(
    enquiry,
    {
      declarations: changes.declarations ?? enquiry.declarations,
      informationRequests: changes.informationRequests ?? enquiry.informationRequests,
    },
    { actor, at: now(service), ...audit },
  );
  // The chronology is written apart; what was read of it stands.
  return { ...saved, chronology: enquiry.chronology };
}

// ── Declarations ────────────────────────────────────────────────────────────────────────────

const sameDeclarant = (a: Declarant, b: Declarant) =>
  a.kind === 'staff' && b.kind === 'staff'
    ? a.id === b.id
    : a.kind === 'agency' && b.kind === 'agency' && a.agencyId === b.agencyId;

function withDeclaration(enquiry: LocalReviewEnquiry, declaration: Declaration): Declaration[] {
  return [
    ...enquiry.declarations.filter((earlier) => !sameDeclarant(earlier.declarant, declaration.declarant)),
    declaration,
  ];
}

/** The reviewer or a member of the team records (or renews) their own declaration. */
export async function recordStaffDeclaration(
  service: Ports,
  input: { reviewId: string; member: StaffMember; answers: unknown },
): Promise<LocalReviewEnquiry> {
  const { review, enquiry } = await loadEnquiryToWorkOn(service, input.reviewId, input.member);
  refuseOnceEnded(review);
  const answers = parseInput(declarationAnswers, input.answers, 'declaration');
  const role = isReviewerOf(review, input.member) ? 'reviewer' : 'partnership-team';
  const at = now(service);
  const declaration: Declaration = {
    ...answers,
    ...(answers.hasConflicts ? {} : { conflictDetails: undefined }),
    declarant: {
      kind: 'staff',
      id: input.member.id,
      role,
      name:
        input.member.name?.trim() ||
        (role === 'reviewer'
          ? (review.reviewer?.name ?? 'The reviewer')
          : 'A member of the partnership team'),
    },
    recordedAt: at,
  };
  return change(
    service,
    enquiry,
    staffActor(input.member, role),
    { declarations: withDeclaration(enquiry, declaration) },
    {
      action: 'local-review.declaration-recorded',
      reason: `Declaration of conflicts and confidentiality recorded by ${role === 'reviewer' ? 'the reviewer' : 'a member of the partnership team'}: ${answers.hasConflicts ? 'a conflict of interest declared' : 'no conflict of interest'}`,
    },
  );
}

/** Who has and has not declared: the reviewer, each agency asked for information, and every team member who has. */
export interface DeclarationRow {
  who: string;
  role: 'The reviewer' | 'Agency' | 'Partnership team';
  declaration?: Declaration;
}

export function declarationRows(review: LocalReview, enquiry: LocalReviewEnquiry): DeclarationRow[] {
  const rows: DeclarationRow[] = [];
  if (review.reviewer) {
    const declared = enquiry.declarations.find(
      (each) => each.declarant.kind === 'staff' && each.declarant.role === 'reviewer',
    );
    rows.push({
      who: review.reviewer.name,
      role: 'The reviewer',
      ...(declared ? { declaration: declared } : {}),
    });
  }
  const agencies = new Map(
    enquiry.informationRequests.map((request) => [request.agencyId, request.agencyName]),
  );
  for (const [agencyId, agencyName] of agencies) {
    const declared = enquiry.declarations.find(
      (each) => each.declarant.kind === 'agency' && each.declarant.agencyId === agencyId,
    );
    rows.push({
      who: declared?.declarant.kind === 'agency' ? `${agencyName} (${declared.declarant.name})` : agencyName,
      role: 'Agency',
      ...(declared ? { declaration: declared } : {}),
    });
  }
  for (const declared of enquiry.declarations) {
    if (declared.declarant.kind === 'staff' && declared.declarant.role === 'partnership-team') {
      rows.push({ who: declared.declarant.name, role: 'Partnership team', declaration: declared });
    }
  }
  return rows;
}

// ── Information requests ────────────────────────────────────────────────────────────────────

/** The latest a request may be due, in days from today. */
const LATEST_DUE_DAYS = 300;

/** A link works until 20 working days after the request's due date, at the end of that day. */
const LINK_WORKING_DAYS_AFTER_DUE = 20;

function linkExpiry(service: Pick<Service, 'clock' | 'profile'>, dueOn: string): string {
  const rules = rulesOf(service.profile);
  const from = dueOn > today(service) ? dueOn : today(service);
  return instantAt(
    addWorkingDays(CalendarDate.from(from), LINK_WORKING_DAYS_AFTER_DUE),
    rules.workingDayEnd,
    rules.timeZone,
  ).toISOString();
}

function requestOf(enquiry: LocalReviewEnquiry, requestId: string): InformationRequest {
  const request = enquiry.informationRequests.find((each) => each.requestId === requestId);
  if (!request) throw new NotFoundError('There is no such request for information on this review');
  return request;
}

const withRequest = (enquiry: LocalReviewEnquiry, request: InformationRequest): InformationRequest[] =>
  enquiry.informationRequests.map((each) => (each.requestId === request.requestId ? request : each));

/**
 * A new link for a request, replacing the last (and any spare): the request with the new link's
 * hash, its number and expiry, and the token, which only the email that carries it may hold. The
 * old link stops working once the request is written.
 */
function withNewLink(
  service: Pick<Service, 'clock' | 'profile'>,
  current: InformationRequest,
): { request: InformationRequest; token: string } {
  const { token, tokenHash } = mintAgencyToken();
  return {
    token,
    request: {
      ...current,
      tokenHash,
      spareTokenHashes: [],
      linkNumber: current.linkNumber + 1,
      linkExpiresAt: linkExpiry(service, current.dueOn),
    },
  };
}

async function emailLink(
  service: EmailPorts,
  review: LocalReview,
  request: InformationRequest,
  token: string,
) {
  const context = localReviewEmailContext(service.profile, review, service.publicBaseUrl);
  await service.mailer.sendOnce(
    `${review.reviewId}:InformationRequest:${request.requestId}:Link${request.linkNumber}`,
    informationRequestEmail(
      context,
      request,
      informationLinkUrl(service.publicBaseUrl, review.reviewId, token),
    ),
  );
}

/** The agency's page for one request: the review's id (not secret) and the token (the secret). */
export function informationLinkUrl(publicBaseUrl: string, reviewId: string, token: string): string {
  return `${publicBaseUrl}/local-review-agency/${reviewId}/${token}`;
}

/**
 * The partnership team asks an agency, in writing, for information by a date: the request is
 * recorded with its link's hash and emailed to the agency's contact with the link (once).
 * Then the request's chasing starts: an execution of the local-review workflow named by the
 * request, which waits for each rung of the ladder (started once; a retry finds it running).
 */
export async function sendInformationRequest(
  service: SendPorts,
  input: { reviewId: string; member: StaffMember; answers: unknown },
): Promise<{ review: LocalReview; enquiry: LocalReviewEnquiry; request: InformationRequest }> {
  const { review, enquiry } = await loadEnquiryToWorkOn(service, input.reviewId, input.member);
  refuseOnceEnded(review);
  if (enquiry.informationRequests.length >= INFORMATION_REQUEST_LIMIT) {
    throw new LocalReviewRefusedError(
      `This review has its most requests for information (${INFORMATION_REQUEST_LIMIT}). Email the agency a new link for a request it already has, or ask for more in writing outside the service.`,
      'This review has its most requests for information',
    );
  }
  const answers = parseInput(informationRequestAnswers, input.answers, 'request for information');
  const agency = review.agencies.find((each) => each.agencyId === answers.agencyId);
  if (!agency) {
    throw new InvalidInputError('request for information', [
      { field: 'agencyId', message: 'Choose an agency of this review' },
    ]);
  }
  if (answers.dueOn <= today(service)) {
    throw new InvalidInputError('request for information', [
      { field: 'dueOn', message: 'The date the information is due must be in the future' },
    ]);
  }
  // Its chasing waits in one execution, which lasts at most a year.
  if (answers.dueOn > CalendarDate.from(today(service)).add({ days: LATEST_DUE_DAYS }).toString()) {
    throw new InvalidInputError('request for information', [
      { field: 'dueOn', message: `The date the information is due must be within ${LATEST_DUE_DAYS} days` },
    ]);
  }
  const { token, tokenHash } = mintAgencyToken();
  const at = now(service);
  const request: InformationRequest = {
    ...answers,
    requestId: randomUUID(),
    number: enquiry.informationRequests.length + 1,
    agencyName: agency.agencyName,
    status: 'open',
    tokenHash,
    spareTokenHashes: [],
    linkNumber: 1,
    linkExpiresAt: linkExpiry(service, answers.dueOn),
    sentAt: at,
    sentBy: input.member.id,
    chases: [],
  };
  const updated = await change(
    service,
    enquiry,
    staffActor(input.member, 'partnership-team'),
    { informationRequests: [...enquiry.informationRequests, request] },
    {
      action: 'local-review.information-requested',
      reason: `Information requested in writing from ${agency.agencyName}, due ${formatDate(answers.dueOn)}; a link of its own emailed to its contact`,
      details: { requestId: request.requestId, dueOn: answers.dueOn },
    },
  );
  await emailLink(service, review, request, token);
  await service.informationRequestChases.start(informationRequestChaseId(review.reviewId, request.number));
  return { review, enquiry: updated, request };
}

/**
 * A new link for a request (the contact lost it, or it expired, or its first email failed): the
 * old one stops working at once. The request's chasing is started too, should the first attempt
 * have stopped before it (a running one is left as it is).
 */
export async function sendNewInformationLink(
  service: SendPorts,
  input: { reviewId: string; requestId: string; member: StaffMember },
): Promise<LocalReviewEnquiry> {
  const { review, enquiry } = await loadEnquiryToWorkOn(service, input.reviewId, input.member);
  refuseOnceEnded(review);
  const current = requestOf(enquiry, input.requestId);
  const { request, token } = withNewLink(service, current);
  const updated = await change(
    service,
    enquiry,
    staffActor(input.member, 'partnership-team'),
    { informationRequests: withRequest(enquiry, request) },
    {
      action: 'local-review.information-link-replaced',
      reason: `A new link sent to ${current.agencyName}; the one before it no longer works`,
      details: { requestId: current.requestId },
    },
  );
  await emailLink(service, review, request, token);
  if (request.status === 'open') {
    await service.informationRequestChases.start(informationRequestChaseId(review.reviewId, request.number));
  }
  return updated;
}

// ── The agency's link ───────────────────────────────────────────────────────────────────────

/** The review, its enquiry and the request a link opens, while it works. */
export async function openInformationLink(
  service: Pick<Service, 'clock' | 'localReviews' | 'localReviewEnquiries'>,
  input: { reviewId: string; token: string },
): Promise<{ review: LocalReview; enquiry: LocalReviewEnquiry; request: InformationRequest }> {
  if (!looksLikeAgencyToken(input.token)) throw new InformationLinkNotFoundError();
  let review: LocalReview;
  try {
    review = await loadLocalReview(service, input.reviewId);
  } catch (error) {
    if (error instanceof LocalReviewNotFoundError) throw new InformationLinkNotFoundError();
    throw error;
  }
  const enquiry = await enquiryOf(service, review);
  const hash = Buffer.from(hashAgencyToken(input.token), 'hex');
  const matches = (tokenHash: string) => timingSafeEqual(Buffer.from(tokenHash, 'hex'), hash);
  const request = enquiry.informationRequests.find(
    (each) => matches(each.tokenHash) || each.spareTokenHashes.some(matches),
  );
  if (!request) throw new InformationLinkNotFoundError();
  if (service.clock.now().getTime() >= Date.parse(request.linkExpiresAt)) {
    throw new InformationLinkExpiredError();
  }
  return { review, enquiry, request };
}

const agencyActor = (request: InformationRequest): Actor => ({ kind: 'agency', agencyId: request.agencyId });

/** The agency's declaration, whoever answers through the link names themself. */
export function agencyDeclarationOf(enquiry: LocalReviewEnquiry, agencyId: string): Declaration | undefined {
  return enquiry.declarations.find(
    (each) => each.declarant.kind === 'agency' && each.declarant.agencyId === agencyId,
  );
}

function refuseOnceRefused(request: InformationRequest): void {
  if (request.status === 'refused') {
    throw new LocalReviewRefusedError(
      'Your agency refused this request, so nothing more can be added through this link. Contact the partnership team if that has changed.',
      'This request was refused',
    );
  }
}

export async function recordAgencyDeclaration(
  service: Ports,
  input: { reviewId: string; token: string; answers: unknown },
): Promise<LocalReviewEnquiry> {
  const { review, enquiry, request } = await openInformationLink(service, input);
  refuseOnceEnded(review);
  const answers = parseInput(agencyDeclarationAnswers, input.answers, 'declaration');
  const { name, ...declared } = answers;
  const declaration: Declaration = {
    ...declared,
    ...(declared.hasConflicts ? {} : { conflictDetails: undefined }),
    declarant: { kind: 'agency', agencyId: request.agencyId, agencyName: request.agencyName, name },
    recordedAt: now(service),
  };
  return change(
    service,
    enquiry,
    agencyActor(request),
    { declarations: withDeclaration(enquiry, declaration) },
    {
      action: 'local-review.declaration-recorded',
      reason: `Declaration of conflicts and confidentiality recorded for ${request.agencyName}: ${answers.hasConflicts ? 'a conflict of interest declared' : 'no conflict of interest'}`,
    },
  );
}

/** An agency adds one entry to the merged chronology, after its declaration. */
export async function addChronologyEntry(
  service: Ports,
  input: { reviewId: string; token: string; answers: unknown },
): Promise<{ review: LocalReview; entry: ChronologyEntry }> {
  const { review, enquiry, request } = await openInformationLink(service, input);
  refuseOnceEnded(review);
  refuseOnceRefused(request);
  if (!agencyDeclarationOf(enquiry, request.agencyId)) {
    throw new LocalReviewRefusedError(
      'Record your declaration of conflicts and confidentiality before you add to the chronology.',
      'Record your declaration first',
    );
  }
  const answers = parseInput(chronologyEntryAnswers, input.answers, 'chronology entry');
  if (answers.occurredOn > today(service)) {
    throw new InvalidInputError('chronology entry', [
      { field: 'occurredOn', message: 'The date it happened must be today or in the past' },
    ]);
  }
  if (enquiry.chronology.length >= CHRONOLOGY_LIMIT) {
    throw new LocalReviewRefusedError(
      `The chronology holds its most entries (${CHRONOLOGY_LIMIT.toLocaleString('en-GB')}). Send the rest to the partnership team in writing.`,
      'The chronology is full',
    );
  }
  const entry: ChronologyEntry = {
    ...answers,
    entryId: randomUUID(),
    agencyId: request.agencyId,
    agencyName: request.agencyName,
    requestId: request.requestId,
    addedAt: now(service),
  };
  // An entry is an item of its own: agencies adding entries never wait on each other or on a change to the requests.
  await service.localReviewEnquiries.addChronologyEntry(review.reviewId, entry, {
    actor: agencyActor(request),
    at: entry.addedAt,
    action: 'local-review.chronology-entry-added',
    reason: `${request.agencyName} added an entry to the chronology`,
    details: { entryId: entry.entryId, occurredOn: entry.occurredOn },
  });
  return { review, entry };
}

/** The agency has sent everything: the request is answered and its chasing stops. Again, nothing changes. */
export async function completeInformationRequest(
  service: Ports,
  input: { reviewId: string; token: string },
): Promise<LocalReviewEnquiry> {
  const { review, enquiry, request } = await openInformationLink(service, input);
  refuseOnceEnded(review);
  refuseOnceRefused(request);
  if (request.status === 'answered') return enquiry;
  return change(
    service,
    enquiry,
    agencyActor(request),
    {
      informationRequests: withRequest(enquiry, { ...request, status: 'answered', answeredAt: now(service) }),
    },
    {
      action: 'local-review.information-provided',
      reason: `${request.agencyName} said it has provided the information asked for`,
      details: { requestId: request.requestId },
    },
  );
}

export const refusalAnswers = z.object({ reason: text(2000, { multiline: true }) });

/**
 * The agency refuses the request, with its reasons: the request is refused, its chasing stops,
 * and the safeguarding partners' leads are emailed (the team copied), once. A retry after the
 * refusal was recorded sends only what was not sent.
 */
export async function refuseInformationRequest(
  service: EmailPorts,
  input: { reviewId: string; token: string; answers: unknown },
): Promise<LocalReviewEnquiry> {
  const { review, enquiry, request } = await openInformationLink(service, input);
  let updated = enquiry;
  let refused = request;
  if (request.status !== 'refused') {
    refuseOnceEnded(review);
    const { reason } = parseInput(refusalAnswers, input.answers, 'refusal');
    const at = now(service);
    refused = { ...request, status: 'refused', refusal: { reason, at, partnersToldAt: at } };
    updated = await change(
      service,
      enquiry,
      agencyActor(request),
      { informationRequests: withRequest(enquiry, refused) },
      {
        action: 'local-review.information-refused',
        reason: `${request.agencyName} refused the request for information, with its reasons; escalated to the safeguarding partners by email`,
        details: { requestId: request.requestId },
      },
    );
  }
  const partners = Object.values(service.profile.safeguardingPartners).map((partner) => partner.lead.email);
  await service.mailer.sendOnce(
    `${review.reviewId}:InformationRefused:${request.requestId}`,
    informationRefusedEmail(
      localReviewEmailContext(service.profile, review, service.publicBaseUrl),
      refused as InformationRequest & { refusal: NonNullable<InformationRequest['refusal']> },
      partners,
    ),
  );
  return updated;
}

// ── Chasing on the ladder ───────────────────────────────────────────────────────────────────

/**
 * The partnership's escalation ladder laid on a request's due date: a rung set on Day d of the
 * Rapid Review's plan falls as many working days before the due date as Day d is before the
 * summaries' deadline (Day 10); a reminder at the start of its working day, the other rungs at
 * its end. A due date that is no working day counts from the working day before it.
 */
export function informationRequestLadder(
  profile: Service['profile'],
  dueOn: string,
): { kind: EscalationRungKind; at: string }[] {
  const rules = rulesOf(profile);
  const due = CalendarDate.from(dueOn);
  const deadline = isWorkingDay(due) ? due : previousWorkingDay(due);
  return rules.escalationLadder.map((rung) => ({
    kind: rung.kind,
    at: instantAt(
      subtractWorkingDays(deadline, LAST_RUNG_DAY - rung.day),
      rung.kind === 'reminder' ? rules.workingDayStart : rules.workingDayEnd,
      rules.timeZone,
    ).toISOString(),
  }));
}

/** What the chasing step answers the workflow: wait until `nextAt`, or stop (`done`, `nextAt` now). */
export interface ChaseOutcome {
  done: boolean;
  nextAt: string;
}

/**
 * Whether a rung's email goes to the agency's contact, and so carries the agency's link: the
 * reminder and the reminder with the lead copied do; the formal request goes to the strategic
 * lead (the contact copied) and carries none, unless the agency has no lead named, when it goes
 * to the contact.
 */
const toTheContact = (kind: string, lead: { email: string } | undefined) =>
  kind !== 'formal-request' || !lead;

/**
 * The workflow's step for one open request: every rung due by now and not yet climbed is emailed,
 * once each, and marked on the request. An email to the agency's contact carries a new link, as
 * "Email the agency a new link" sends (the one before stops working): the new link's hash is
 * written with the rungs it is for, marked as waiting for their email, before anything is sent;
 * the emails go (each once, by its rung's key); then the rungs are marked emailed, with one audit
 * event whose id the rungs name. A retry repeats nothing: a rung marked is never marked again, an
 * email sent is never sent again, and a retry that finds rungs still waiting for their email
 * cannot know whether it went, so it mints a spare link that works beside the stored one (the
 * email carries one of the two; the other reaches no one). Answers when the next rung falls, or
 * that there is nothing more to wait for (answered, refused, the review ended, or the ladder climbed).
 */
export async function chaseInformationRequest(
  service: EmailPorts & Pick<Service, 'cases' | 'localReviewEnquiries'>,
  input: { reviewId: string; requestNumber: number },
): Promise<ChaseOutcome> {
  const review = await loadLocalReview(service, input.reviewId);
  let enquiry = await enquiryOf(service, review);
  const numbered = enquiry.informationRequests.find((each) => each.number === input.requestNumber);
  if (!numbered) throw new NotFoundError('There is no such request for information on this review');
  let request: InformationRequest = numbered;
  const done = { done: true, nextAt: service.clock.now().toISOString() };
  if (request.status !== 'open' || review.status === 'published' || review.status === 'failed') {
    return done;
  }
  const nowMs = service.clock.now().getTime();
  const ladder = informationRequestLadder(service.profile, request.dueOn);
  const climbed = new Set(request.chases.map((chase) => chase.kind));
  const due = ladder.filter((rung) => !climbed.has(rung.kind) && Date.parse(rung.at) <= nowMs);
  const waiting = request.chases.filter((chase) => chase.emailPending).map((chase) => chase.kind);
  if (due.length > 0 || waiting.length > 0) {
    const lead = await strategicLeadOf(service, {
      agencyId: request.agencyId,
      agencyName: request.agencyName,
    });
    const system: Actor = { kind: 'system', id: 'chase-information-request' };
    const stepId = (kinds: readonly string[]) =>
      `${review.reviewId}:ChaseInformationRequest:${request.requestId}:${kinds.join('+')}`;
    let token: string | undefined;
    // Rungs with no link to carry need no write first: their emails are the same whenever sent.
    const sending = [...waiting, ...due.map((rung) => rung.kind)];
    if (due.some((rung) => toTheContact(rung.kind, lead))) {
      // The new link and the rungs it is for, in one write, before any email.
      const renewed = withNewLink(service, request);
      const at = now(service);
      const marked: InformationRequest = {
        ...renewed.request,
        chases: [
          ...request.chases,
          ...due.map((rung) => ({
            kind: rung.kind,
            at,
            linkNumber: renewed.request.linkNumber,
            emailPending: true as const,
          })),
        ],
      };
      try {
        enquiry = await change(
          service,
          enquiry,
          system,
          { informationRequests: withRequest(enquiry, marked) },
          {
            action: 'local-review.information-link-replaced',
            reason: `A new link for ${request.agencyName}, for the chasing email (${due.map((rung) => rung.kind.replace('-', ' ')).join(', ')}); the one before it no longer works`,
            eventId: `${stepId(due.map((rung) => rung.kind))}:NewLink`,
            details: { requestId: request.requestId },
          },
        );
      } catch (error) {
        if (!(error instanceof DuplicateWriteError)) throw error;
        // Another attempt marked these rungs since this one read the request: try again from them.
        throw new StaleWriteError(`The request for information ${request.requestId} was chased meanwhile`);
      }
      request = marked;
      token = renewed.token;
    }
    if (!token && sending.some((kind) => toTheContact(kind, lead))) {
      // A retry of a step that stored its link and may have emailed it: a spare beside it.
      const spare = mintAgencyToken();
      const withSpare: InformationRequest = {
        ...request,
        spareTokenHashes: [...request.spareTokenHashes, spare.tokenHash],
      };
      enquiry = await change(
        service,
        enquiry,
        system,
        { informationRequests: withRequest(enquiry, withSpare) },
        {
          action: 'local-review.information-link-replaced',
          reason: `The chasing of ${request.agencyName} was tried again before its email was known to be sent: a spare link for the same email, which works beside the one stored before it`,
          details: { requestId: request.requestId },
        },
      );
      request = withSpare;
      token = spare.token;
    }
    const context = localReviewEmailContext(service.profile, review, service.publicBaseUrl);
    const link = token
      ? {
          url: informationLinkUrl(service.publicBaseUrl, review.reviewId, token),
          expiresAt: request.linkExpiresAt,
        }
      : undefined;
    const sent = await service.mailer.sendEachOnce(
      sending.map((kind) => ({
        key: `${review.reviewId}:ChaseInformationRequest:${request.requestId}:${kind}`,
        message: informationRequestChaseEmail(
          context,
          request,
          kind as EscalationRungKind,
          lead,
          toTheContact(kind, lead) ? link : undefined,
        ),
      })),
    );
    const at = now(service);
    const chases = [
      ...request.chases.map(({ emailPending, ...chase }) => (emailPending ? { ...chase, at } : chase)),
      ...sending
        .filter((kind) => !request.chases.some((chase) => chase.kind === kind))
        .map((kind) => ({ kind, at })),
    ];
    try {
      await change(
        service,
        enquiry,
        system,
        { informationRequests: withRequest(enquiry, { ...request, chases }) },
        {
          action: 'local-review.information-chased',
          reason: `${request.agencyName} chased for the information due ${formatDate(request.dueOn)}: ${sending.map((kind) => kind.replace('-', ' ')).join(', ')}`,
          eventId: stepId(sending),
          details: { requestId: request.requestId },
        },
      );
    } catch (error) {
      if (!(error instanceof DuplicateWriteError)) throw error;
    }
    countEscalations(sent.filter((email) => email.outcome === 'sent').length);
    for (const kind of sending) climbed.add(kind);
  }
  const next = ladder.find((rung) => !climbed.has(rung.kind) && Date.parse(rung.at) > nowMs);
  return next ? { done: false, nextAt: next.at } : done;
}

// ── The merged chronology ───────────────────────────────────────────────────────────────────

export interface ChronologyFilter {
  agencyId?: string;
  from?: string;
  to?: string;
}

/** Every agency's entries as one chronology, oldest first (then in the order added), filtered. */
export function mergedChronology(
  enquiry: Pick<LocalReviewEnquiry, 'chronology'>,
  filter: ChronologyFilter = {},
): ChronologyEntry[] {
  return enquiry.chronology
    .filter(
      (entry) =>
        (!filter.agencyId || entry.agencyId === filter.agencyId) &&
        (!filter.from || entry.occurredOn >= filter.from) &&
        (!filter.to || entry.occurredOn <= filter.to),
    )
    .sort((a, b) => a.occurredOn.localeCompare(b.occurredOn) || a.addedAt.localeCompare(b.addedAt));
}
