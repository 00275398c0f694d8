import { randomUUID } from 'node:crypto';
import { factualAccuracyChaseId } from '../adapters/local-review-workflow.ts';
import type { EmailMessage } from '../adapters/mailer.ts';
import { hashAgencyToken, looksLikeAgencyToken, mintAgencyToken } from '../agency-links.ts';
import { CalendarDate, instantAt } from '../calendar/dates.ts';
import { isWorkingDay, previousWorkingDay, subtractWorkingDays } from '../calendar/working-days.ts';
import { localReviewRulesOf, rulesOf } from '../config/partnership-profile.ts';
import { DomainError, InvalidInputError, NotFoundError, StaleWriteError } from '../errors.ts';
import type { LocalReview } from '../schemas/local-review.ts';
import {
  type DraftVersion,
  type FactualAccuracyAgency,
  type FactualAccuracyRound,
  familyContactAnswers,
  familyMemberAnswers,
  type LocalReviewDrafts,
  learningEventAnswers,
  qualityChecklistAnswers,
  supervisionAnswerAnswers,
  supervisionKindNames,
  supervisionRequestAnswers,
} from '../schemas/local-review-drafts.ts';
import { isoDate, text } from '../schemas/primitives.ts';
import { type StaffMember, type StaffRole, staffActor } from '../schemas/roles.ts';
import type { Service } from '../service.ts';
import type { AuditInput } from '../stores/case-store.ts';
import type { NewFactualAccuracyLink } from '../stores/local-review-drafts-store.ts';
import { mediaTypeOfKind, uploadedFileKind } from '../upload-contents.ts';
import { parseInput } from '../validation.ts';
import { localReviewEmailContext, reviewerDraftUploadedEmail } from '../workflow/local-review-emails.ts';
import { formatDate, isoDateOf } from '../workflow/london-time.ts';
import { LocalReviewNotFoundError, LocalReviewRefusedError, loadLocalReview } from './local-review.ts';
import { isReviewerOf, mayWorkOn } from './local-review-enquiry.ts';
import { partnershipDirectory } from './partnership-directory.ts';

/**
 * Each agency's contact for a review, by agency id: the contact the Rapid Review asked (a review
 * from a case), else the partnership directory's usual contact (a review from the Practice Review
 * Group's referral, which asked no agency).
 */
async function agencyContacts(
  service: Pick<Service, 'cases' | 'profile' | 'clock'>,
  review: LocalReview,
): Promise<Map<string, { name: string; email: string }>> {
  if (review.fromCase) {
    const { agencies } = await service.cases.getCaseWithAgencies(review.fromCase.caseId);
    return new Map(agencies.map((agency) => [agency.agencyId, agency.spoc]));
  }
  const { entries } = await partnershipDirectory(service);
  return new Map(
    entries.flatMap((entry) => (entry.contact ? [[entry.agencyId, entry.contact] as const] : [])),
  );
}

/**
 * The review's work the partnership team keeps in writing (issue 13 parts 3 and 4): practitioner
 * learning events, the family plan with its contact log, supervision of the reviewer in writing,
 * the drafts (every version kept in the documents bucket), factual-accuracy rounds (each agency
 * of the review sent the draft by an expiring link, its comments collected by a due date), the
 * quality checklist, and the version chosen as the final report. Each change is written with its
 * audit event on the review's trail.
 */

export type DraftsPorts = Pick<Service, 'clock' | 'profile' | 'localReviews' | 'localReviewDrafts'>;

/** A factual-accuracy link does not open: unknown, or past its expiry. */
export class FactualAccuracyLinkError extends DomainError {
  override readonly name = 'FactualAccuracyLinkNotWorking';
  override readonly kind = 'forbidden';
  constructor(message: string) {
    super(message, 'This link does not work');
  }
}

/** How long after the due date an agency's link still opens, so that late comments are still taken. */
export const FACTUAL_ACCURACY_LINK_DAYS_AFTER_DUE = 28;

/** The latest a round's comments may be due, in days from today. */
const LATEST_ROUND_DUE_DAYS = 300;

/** The largest draft the pages take (the page functions take 5 MB a form in all). */
export const DRAFT_MAX_BYTES = 4 * 1024 * 1024;

const today = (service: Pick<Service, 'clock' | 'profile'>) =>
  isoDateOf(service.clock.now(), rulesOf(service.profile).timeZone);

const recordedBy = (member: StaffMember, at: string) => ({
  recordedAt: at,
  recordedBy: member.id,
  ...(member.name ? { recordedByName: member.name } : {}),
});

