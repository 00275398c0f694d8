import { isRealDate } from '../calendar/dates.ts';
import { rulesOf } from '../config/partnership-profile.ts';
import {
  CaseNotFoundError,
  ConflictError,
  InvalidInputError,
  NotFoundError,
  StaleWriteError,
  UnavailableError,
} from '../errors.ts';
import { logError, logInfo } from '../log.ts';
import {
  type CaseRecord,
  type CaseStatus,
  panelReplyAnswers,
  type RecordedPanelReply,
} from '../schemas/case.ts';
import { futureDateMessage } from '../schemas/notification.ts';
import { caseId as caseIdSchema } from '../schemas/primitives.ts';
import { type Actor, type StaffMember, staffActor } from '../schemas/roles.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { CaseFile } from '../stores/case-store.ts';
import { invalidFields, parseInput } from '../validation.ts';
import { emailContext, panelReplyEmail } from '../workflow/emails.ts';
import { formatDate, isoDateOf } from '../workflow/london-time.ts';
import { caseUrl } from '../workflow/steps.ts';

/** What recording the Panel's reply touches. */
export type RecordPanelReplyPorts = Pick<Service, 'cases' | 'clock' | 'mailer' | 'profile' | 'publicBaseUrl'>;

/** The Panel's reply to a case, as given. */
export interface PanelReplySubmission {
  caseId: string;
  /** The reply's answers: validated here, every bad field named. */
  reply: unknown;
  /** The member of the partnership team recording it. */
  recordedBy: StaffMember;
}

/** The statuses in which the review has gone to the Panel, so a reply can be recorded. */
export const panelReplyStatuses: readonly CaseStatus[] = ['submitted-to-panel', 'completed'];

/** Another writer (the workflow completing the case) may change it between our read and our write. */
const SAVE_ATTEMPTS = 4;

const notFound = () => new NotFoundError('There is no case with this id');

/** The label the date's messages use, on the API and the page alike. */
export const repliedOnLabel = 'The date of the Panel’s reply';

/**
 * The reply as it may be recorded on `today` (YYYY-MM-DD, London) for a review that went to the
 * Panel on `submittedOn`: the reply's date is neither in the future nor before the submission.
 */
export function panelReplyOn(today: string, submittedOn: string | undefined) {
  // On the field itself, so a wrong date is named beside every other bad answer.
  const repliedOn = panelReplyAnswers.shape.repliedOn.check(
    z.superRefine((value: string, ctx) => {
      // A date the schema refused already has its message.
      if (!isRealDate(value)) return;
      const future = futureDateMessage(repliedOnLabel, value, today);
      if (future) ctx.addIssue({ code: 'custom', message: future, input: value });
      else if (submittedOn && value < submittedOn) {
        ctx.addIssue({
          code: 'custom',
          message: `${repliedOnLabel} must be on or after ${formatDate(submittedOn)}, when the review went to the Panel`,
          input: value,
        });
      }
    }),
  );
  return z.extend(panelReplyAnswers, { repliedOn });
}

/** The London date the review went to the Panel, from the submission's audit event. */
export function submittedOnOf(file: CaseFile, timeZone: string): string | undefined {
  const submitted =
    file.audit.find((event) => event.eventId === `${file.case.caseId}:SubmitToPanel`) ??
    file.audit.find((event) => event.action === 'panel.submitted');
  return submitted ? isoDateOf(submitted.at, timeZone) : undefined;
}

/** Refuses a reply the case cannot take now; answers undefined when it can. */
export function panelReplyRefusal(record: CaseRecord | undefined): NotFoundError | ConflictError | undefined {
  if (!record) return notFound();
  if (record.panelReply) {
    return new ConflictError(
      `The Panel's reply on case ${record.reference} was already recorded`,
      'Panel reply already recorded',
    );
  }
  if (!panelReplyStatuses.includes(record.status)) {
    return new ConflictError(
      `Case ${record.reference} has not gone to the Panel yet: its status is ${record.status}`,
      'Not yet submitted to the Panel',
    );
  }
  return undefined;
}

async function caseFile(service: RecordPanelReplyPorts, caseId: string): Promise<CaseFile | undefined> {
  try {
    return await service.cases.getCaseFile(caseId);
  } catch (error) {
    if (error instanceof CaseNotFoundError) return undefined;
    throw error;
  }
}

