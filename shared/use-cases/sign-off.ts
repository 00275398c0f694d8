import type { EmailMessage } from '../adapters/mailer.ts';
import {
  partnerOf,
  type SafeguardingPartner,
  safeguardingPartnerNames,
} from '../config/partnership-profile.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnavailableError } from '../errors.ts';
import { logError, logInfo, logWarning } from '../log.ts';
import {
  type CaseRecord,
  type SignOff,
  type SignOffResolution,
  signOffAnswer,
  signOffResolutionAnswer,
} from '../schemas/case.ts';
import { caseId as caseIdSchema } from '../schemas/primitives.ts';
import { type Actor, type StaffMember, staffActor } from '../schemas/roles.ts';
import type { Service } from '../service.ts';
import { parseInput } from '../validation.ts';
import { emailSubject } from '../workflow/email-subject.ts';
import { emailContext, replyToTeam, SIGN_OFF } from '../workflow/emails.ts';
import { resumeNowOrLater } from '../workflow/owed-resume.ts';
import { saveOnCase } from './save-on-case.ts';

/** What a sign-off touches: the case, the clock, and the Executive Board chair's email on a disagreement. */
export type SignOffPorts = Pick<
  Service,
  'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl' | 'workflow'
>;
/** What the Executive Board chair's resolution touches. */
export type ResolveSignOffsPorts = Pick<Service, 'cases' | 'clock' | 'workflow'>;

export { type PartnersDecision, partnersDecision } from '../workflow/readiness.ts';

const notFound = () => new NotFoundError('There is no case with this id');

/** The name a signed-in person is shown by: their sign-in's name, else their email. */
function displayName(member: StaffMember): string {
  return member.name || member.email || 'A signed-in member of staff';
}

/** The partnership team's shared mailbox stands in when the profile names no Executive Board chair. */
function boardChairAddress(service: Pick<Service, 'profile'>): string {
  if (service.profile.executiveBoard) return service.profile.executiveBoard.email;
  logWarning('The profile names no Executive Board chair: the disagreement goes to the partnership team');
  return service.profile.partnershipTeamAddress;
}

/**
 * A disagreement referred to the Executive Board chair. It names the case by its reference and
 * links to it; the reasons stay on the case (they may describe the family).
 */
export function disagreementEmail(
  service: Pick<Service, 'profile' | 'publicBaseUrl'>,
  record: CaseRecord,
  signOff: SignOff,
): EmailMessage {
  const partnerName = safeguardingPartnerNames[signOff.partner];
  const caseLink = `${service.publicBaseUrl}/cases/${record.caseId}`;
  return {
    to: [boardChairAddress(service)],
    ...replyToTeam(service.profile),
    subject: emailSubject(record.reference, 'a safeguarding partner disagrees with the decision'),
    text:
      [
        `The ${partnerName.toLowerCase()} safeguarding partner (${signOff.signedByName}) does not agree with the Rapid Review Group's decision on case ${record.reference}, and has given reasons.`,
        '',
        'The decision is referred to you as chair of the Executive Board. Read the reasons and record how the disagreement is resolved, signed in:',
        `${caseLink}/sign-offs/resolution`,
        '',
        `The case: ${caseLink}`,
      ].join('\n') + SIGN_OFF(emailContext(service.profile, record)),
  };
}

/**
 * A safeguarding partner (its lead or a delegate, found by their email in the profile) signs off
 * the chair's decision: agrees, or disagrees with reasons. One sign-off per partner. A
 * disagreement emails the Executive Board chair, once.
 *
 * @throws NotFoundError (no such case), ForbiddenError (the person is no partner's lead or
 * delegate), InvalidInputError (every bad field named), ConflictError (no decision yet, or this
 * partner has signed off already), UnavailableError (saved; the Board chair not emailed yet).
 */