/** The review (refused once published or stopped) and its drafts record. */
async function open(
  service: DraftsPorts,
  reviewId: string,
  what: string,
): Promise<{ review: LocalReview; drafts: LocalReviewDrafts }> {
  const review = await loadLocalReview(service, reviewId);
  if (review.status === 'published' || review.status === 'failed') {
    throw new LocalReviewRefusedError(
      `Local review ${review.reference} is ${review.status === 'published' ? 'published' : 'stopped'}: ${what} can no longer be recorded.`,
    );
  }
  return { review, drafts: await service.localReviewDrafts.getDrafts(review.reviewId) };
}

/** The review and its drafts record, whatever its status (for reading). */
export async function showLocalReviewDrafts(
  service: Pick<Service, 'localReviews' | 'localReviewDrafts'>,
  reviewId: string,
): Promise<{ review: LocalReview; drafts: LocalReviewDrafts }> {
  const review = await loadLocalReview(service, reviewId);
  return { review, drafts: await service.localReviewDrafts.getDrafts(review.reviewId) };
}

async function save(
  service: DraftsPorts,
  drafts: LocalReviewDrafts,
  member: StaffMember,
  next: (at: string) => Partial<LocalReviewDrafts>,
  audit: { action: string; reason: string; details?: Record<string, string | number | boolean | null> },
  links?: readonly NewFactualAccuracyLink[],
  role: StaffRole = 'partnership-team',
): Promise<LocalReviewDrafts> {
  const at = service.clock.now().toISOString();
  const { version: _version, reviewId: _reviewId, ...rest } = drafts;
  return service.localReviewDrafts.saveDrafts(
    drafts,
    { ...rest, ...next(at) },
    { actor: staffActor(member, role), at, ...audit },
    links,
  );
}

const nextNumber = (items: readonly { number: number }[]) =>
  Math.max(0, ...items.map((item) => item.number)) + 1;

const notInFuture = (service: DraftsPorts, field: string, value: string, message: string, what: string) => {
  if (value > today(service)) throw new InvalidInputError(what, [{ field, message }]);
};

/** Records a practitioner learning event: its date (not in the future), who was invited, who came. */
export async function recordLearningEvent(
  service: DraftsPorts,
  input: { reviewId: string; answers: unknown; member: StaffMember },
): Promise<LocalReviewDrafts> {
  const { drafts } = await open(service, input.reviewId, 'learning events');
  const answers = parseInput(learningEventAnswers, input.answers, 'learning event');
  notInFuture(
    service,
    'heldOn',
    answers.heldOn,
    'The date of the event must be today or in the past',
    'learning event',
  );
  const number = nextNumber(drafts.learningEvents);
  return save(
    service,
    drafts,
    input.member,
    (at) => ({
      learningEvents: [...drafts.learningEvents, { ...answers, number, ...recordedBy(input.member, at) }],
    }),
    {
      action: 'local-review.learning-event-recorded',
      reason: `Practitioner learning event recorded, held on ${formatDate(answers.heldOn)}`,
      details: { number, heldOn: answers.heldOn },
    },
  );
}

/** Adds a family member to the family plan; a reason is required whenever they are not invited. */
export async function recordFamilyMember(
  service: DraftsPorts,
  input: { reviewId: string; answers: unknown; member: StaffMember },
): Promise<LocalReviewDrafts> {
  const { drafts } = await open(service, input.reviewId, 'the family plan');
  const answers = parseInput(familyMemberAnswers, input.answers, 'family member');
  const number = nextNumber(drafts.family);
  const entry = {
    ...answers,
    ...(answers.invited ? { reasonNotInvited: undefined } : {}),
    number,
    contacts: [],
  };
  return save(
    service,
    drafts,
    input.member,
    (at) => ({ family: [...drafts.family, { ...entry, ...recordedBy(input.member, at) }] }),
    {
      action: 'local-review.family-member-recorded',
      reason: answers.invited
        ? 'A family member was added to the family plan, invited to take part'
        : 'A family member was added to the family plan, not invited, with the reason',
      details: { number, invited: answers.invited, tookPart: answers.tookPart },
    },
  );
}