/**
 * Emails the Executive Board (when the profile names one) the Panel's reply, once per case
 * whatever happens: the mailer's key makes a second call find it sent.
 */
async function tellExecutiveBoard(service: RecordPanelReplyPorts, record: CaseRecord): Promise<boolean> {
  const board = service.profile.executiveBoard;
  if (!board || !record.panelReply) return false;
  const message = panelReplyEmail(
    emailContext(service.profile, record),
    board,
    record.panelReply,
    caseUrl(service.publicBaseUrl, record.caseId),
  );
  try {
    await service.mailer.sendOnce(`${record.caseId}:PanelReply:executive-board`, message);
  } catch (error) {
    logError('Could not email the Executive Board the Panel reply', {
      caseId: record.caseId,
      error: (error as Error).name,
    });
    throw new UnavailableError(
      `The Panel's reply on case ${record.reference} is saved, but the Executive Board could not be emailed just now. ` +
        'Record the reply again to send the email: the reply itself will not be recorded twice.',
      'Reply saved; Executive Board not yet emailed',
    );
  }
  return true;
}

/**
 * The partnership team records the national Panel's reply to a submitted Rapid Review: once, with
 * its audit event; a reply asking for a local review marks the case `localReviewToCommission`.
 * The Executive Board is then emailed (once). A repeat finds the reply recorded and refuses it,
 * after making sure the Board's email went.
 *
 * @throws NotFoundError, InvalidInputError (every bad field named), ConflictError (not yet
 * submitted, or already recorded), UnavailableError (saved; the Board's email not yet sent).
 */
export async function recordPanelReply(
  service: RecordPanelReplyPorts,
  submission: PanelReplySubmission,
): Promise<RecordedPanelReply> {
  const parsedId = caseIdSchema.safeParse(submission.caseId);
  if (!parsedId.success) throw notFound();
  const timeZone = rulesOf(service.profile).timeZone;
  const actor: Actor = staffActor(submission.recordedBy, 'partnership-team');
  // A malformed body is a 400 on any case, even one that cannot take a reply; on one that can,
  // the date's rules (which need the case's submission) are checked with the rest, every bad field named.
  const shape = panelReplyAnswers.safeParse(submission.reply);
  for (let attempt = 1; ; attempt += 1) {
    const file = await caseFile(service, parsedId.data);
    const refused = panelReplyRefusal(file?.case);
    if (refused && !shape.success) throw new InvalidInputError('reply', invalidFields(shape.error));
    if (refused) {
      // A repeat of a reply whose Board email did not go sends it now (once only, by its key).
      if (file?.case.panelReply) await tellExecutiveBoard(service, file.case);
      throw refused;
    }
    const record = (file as CaseFile).case;
    const now = service.clock.now();
    const answers = parseInput(
      panelReplyOn(isoDateOf(now, timeZone), submittedOnOf(file as CaseFile, timeZone)),
      submission.reply,
      'reply',
    );
    const reply: RecordedPanelReply = {
      ...answers,
      recordedAt: now.toISOString(),
      recordedBy: submission.recordedBy.id,
      ...(submission.recordedBy.name ? { recordedByName: submission.recordedBy.name } : {}),
    };
    let saved: CaseRecord;
    try {
      saved = await service.cases.updateCase(
        record,
        { panelReply: reply, ...(answers.asksForLocalReview ? { localReviewToCommission: true } : {}) },
        {
          actor,
          at: reply.recordedAt,
          action: 'panel-reply.recorded',
          reason: answers.asksForLocalReview
            ? "The partnership team recorded the Panel's reply, which asks for a local review: one is to be commissioned"
            : "The partnership team recorded the Panel's reply",
          details: {
            repliedOn: answers.repliedOn,
            agreesWithDecision: answers.agreesWithDecision,
            nationalReview: answers.nationalReview,
            asksForLocalReview: answers.asksForLocalReview,
          },
        },
      );
    } catch (error) {
      if (!(error instanceof StaleWriteError) || attempt >= SAVE_ATTEMPTS) throw error;
      continue;
    }
    const emailed = await tellExecutiveBoard(service, saved);
    logInfo('Panel reply recorded', { caseId: saved.caseId, executiveBoardEmailed: emailed });
    return reply;
  }
}