export async function recordSignOff(
  service: SignOffPorts,
  submission: { caseId: string; answer: unknown; partner: StaffMember },
): Promise<SignOff> {
  const parsedId = caseIdSchema.safeParse(submission.caseId);
  if (!parsedId.success) throw notFound();
  const partner = partnerOf(service.profile, submission.partner.email);
  if (!partner) {
    throw new ForbiddenError(
      "Your email is not named as a safeguarding partner's lead or delegate in the partnership profile",
    );
  }
  const answer = parseInput(signOffAnswer, submission.answer, 'sign-off');
  const signOff: SignOff = {
    partner,
    agrees: answer.agrees,
    ...(answer.reasons ? { reasons: answer.reasons } : {}),
    signedAt: service.clock.now().toISOString(),
    signedBy: submission.partner.id,
    signedByName: displayName(submission.partner),
  };
  const actor: Actor = staffActor(submission.partner, 'safeguarding-partner');
  const record = await saveOnCase(
    service,
    parsedId.data,
    (current) => signOffRefusal(current, partner),
    (current) => ({
      // The workflow is owed a resume: written with the sign-off, settled after it (owed-resume.ts).
      changes: { signOffs: [...(current.signOffs ?? []), signOff], resumeOwed: signOff.signedAt },
      audit: {
        actor,
        at: signOff.signedAt,
        action: signOff.agrees ? 'sign-off.agreed' : 'sign-off.disagreed',
        reason: `The ${safeguardingPartnerNames[partner].toLowerCase()} safeguarding partner ${signOff.agrees ? 'agreed with' : 'disagreed with'} the decision`,
        details: { partner, agrees: signOff.agrees },
        eventId: `sign-off-${partner}`,
      },
    }),
  );
  await resumeNowOrLater(service, record.caseId);
  if (!signOff.agrees) {
    try {
      await service.mailer.sendOnce(
        `sign-off-disagreement/${record.caseId}/${partner}`,
        disagreementEmail(service, record, signOff),
      );
    } catch (error) {
      logError('Could not email the Executive Board chair', {
        caseId: record.caseId,
        error: (error as Error).name,
      });
      throw new UnavailableError(
        `The sign-off on case ${record.reference} is saved, but the Executive Board chair could not be emailed just now. Ask the partnership team to tell them. Do not sign off again.`,
        'Sign-off saved; Board chair not emailed',
      );
    }
  }
  logInfo('Sign-off recorded', { caseId: record.caseId, partner });
  return signOff;
}

/** Refuses a sign-off the case cannot take now. */
export function signOffRefusal(record: CaseRecord, partner: SafeguardingPartner): ConflictError | undefined {
  if (!record.decision) {
    return new ConflictError(
      `The chair's decision on case ${record.reference} is not recorded yet: the partners sign off after it`,
      'No decision to sign off',
    );
  }
  if (record.signOffs?.some((signOff) => signOff.partner === partner)) {
    return new ConflictError(
      `The ${safeguardingPartnerNames[partner].toLowerCase()} safeguarding partner has already signed off case ${record.reference}`,
      'Already signed off',
    );
  }
  return undefined;
}

/** Refuses a resolution the case cannot take now. */
export function resolutionRefusal(record: CaseRecord): ConflictError | undefined {
  if (record.signOffResolution) {
    return new ConflictError(
      `The Executive Board has already resolved the disagreement on case ${record.reference}`,
      'Already resolved',
    );
  }
  if (!record.signOffs?.some((signOff) => !signOff.agrees)) {
    return new ConflictError(
      `No safeguarding partner disagrees with the decision on case ${record.reference}: there is nothing to resolve`,
      'No disagreement to resolve',
    );
  }
  return undefined;
}

/**
 * The Executive Board chair resolves a partner's disagreement: the chair's decision stands, or
 * the Board varies it, with reasons. The partners' decision is then complete.
 *
 * @throws NotFoundError, InvalidInputError, ConflictError (no disagreement, or resolved already).
 */
export async function resolveSignOffs(
  service: ResolveSignOffsPorts,
  submission: { caseId: string; answer: unknown; boardChair: StaffMember },
): Promise<SignOffResolution> {
  const parsedId = caseIdSchema.safeParse(submission.caseId);
  if (!parsedId.success) throw notFound();
  const answer = parseInput(signOffResolutionAnswer, submission.answer, 'resolution');
  const resolution: SignOffResolution = {
    ...answer,
    resolvedAt: service.clock.now().toISOString(),
    resolvedBy: submission.boardChair.id,
    resolvedByName: displayName(submission.boardChair),
  };
  const actor: Actor = staffActor(submission.boardChair, 'executive-board');
  const record = await saveOnCase(service, parsedId.data, resolutionRefusal, () => ({
    changes: { signOffResolution: resolution, resumeOwed: resolution.resolvedAt },
    audit: {
      actor,
      at: resolution.resolvedAt,
      action: 'sign-off.resolved',
      reason:
        resolution.outcome === 'decision-stands'
          ? "The Executive Board chair resolved the disagreement: the chair's decision stands"
          : 'The Executive Board chair resolved the disagreement: the Board varies the decision',
      details: { outcome: resolution.outcome },
      eventId: 'sign-off-resolution',
    },
  }));
  await resumeNowOrLater(service, record.caseId);
  logInfo('Sign-off disagreement resolved', { caseId: record.caseId });
  return resolution;
}