/** Adds a contact (date, how, what) to a family member's log. */
export async function recordFamilyContact(
  service: DraftsPorts,
  input: { reviewId: string; number: number; answers: unknown; member: StaffMember },
): Promise<LocalReviewDrafts> {
  const { drafts } = await open(service, input.reviewId, 'the family plan');
  const person = drafts.family.find((candidate) => candidate.number === input.number);
  if (!person) throw new NotFoundError('There is no such family member in the family plan');
  const answers = parseInput(familyContactAnswers, input.answers, 'contact');
  notInFuture(service, 'on', answers.on, 'The date of the contact must be today or in the past', 'contact');
  return save(
    service,
    drafts,
    input.member,
    (at) => ({
      family: drafts.family.map((candidate) =>
        candidate.number === input.number
          ? {
              ...candidate,
              contacts: [...candidate.contacts, { ...answers, ...recordedBy(input.member, at) }],
            }
          : candidate,
      ),
    }),
    {
      action: 'local-review.family-contact-recorded',
      reason: `A contact with a family member (${person.who}) recorded`,
      details: { number: input.number, on: answers.on, how: answers.how },
    },
  );
}

/** Records a request from the partners to the reviewer, with its date. */
export async function recordSupervisionRequest(
  service: DraftsPorts,
  input: { reviewId: string; answers: unknown; member: StaffMember },
): Promise<LocalReviewDrafts> {
  const { drafts } = await open(service, input.reviewId, 'requests to the reviewer');
  const answers = parseInput(supervisionRequestAnswers, input.answers, 'request to the reviewer');
  notInFuture(
    service,
    'askedOn',
    answers.askedOn,
    'The date it was asked must be today or in the past',
    'request to the reviewer',
  );
  const number = nextNumber(drafts.supervision);
  return save(
    service,
    drafts,
    input.member,
    (at) => ({
      supervision: [...drafts.supervision, { ...answers, number, ...recordedBy(input.member, at) }],
    }),
    {
      action: 'local-review.reviewer-asked',
      reason: `The partners asked the reviewer in writing for: ${supervisionKindNames[answers.kind].toLowerCase()}`,
      details: { number, kind: answers.kind, askedOn: answers.askedOn, dueOn: answers.dueOn ?? null },
    },
  );
}

/**
 * Records the reviewer's answer to a request, with its date (not before the request): by the
 * partnership team, or by the review's own reviewer (to any other reviewer the review does not
 * exist), whom the audit event then names as the one answering.
 */
export async function recordSupervisionAnswer(
  service: DraftsPorts,
  input: { reviewId: string; number: number; answers: unknown; member: StaffMember },
): Promise<LocalReviewDrafts> {
  const { review, drafts } = await open(service, input.reviewId, 'the reviewer’s answers');
  if (!mayWorkOn(review, input.member)) throw new LocalReviewNotFoundError();
  // As for a declaration: the review's reviewer answers as the reviewer, whatever other role they hold.
  const byReviewer = isReviewerOf(review, input.member);
  const request = drafts.supervision.find((candidate) => candidate.number === input.number);
  if (!request) throw new NotFoundError('There is no such request to the reviewer');
  const answers = parseInput(supervisionAnswerAnswers, input.answers, 'answer');
  if (answers.answeredOn < request.askedOn || answers.answeredOn > today(service)) {
    throw new InvalidInputError('answer', [
      {
        field: 'answeredOn',
        message: 'The date of the answer must be on or after the request, and not in the future',
      },
    ]);
  }
  return save(
    service,
    drafts,
    input.member,
    (at) => ({
      supervision: drafts.supervision.map((candidate) =>
        candidate.number === input.number
          ? { ...candidate, answer: { ...answers, ...recordedBy(input.member, at) } }
          : candidate,
      ),
    }),
    {
      action: 'local-review.reviewer-answered',
      reason: byReviewer
        ? 'The reviewer recorded their answer to a request'
        : 'The reviewer’s answer to a request recorded',
      details: { number: input.number, answeredOn: answers.answeredOn },
    },
    undefined,
    byReviewer ? 'reviewer' : 'partnership-team',
  );
}

/**
 * Where a draft version is kept: each upload its own object, never replaced (two uploads racing
 * for the same version number write two objects, and only the one recorded is that version).
 */
export const draftDocumentKey = (reviewId: string, version: number, kind: 'pdf' | 'docx') =>
  `local-reviews/${reviewId}/drafts/v${version}-${randomUUID()}.${kind}`;

/**
 * Uploads the next version of the draft (PDF or Word .docx, checked by its bytes); every version
 * is kept. By the partnership team, or by the review's own reviewer (to any other reviewer the
 * review does not exist), whom the audit event then names as the uploader; the team is then
 * emailed, once for each version.
 */
export async function uploadDraft(
  service: DraftsPorts & Pick<Service, 'documents' | 'mailer' | 'publicBaseUrl'>,
  input: {
    reviewId: string;
    upload: { fileName: string; content: Uint8Array };
    note?: string;
    member: StaffMember;
  },
): Promise<DraftVersion> {
  const fail = (message: string) => new InvalidInputError('draft', [{ field: 'file', message }]);
  if (input.upload.content.byteLength === 0) throw fail('The selected file is empty');
  if (input.upload.content.byteLength > DRAFT_MAX_BYTES)
    throw fail('The selected file must be 4 MB or smaller');
  const kind = uploadedFileKind(input.upload.content);
  if (!kind) throw fail('The selected file must be a PDF or a Word document (.docx)');
  const note = input.note?.trim() ? parseInput(text(200), input.note.trim(), 'draft') : undefined;
  const { review, drafts } = await open(service, input.reviewId, 'drafts');
  if (!mayWorkOn(review, input.member)) throw new LocalReviewNotFoundError();
  // As for an answer to the partners: the review's reviewer uploads as the reviewer, whatever other role they hold.
  const byReviewer = isReviewerOf(review, input.member);
  const version = Math.max(0, ...drafts.drafts.map((draft) => draft.version)) + 1;
  const key = draftDocumentKey(input.reviewId, version, kind);
  await service.documents.put(key, input.upload.content, mediaTypeOfKind[kind]);
  const fileName =
    input.upload.fileName
      .replace(/[\p{Cc}\\/]+/gu, ' ')
      .trim()
      .slice(0, 200) || `draft.${kind}`;
  let added: DraftVersion | undefined;
  await save(
    service,
    drafts,
    input.member,
    (at) => {
      added = {
        version,
        fileName,
        key,
        kind,
        bytes: input.upload.content.byteLength,
        ...(note ? { note } : {}),
        ...recordedBy(input.member, at),
      };
      return { drafts: [...drafts.drafts, added] };
    },
    {
      action: 'local-review.draft-uploaded',
      reason: byReviewer
        ? `The reviewer uploaded draft version ${version}`
        : `Draft version ${version} uploaded`,
      details: { version, kind, bytes: input.upload.content.byteLength },
    },
    undefined,
    byReviewer ? 'reviewer' : 'partnership-team',
  );
  if (byReviewer) {
    await service.mailer.sendOnce(
      `${review.reviewId}:ReviewerDraftUploaded:${version}`,
      reviewerDraftUploadedEmail(
        localReviewEmailContext(service.profile, review, service.publicBaseUrl),
        version,
      ),
    );
  }
  return added as DraftVersion;
}

/** A draft version's bytes, name and type, for the team (and an agency in a round of that version). */
export async function readDraft(
  service: Pick<Service, 'localReviews' | 'localReviewDrafts' | 'documents'>,
  input: { reviewId: string; version: number },
): Promise<{ draft: DraftVersion; bytes: Uint8Array; contentType: string }> {
  const { drafts } = await showLocalReviewDrafts(service, input.reviewId);
  const draft = drafts.drafts.find((candidate) => candidate.version === input.version);
  if (!draft) throw new NotFoundError('There is no such version of the draft');
  return {
    draft,
    bytes: await service.documents.getBytes(draft.key),
    contentType: mediaTypeOfKind[draft.kind],
  };
}

/**
 * The version the team chose as the final report: what goes to the Panel and the Secretary of
 * State with the notice before publication (each notice's audit event records which version went).
 */
export async function chooseFinalVersion(
  service: DraftsPorts,
  input: { reviewId: string; version: number; member: StaffMember },
): Promise<LocalReviewDrafts> {
  const { drafts } = await open(service, input.reviewId, 'the final version');
  if (!drafts.drafts.some((draft) => draft.version === input.version)) {
    throw new NotFoundError('There is no such version of the draft');
  }
  return save(
    service,
    drafts,
    input.member,
    (at) => ({ finalVersion: { version: input.version, ...recordedBy(input.member, at) } }),
    {
      action: 'local-review.final-version-chosen',
      reason: `Draft version ${input.version} chosen as the final report`,
      details: { version: input.version },
    },
  );
}

/**
 * Starts a factual-accuracy round: each agency of the review gets the draft by an expiring link,
 * comments due by `dueOn`. Then the round's reminders start: an execution of the local-review
 * workflow named by the round, which waits for each reminder (`chaseFactualAccuracyRound`).
 */
export async function startFactualAccuracyRound(
  service: DraftsPorts & Pick<Service, 'cases' | 'mailer' | 'publicBaseUrl' | 'factualAccuracyChases'>,
  input: { reviewId: string; draftVersion: number; dueOn: unknown; member: StaffMember },
): Promise<FactualAccuracyRound> {
  const { review, drafts } = await open(service, input.reviewId, 'factual-accuracy rounds');
  const draft = drafts.drafts.find((candidate) => candidate.version === input.draftVersion);
  if (!draft) throw new NotFoundError('There is no such version of the draft');
  const dueOn = parseInput(isoDate, input.dueOn, 'factual-accuracy round');
  if (dueOn <= today(service)) {
    throw new InvalidInputError('factual-accuracy round', [
      { field: 'dueOn', message: 'The date comments are due must be in the future' },
    ]);
  }
  // Its reminders wait in one execution, which lasts at most a year.
  if (dueOn > CalendarDate.from(today(service)).add({ days: LATEST_ROUND_DUE_DAYS }).toString()) {
    throw new InvalidInputError('factual-accuracy round', [
      {
        field: 'dueOn',
        message: `The date comments are due must be within ${LATEST_ROUND_DUE_DAYS} days`,
      },
    ]);
  }
  const taking = review.termsOfReference?.agencyIds;
  const agencies = review.agencies.filter((agency) => !taking || taking.includes(agency.agencyId));
  if (agencies.length === 0) {
    throw new LocalReviewRefusedError(
      `Local review ${review.reference} has no agencies to send the draft to.`,
    );
  }
  const contacts = await agencyContacts(service, review);
  const number = nextNumber(drafts.rounds);
  const expiresAt = new Date(
    Date.parse(`${dueOn}T23:59:59Z`) + FACTUAL_ACCURACY_LINK_DAYS_AFTER_DUE * 86_400_000,
  ).toISOString();
  const minted = agencies.map((agency) => ({ agency, ...mintAgencyToken() }));
  const roundAgencies: FactualAccuracyAgency[] = minted.map(({ agency, tokenHash }) => ({
    agencyId: agency.agencyId,
    agencyName: agency.agencyName,
    tokenHash,
    reminderTokenHashes: [],
    reminders: [],
    expiresAt,
  }));
  let round: FactualAccuracyRound | undefined;
  await save(
    service,
    drafts,
    input.member,
    (at) => {
      round = {
        number,
        draftVersion: draft.version,
        dueOn,
        agencies: roundAgencies,
        ...recordedBy(input.member, at),
      };
      return { rounds: [...drafts.rounds, round] };
    },
    {
      action: 'local-review.factual-accuracy-started',
      reason: `Draft version ${draft.version} sent to ${agencies.length} ${agencies.length === 1 ? 'agency' : 'agencies'} for factual accuracy, comments due by ${formatDate(dueOn)}`,
      details: { number, draftVersion: draft.version, dueOn },
    },
    minted.map(({ agency, tokenHash }) => ({
      tokenHash,
      link: { reviewId: review.reviewId, round: number, agencyId: agency.agencyId, expiresAt },
    })),
  );
  const profile = service.profile;
  for (const { agency, token } of minted) {
    const contact = contacts.get(agency.agencyId);
    if (!contact) continue;
    await service.mailer.sendOnce(`${review.reviewId}:FactualAccuracy:${number}:${agency.agencyId}`, {
      to: [contact.email],
      replyTo: [profile.partnershipTeamAddress],
      subject: `Local review ${review.reference}: check the draft report for factual accuracy by ${formatDate(dueOn)}`,
      text: [
        `Dear ${contact.name},`,
        '',
        `${profile.partnershipName} asks ${agency.agencyName} to check the draft report of local child safeguarding practice review ${review.reference} for factual accuracy.`,
        '',
        `Read the draft and send your comments by ${formatDate(dueOn)}:`,
        `${service.publicBaseUrl}/factual-accuracy/${token}`,
        '',
        'The link is for your agency only. Do not forward it.',
        '',
        profile.partnershipName,
      ].join('\n'),
    });
  }
  await service.factualAccuracyChases.start(factualAccuracyChaseId(review.reviewId, number));
  return round as FactualAccuracyRound;
}

/** What an agency's factual-accuracy link opens: the review, the round, its own part, the draft. */
export interface FactualAccuracyView {
  review: LocalReview;
  round: FactualAccuracyRound;
  agency: FactualAccuracyAgency;
  draft: DraftVersion;
  drafts: LocalReviewDrafts;
}

/** Opens an agency's factual-accuracy link, or FactualAccuracyLinkError (unknown or expired). */
export async function openFactualAccuracyLink(
  service: Pick<Service, 'clock' | 'localReviews' | 'localReviewDrafts'>,
  token: string,
): Promise<FactualAccuracyView> {
  const refused = () =>
    new FactualAccuracyLinkError(
      'This link is not recognised, or it has expired. Contact the partnership team if you still need to comment.',
    );
  if (!looksLikeAgencyToken(token)) throw refused();
  const tokenHash = hashAgencyToken(token);
  const link = await service.localReviewDrafts.findFactualAccuracyLink(tokenHash);
  if (!link || Date.parse(link.expiresAt) <= service.clock.now().getTime()) throw refused();
  const review = await service.localReviews.getLocalReview(link.reviewId);
  const drafts = await service.localReviewDrafts.getDrafts(link.reviewId);
  const round = drafts.rounds.find((candidate) => candidate.number === link.round);
  // The round's first link, or one a reminder carried.
  const agency = round?.agencies.find(
    (candidate) =>
      candidate.agencyId === link.agencyId &&
      (candidate.tokenHash === tokenHash || candidate.reminderTokenHashes.includes(tokenHash)),
  );
  const draft = drafts.drafts.find((candidate) => candidate.version === round?.draftVersion);
  if (!review || !round || !agency || !draft || review.status === 'published') throw refused();
  return { review, round, agency, draft, drafts };
}

/** An agency's comments on the draft, through its link; sent again, they replace the earlier ones. */
export async function commentOnDraft(
  service: Pick<Service, 'clock' | 'profile' | 'localReviews' | 'localReviewDrafts'>,
  input: { token: string; comments: unknown },
): Promise<FactualAccuracyView> {
  const view = await openFactualAccuracyLink(service, input.token);
  const comments = parseInput(text(10000, { multiline: true }), input.comments, 'comments');
  const at = service.clock.now().toISOString();
  const { version: _version, reviewId: _reviewId, ...rest } = view.drafts;
  const late = isoDateOf(at, rulesOf(service.profile).timeZone) > view.round.dueOn;
  await service.localReviewDrafts.saveDrafts(
    view.drafts,
    {
      ...rest,
      rounds: view.drafts.rounds.map((round) =>
        round.number === view.round.number
          ? {
              ...round,
              agencies: round.agencies.map((agency) =>
                agency.tokenHash === view.agency.tokenHash
                  ? { ...agency, comments: { text: comments, at } }
                  : agency,
              ),
            }
          : round,
      ),
    },
    {
      actor: { kind: 'agency', agencyId: view.agency.agencyId },
      at,
      action: 'local-review.factual-accuracy-commented',
      reason: `${view.agency.agencyName} commented on draft version ${view.draft.version}${late ? ', after the due date' : ''}`,
      details: { round: view.round.number, agencyId: view.agency.agencyId, late },
    },
  );
  return openFactualAccuracyLink(service, input.token);
}

/** Records the partnership's quality check of a draft version against the framework's expectations of a final report. */
export async function recordQualityChecklist(
  service: DraftsPorts,
  input: { reviewId: string; draftVersion: number; answers: unknown; member: StaffMember },
): Promise<LocalReviewDrafts> {
  const { drafts } = await open(service, input.reviewId, 'the quality checklist');
  if (!drafts.drafts.some((draft) => draft.version === input.draftVersion)) {
    throw new NotFoundError('There is no such version of the draft');
  }
  const answers = parseInput(qualityChecklistAnswers, input.answers, 'quality checklist');
  const met = Object.values(answers).filter((item) => item.met).length;
  return save(
    service,
    drafts,
    input.member,
    (at) => ({
      checklists: [
        ...drafts.checklists,
        { ...answers, draftVersion: input.draftVersion, ...recordedBy(input.member, at) },
      ],
    }),
    {
      action: 'local-review.quality-checked',
      reason: `Draft version ${input.draftVersion} checked against the framework's expectations of a final report: ${met} of 3 met`,
      details: { draftVersion: input.draftVersion, met },
    },
  );
}

/** How each agency stands in a round: commented on time, late, or not yet (and whether the due date has passed). */
export function commentState(
  agency: FactualAccuracyAgency,
  round: FactualAccuracyRound,
  todayIso: string,
  timeZone = 'Europe/London',
): 'on-time' | 'late' | 'awaiting' | 'none' {
  if (agency.comments) return isoDateOf(agency.comments.at, timeZone) > round.dueOn ? 'late' : 'on-time';
  return todayIso > round.dueOn ? 'none' : 'awaiting';
}

// ── Reminders to comment ─────────────────────────────────────────────────────────────────────

/** One reminder of a round: how many working days before the due day, and when it falls. */
export interface FactualAccuracyReminderTime {
  workingDaysBefore: number;
  at: string;
}

/**
 * When a round's reminders fall, earliest first: the profile's
 * `localReviews.factualAccuracyReminderWorkingDaysBefore` (by default the working day before the
 * due day, and the due day), each at the start of its working day in the partnership's time
 * zone. A due day that is no working day counts from the working day before it. Only reminders
 * after the round began: a round due tomorrow has no reminder this morning.
 */
export function factualAccuracyReminderTimes(
  profile: Service['profile'],
  round: Pick<FactualAccuracyRound, 'dueOn' | 'recordedAt'>,
): FactualAccuracyReminderTime[] {
  const hours = rulesOf(profile);
  const due = CalendarDate.from(round.dueOn);
  const lastDay = isWorkingDay(due) ? due : previousWorkingDay(due);
  const offsets = [...new Set(localReviewRulesOf(profile).factualAccuracyReminderWorkingDaysBefore)].sort(
    (a, b) => b - a,
  );
  return offsets
    .map((workingDaysBefore) => ({
      workingDaysBefore,
      at: instantAt(
        subtractWorkingDays(lastDay, workingDaysBefore),
        hours.workingDayStart,
        hours.timeZone,
      ).toISOString(),
    }))
    .filter((reminder) => Date.parse(reminder.at) > Date.parse(round.recordedAt));
}

/** What the reminding step answers the workflow: wait until `nextAt`, or stop (`done`, `nextAt` now). */
export interface FactualAccuracyChaseOutcome {
  done: boolean;
  nextAt: string;
}

type ChasePorts = Pick<
  Service,
  'clock' | 'profile' | 'publicBaseUrl' | 'cases' | 'mailer' | 'localReviews' | 'localReviewDrafts'
>;

/** How many times a change to one round is tried on a fresh read when an agency's comment came between. */
const ROUND_WRITE_ATTEMPTS = 3;

/**
 * Changes each agency of a round as `change` says, on a fresh read, with its audit event (and
 * new links). An agency commenting at the same moment makes the write stale: it is read again
 * and tried again, a few times, before the workflow's own retry takes over.
 */
async function changeRound(
  service: ChasePorts,
  reviewId: string,
  roundNumber: number,
  change: (agency: FactualAccuracyAgency) => FactualAccuracyAgency,
  audit: Omit<AuditInput, 'actor' | 'at'>,
  links: readonly NewFactualAccuracyLink[] = [],
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const drafts = await service.localReviewDrafts.getDrafts(reviewId);
    const { version: _version, reviewId: _reviewId, ...rest } = drafts;
    try {
      await service.localReviewDrafts.saveDrafts(
        drafts,
        {
          ...rest,
          rounds: drafts.rounds.map((round) =>
            round.number === roundNumber ? { ...round, agencies: round.agencies.map(change) } : round,
          ),
        },
        {
          actor: { kind: 'system', id: 'chase-factual-accuracy' },
          at: service.clock.now().toISOString(),
          ...audit,
        },
        links,
      );
      return;
    } catch (error) {
      if (!(error instanceof StaleWriteError) || attempt >= ROUND_WRITE_ATTEMPTS) throw error;
    }
  }
}

function reminderEmail(
  service: Pick<Service, 'profile'>,
  review: LocalReview,
  round: FactualAccuracyRound,
  agency: FactualAccuracyAgency,
  contact: { name: string; email: string },
  link: string,
): EmailMessage {
  const profile = service.profile;
  return {
    to: [contact.email],
    replyTo: [profile.partnershipTeamAddress],
    subject: `Local review ${review.reference}: reminder to check the draft report for factual accuracy by ${formatDate(round.dueOn)}`,
    text: [
      `Dear ${contact.name},`,
      '',
      `${profile.partnershipName} has not yet had comments from ${agency.agencyName} on the factual accuracy of the draft report of local child safeguarding practice review ${review.reference}. They are due by ${formatDate(round.dueOn)}.`,
      '',
      'Read the draft and send your comments here:',
      link,
      '',
      'This link is new. The link in our earlier email works too, until the same day.',
      'The link is for your agency only. Do not forward it.',
      '',
      profile.partnershipName,
    ].join('\n'),
  };
}

/**
 * The workflow's step for one factual-accuracy round (its own execution,
 * `<reviewId>-round-<number>`): when a reminder is due, each agency that has not commented (and
 * has a contact) is emailed a reminder with a new link of its own, once. The links are written
 * first, each beside the agency's earlier ones (only hashes are kept, so a link cannot be sent
 * again: a retry makes another, and whichever email went, its link works); then the emails, each
 * once by its key; then each reminder is marked sent, audited. When several reminders are due at
 * once (the step ran late), only the latest is sent. Answers when the next reminder falls, or
 * that there is nothing more to wait for: every agency commented, a later round began, the
 * review ended, or the reminders are all past.
 */
export async function chaseFactualAccuracyRound(
  service: ChasePorts,
  input: { reviewId: string; roundNumber: number },
): Promise<FactualAccuracyChaseOutcome> {
  const review = await loadLocalReview(service, input.reviewId);
  const drafts = await service.localReviewDrafts.getDrafts(review.reviewId);
  const round = drafts.rounds.find((candidate) => candidate.number === input.roundNumber);
  if (!round) throw new NotFoundError('There is no such factual-accuracy round on this review');
  const now = service.clock.now();
  const done = { done: true, nextAt: now.toISOString() };
  if (
    review.status === 'published' ||
    review.status === 'failed' ||
    drafts.rounds.some((later) => later.number > round.number) ||
    round.agencies.every((agency) => agency.comments)
  ) {
    return done;
  }
  const times = factualAccuracyReminderTimes(service.profile, round);
  const due = times.filter((reminder) => Date.parse(reminder.at) <= now.getTime()).at(-1);
  if (due) await remind(service, review, round, due.workingDaysBefore);
  const next = times.find((reminder) => Date.parse(reminder.at) > now.getTime());
  return next ? { done: false, nextAt: next.at } : done;
}

async function remind(
  service: ChasePorts,
  review: LocalReview,
  round: FactualAccuracyRound,
  workingDaysBefore: number,
): Promise<void> {
  const contacts = await agencyContacts(service, review);
  // A reminder sent on a later day stands for this one too.
  const reminded = (agency: FactualAccuracyAgency) =>
    agency.reminders.some((each) => each.sentAt && each.workingDaysBefore <= workingDaysBefore);
  const targets = round.agencies.filter(
    (agency) => !agency.comments && contacts.has(agency.agencyId) && !reminded(agency),
  );
  if (targets.length === 0) return;
  const names = targets.map((agency) => agency.agencyName).join(', ');
  const minted = new Map(targets.map((agency) => [agency.agencyId, mintAgencyToken()]));

  await changeRound(
    service,
    review.reviewId,
    round.number,
    (agency) => {
      const link = minted.get(agency.agencyId);
      if (!link) return agency;
      return {
        ...agency,
        reminderTokenHashes: [...agency.reminderTokenHashes, link.tokenHash],
        reminders: agency.reminders.some((each) => each.workingDaysBefore === workingDaysBefore)
          ? agency.reminders
          : [...agency.reminders, { workingDaysBefore }],
      };
    },
    {
      action: 'local-review.factual-accuracy-reminder-links',
      reason: `A new link made for a reminder to ${names} to comment on draft version ${round.draftVersion}; the earlier links still work`,
      details: { round: round.number, workingDaysBefore },
    },
    targets.map((agency) => ({
      tokenHash: minted.get(agency.agencyId)!.tokenHash,
      link: {
        reviewId: review.reviewId,
        round: round.number,
        agencyId: agency.agencyId,
        // The reminder's link lasts as long as the round's first one.
        expiresAt: agency.expiresAt,
      },
    })),
  );

  await service.mailer.sendEachOnce(
    targets.map((agency) => ({
      key: `${review.reviewId}:FactualAccuracyReminder:${round.number}:${agency.agencyId}:${workingDaysBefore}`,
      message: reminderEmail(
        service,
        review,
        round,
        agency,
        contacts.get(agency.agencyId)!,
        `${service.publicBaseUrl}/factual-accuracy/${minted.get(agency.agencyId)!.token}`,
      ),
    })),
  );

  const sentAt = service.clock.now().toISOString();
  await changeRound(
    service,
    review.reviewId,
    round.number,
    (agency) =>
      minted.has(agency.agencyId)
        ? {
            ...agency,
            reminders: agency.reminders.map((each) =>
              each.workingDaysBefore === workingDaysBefore && !each.sentAt ? { ...each, sentAt } : each,
            ),
          }
        : agency,
    {
      action: 'local-review.factual-accuracy-reminded',
      reason: `${names} reminded by email to comment on draft version ${round.draftVersion} for factual accuracy, due by ${formatDate(round.dueOn)}`,
      details: { round: round.number, workingDaysBefore, agencies: targets.length },
    },
  );
}
