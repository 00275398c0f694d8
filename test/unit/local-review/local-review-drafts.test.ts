import { beforeEach, describe, expect, it } from 'vitest';
import { partnershipProfile } from '../../../shared/config/partnership-profile.ts';
import { InvalidInputError } from '../../../shared/errors.ts';
import type { StaffMember } from '../../../shared/schemas/roles.ts';
import {
  commissionLocalReview,
  LocalReviewNotFoundError,
  planLocalReviewPublication,
} from '../../../shared/use-cases/local-review.ts';
import {
  chaseFactualAccuracyRound,
  chooseFinalVersion,
  commentOnDraft,
  commentState,
  FactualAccuracyLinkError,
  factualAccuracyReminderTimes,
  openFactualAccuracyLink,
  readDraft,
  recordFamilyContact,
  recordFamilyMember,
  recordLearningEvent,
  recordQualityChecklist,
  recordSupervisionAnswer,
  recordSupervisionRequest,
  startFactualAccuracyRound,
  uploadDraft,
} from '../../../shared/use-cases/local-review-drafts.ts';
import { sendPrePublicationNotice } from '../../../shared/use-cases/local-review-tasks.ts';
import { InMemoryLocalReviewDraftsStore } from '../../support/in-memory-local-review-drafts-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { fakeService, openSampleCase, sampleDecision, testProfile } from '../workflow/workflow-fakes.ts';

const team: StaffMember = {
  id: 'user-team-test',
  roles: ['partnership-team'],
  name: 'Team Member (invented)',
};
const PDF = new TextEncoder().encode('%PDF-1.7\n% an invented draft\n');

function draftsService() {
  const fakes = fakeService('2026-03-25T10:00:00Z');
  const localReviews = new InMemoryLocalReviewStore();
  const localReviewDrafts = new InMemoryLocalReviewDraftsStore(localReviews.audit);
  const roundChasesStarted: string[] = [];
  const service = {
    clock: fakes.clock,
    cases: fakes.cases,
    mailer: fakes.mailer,
    documents: fakes.documents,
    publicBaseUrl: fakes.service.publicBaseUrl,
    profile: testProfile,
    localReviews,
    localReviewDrafts,
    localReviewWorkflow: { start: async () => 'started' as const } as never,
    // Each factual-accuracy round's reminders: an execution named by the round.
    factualAccuracyChases: {
      start: async (name: string) => {
        roundChasesStarted.push(name);
        return 'started' as const;
      },
    } as never,
  };
  return { ...fakes, service, localReviews, localReviewDrafts, roundChasesStarted };
}

async function commissioned(fixture: ReturnType<typeof draftsService>) {
  const record = await openSampleCase(fixture.cases, {
    changes: { status: 'decided', decision: sampleDecision },
  });
  const { review } = await commissionLocalReview(fixture.service, { caseId: record.caseId, member: team });
  return review;
}

describe('the review’s work in writing', () => {
  let fixture: ReturnType<typeof draftsService>;
  beforeEach(() => {
    fixture = draftsService();
  });

  it('records a learning event with its invitations and attendance, audited on the review', async () => {
    const review = await commissioned(fixture);

    const drafts = await recordLearningEvent(fixture.service, {
      reviewId: review.reviewId,
      answers: {
        heldOn: '2026-03-20',
        invited: 'Health visitors, school staff (invented)',
        attended: 'Six practitioners (invented)',
      },
      member: team,
    });

    expect(drafts.learningEvents).toMatchObject([{ number: 1, heldOn: '2026-03-20', recordedBy: team.id }]);
    expect(fixture.localReviews.audit.get(review.reviewId)?.at(-1)?.action).toBe(
      'local-review.learning-event-recorded',
    );
  });

  it('refuses a learning event in the future, naming the date', async () => {
    const review = await commissioned(fixture);

    const refused = recordLearningEvent(fixture.service, {
      reviewId: review.reviewId,
      answers: { heldOn: '2026-04-20', invited: 'Invented', attended: 'Invented' },
      member: team,
    });

    await expect(refused).rejects.toMatchObject({ fields: [{ field: 'heldOn' }] });
  });

  it('refuses a family member not invited without the reason, naming the field, and keeps one given with it', async () => {
    const review = await commissioned(fixture);

    const refused = recordFamilyMember(fixture.service, {
      reviewId: review.reviewId,
      answers: { who: 'Father (invented)', invited: false, tookPart: 'no' },
      member: team,
    });
    await expect(refused).rejects.toThrow(InvalidInputError);
    await expect(refused).rejects.toMatchObject({
      fields: [{ field: 'reasonNotInvited', message: 'Enter why they were not invited' }],
    });

    const drafts = await recordFamilyMember(fixture.service, {
      reviewId: review.reviewId,
      answers: {
        who: 'Father (invented)',
        invited: false,
        reasonNotInvited: 'In prison, no contact order (invented)',
        tookPart: 'no',
      },
      member: team,
    });
    expect(drafts.family[0]).toMatchObject({
      number: 1,
      invited: false,
      reasonNotInvited: expect.stringContaining('invented'),
    });
  });

  it('logs each contact with a family member: date, how and what', async () => {
    const review = await commissioned(fixture);
    await recordFamilyMember(fixture.service, {
      reviewId: review.reviewId,
      answers: { who: 'Mother (invented)', invited: true, tookPart: 'yes' },
      member: team,
    });

    const drafts = await recordFamilyContact(fixture.service, {
      reviewId: review.reviewId,
      number: 1,
      answers: { on: '2026-03-24', how: 'letter', what: 'Invitation to meet the reviewer (invented)' },
      member: team,
    });

    expect(drafts.family[0]?.contacts).toMatchObject([{ on: '2026-03-24', how: 'letter' }]);
  });

  it('takes the answer from the review’s own reviewer, named in the audit, and from no other reviewer', async () => {
    const review = await commissioned(fixture);
    await fixture.localReviews.updateLocalReview(
      review,
      {
        reviewer: {
          name: 'Robin Reviewer (invented)',
          organisation: 'Invented Reviews',
          email: 'reviewer.invented@example.org',
          evidence: {
            professionalKnowledge: 'Invented',
            research: 'Invented',
            complexCircumstances: 'Invented',
            withoutHindsight: 'Invented',
            communication: 'Invented',
            conflicts: 'None',
          },
          contractStartsOn: '2026-04-01',
          contractEndsOn: '2026-10-01',
          feePence: 100,
          recordedAt: '2026-03-24T10:00:00Z',
          recordedBy: 'test',
        },
      },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-24T10:00:00Z',
        action: 'local-review.reviewer-appointed',
        reason: 'Invented',
      },
    );
    await recordSupervisionRequest(fixture.service, {
      reviewId: review.reviewId,
      answers: { kind: 'information', request: 'Invented', askedOn: '2026-03-24' },
      member: team,
    });
    const reviewer = (email: string): StaffMember => ({
      id: 'user-reviewer-test',
      roles: ['reviewer'],
      name: 'Robin Reviewer (invented)',
      email,
    });
    const answer = { answer: 'Here it is (invented)', answeredOn: '2026-03-25' };

    await expect(
      recordSupervisionAnswer(fixture.service, {
        reviewId: review.reviewId,
        number: 1,
        answers: answer,
        member: reviewer('other.reviewer@example.org'),
      }),
    ).rejects.toThrow(LocalReviewNotFoundError);
    const drafts = await recordSupervisionAnswer(fixture.service, {
      reviewId: review.reviewId,
      number: 1,
      answers: answer,
      member: reviewer('reviewer.invented@example.org'),
    });

    expect(drafts.supervision[0]?.answer).toMatchObject({ ...answer, recordedBy: 'user-reviewer-test' });
    expect(fixture.localReviews.audit.get(review.reviewId)?.at(-1)).toMatchObject({
      action: 'local-review.reviewer-answered',
      actor: { kind: 'staff', role: 'reviewer', id: 'user-reviewer-test', name: 'Robin Reviewer (invented)' },
    });
  });

  it('keeps each request to the reviewer and its answer with their dates; an answer before the request is refused', async () => {
    const review = await commissioned(fixture);
    await recordSupervisionRequest(fixture.service, {
      reviewId: review.reviewId,
      answers: {
        kind: 'draft',
        request: 'Send the first draft (invented)',
        askedOn: '2026-03-23',
        dueOn: '2026-04-30',
      },
      member: team,
    });

    await expect(
      recordSupervisionAnswer(fixture.service, {
        reviewId: review.reviewId,
        number: 1,
        answers: { answer: 'Invented', answeredOn: '2026-03-22' },
        member: team,
      }),
    ).rejects.toMatchObject({ fields: [{ field: 'answeredOn' }] });
    const drafts = await recordSupervisionAnswer(fixture.service, {
      reviewId: review.reviewId,
      number: 1,
      answers: { answer: 'It will come by the end of April (invented)', answeredOn: '2026-03-25' },
      member: team,
    });

    expect(drafts.supervision[0]).toMatchObject({
      askedOn: '2026-03-23',
      answer: { answeredOn: '2026-03-25' },
    });
  });
});

describe('drafts, the factual-accuracy round and the quality checklist', () => {
  let fixture: ReturnType<typeof draftsService>;
  beforeEach(() => {
    fixture = draftsService();
  });

  it('keeps every version of the draft under its own key, and refuses a file that is neither PDF nor Word', async () => {
    const review = await commissioned(fixture);

    const first = await uploadDraft(fixture.service, {
      reviewId: review.reviewId,
      upload: { fileName: 'draft.pdf', content: PDF },
      member: team,
    });
    const second = await uploadDraft(fixture.service, {
      reviewId: review.reviewId,
      upload: { fileName: 'draft 2.pdf', content: PDF },
      member: team,
    });

    expect([first.version, second.version]).toEqual([1, 2]);
    expect(first.key).not.toBe(second.key);
    expect((await readDraft(fixture.service, { reviewId: review.reviewId, version: 1 })).bytes).toEqual(PDF);
    await expect(
      uploadDraft(fixture.service, {
        reviewId: review.reviewId,
        upload: { fileName: 'notes.txt', content: new TextEncoder().encode('plain text') },
        member: team,
      }),
    ).rejects.toMatchObject({ fields: [{ field: 'file' }] });
  });

  it('sends the draft to each agency by its own link, takes its comments through it, shows late and none, and refuses the link once expired', async () => {
    const review = await commissioned(fixture);
    await uploadDraft(fixture.service, {
      reviewId: review.reviewId,
      upload: { fileName: 'draft.pdf', content: PDF },
      member: team,
    });

    const round = await startFactualAccuracyRound(fixture.service, {
      reviewId: review.reviewId,
      draftVersion: 1,
      dueOn: '2026-04-08',
      member: team,
    });

    expect(round.agencies.map((agency) => agency.agencyId).sort()).toEqual(
      review.agencies.map((agency) => agency.agencyId).sort(),
    );
    const emails = fixture.mailer.sent.filter((email) => email.key.includes(':FactualAccuracy:'));
    expect(emails).toHaveLength(review.agencies.length);
    const token = /\/factual-accuracy\/([A-Za-z0-9_-]{43})/.exec(emails[0]?.message.text ?? '')?.[1] ?? '';
    expect(JSON.stringify(await fixture.localReviewDrafts.getDrafts(review.reviewId))).not.toContain(token);

    fixture.clock.set('2026-04-09T09:00:00Z');
    const view = await commentOnDraft(fixture.service, {
      token,
      comments: 'Page 3: the visit was on a Tuesday (invented).',
    });
    expect(view.agency.comments?.text).toContain('Tuesday');
    expect(commentState(view.agency, view.round, '2026-04-09')).toBe('late');
    const other = view.round.agencies.find((agency) => agency.tokenHash !== view.agency.tokenHash);
    if (other) expect(commentState(other, view.round, '2026-04-09')).toBe('none');
    expect(fixture.localReviews.audit.get(review.reviewId)?.at(-1)).toMatchObject({
      action: 'local-review.factual-accuracy-commented',
      actor: { kind: 'agency' },
    });

    fixture.clock.set('2026-06-01T09:00:00Z');
    await expect(openFactualAccuracyLink(fixture.service, token)).rejects.toThrow(FactualAccuracyLinkError);
    await expect(openFactualAccuracyLink(fixture.service, 'x'.repeat(43))).rejects.toThrow(
      FactualAccuracyLinkError,
    );
  });

  it('refuses a round whose comments are due today or earlier, naming the date', async () => {
    const review = await commissioned(fixture);
    await uploadDraft(fixture.service, {
      reviewId: review.reviewId,
      upload: { fileName: 'draft.pdf', content: PDF },
      member: team,
    });

    await expect(
      startFactualAccuracyRound(fixture.service, {
        reviewId: review.reviewId,
        draftVersion: 1,
        dueOn: '2026-03-25',
        member: team,
      }),
    ).rejects.toMatchObject({ fields: [{ field: 'dueOn' }] });
  });

  it('records the quality checklist, each expectation met or not with a note, and the version chosen as final', async () => {
    const review = await commissioned(fixture);
    await uploadDraft(fixture.service, {
      reviewId: review.reviewId,
      upload: { fileName: 'draft.pdf', content: PDF },
      member: team,
    });

    const refused = recordQualityChecklist(fixture.service, {
      reviewId: review.reviewId,
      draftVersion: 1,
      answers: { improvementsSummarised: { met: true, note: 'Yes (invented)' } },
      member: team,
    });
    await expect(refused).rejects.toMatchObject({
      fields: expect.arrayContaining([expect.objectContaining({ field: 'systemicReasons' })]),
    });

    const item = (met: boolean) => ({ met, note: 'Invented note' });
    const checked = await recordQualityChecklist(fixture.service, {
      reviewId: review.reviewId,
      draftVersion: 1,
      answers: {
        improvementsSummarised: item(true),
        systemicReasons: item(true),
        recommendationsWhoWhatWhen: item(false),
      },
      member: team,
    });
    expect(checked.checklists[0]?.recommendationsWhoWhatWhen.met).toBe(false);

    const final = await chooseFinalVersion(fixture.service, {
      reviewId: review.reviewId,
      version: 1,
      member: team,
    });
    expect(final.finalVersion?.version).toBe(1);
    expect(testProfile.partnershipName).toBeTruthy();
  });
});

describe('the notice before publication', () => {
  let fixture: ReturnType<typeof draftsService>;
  beforeEach(() => {
    fixture = draftsService();
  });

  async function planned(inFull: boolean) {
    const review = await commissioned(fixture);
    await planLocalReviewPublication(fixture.service, {
      reviewId: review.reviewId,
      answers: inFull
        ? { plannedOn: '2026-05-01', inFull: true }
        : { plannedOn: '2026-05-01', inFull: false, reasonsNotInFull: 'Invented reasons.' },
      member: team,
    });
    return review;
  }

  it('attaches the version the team chose as the final report, named by the review', async () => {
    const review = await planned(true);
    await uploadDraft(fixture.service, {
      reviewId: review.reviewId,
      upload: { fileName: 'one.pdf', content: PDF },
      member: team,
    });
    const finalBytes = new TextEncoder().encode('%PDF-1.7\n% the invented final report\n');
    await uploadDraft(fixture.service, {
      reviewId: review.reviewId,
      upload: { fileName: 'two.pdf', content: finalBytes },
      member: team,
    });
    await chooseFinalVersion(fixture.service, { reviewId: review.reviewId, version: 2, member: team });

    await sendPrePublicationNotice(fixture.service, { reviewId: review.reviewId });

    const notice = fixture.mailer.sent.find((email) => email.key.includes(':PrePublicationNotice:'))?.message;
    expect(notice?.to).toContain(testProfile.panelMailbox);
    expect(notice?.attachments).toEqual([
      {
        fileName: `${review.reference}-final-report.pdf`,
        contentType: 'application/pdf',
        content: finalBytes,
      },
    ]);
    expect(notice?.text).toContain(`The final report is attached (${review.reference}-final-report.pdf)`);
    expect(fixture.localReviews.audit.get(review.reviewId)?.at(-1)?.details).toMatchObject({
      finalVersion: 2,
    });
  });

  it('names the improvements information when the report is not published in full, and says plainly when no version was chosen', async () => {
    const review = await planned(false);

    await sendPrePublicationNotice(fixture.service, { reviewId: review.reviewId });

    const notice = fixture.mailer.sent.find((email) => email.key.includes(':PrePublicationNotice:'))?.message;
    expect(notice?.attachments).toBeUndefined();
    expect(notice?.text).toContain('No final version of the report was chosen on the service');
  });
});

describe('reminders to comment on a draft for factual accuracy', () => {
  let fixture: ReturnType<typeof draftsService>;
  beforeEach(() => {
    fixture = draftsService();
  });

  const times = (dueOn: string, recordedAt = '2026-03-02T10:00:00Z', profile = testProfile) =>
    factualAccuracyReminderTimes(profile, { dueOn, recordedAt });

  it('falls at the start of the working day before the due day and of the due day, in London time', () => {
    // Friday 13 March 2026, in GMT.
    expect(times('2026-03-13')).toEqual([
      { workingDaysBefore: 1, at: '2026-03-12T09:00:00.000Z' },
      { workingDaysBefore: 0, at: '2026-03-13T09:00:00.000Z' },
    ]);
    // Easter Monday 6 April 2026 is no working day, nor Good Friday: Wednesday and Thursday, in BST.
    expect(times('2026-04-06')).toEqual([
      { workingDaysBefore: 1, at: '2026-04-01T08:00:00.000Z' },
      { workingDaysBefore: 0, at: '2026-04-02T08:00:00.000Z' },
    ]);
  });

  it('takes its working days from the profile, and keeps only the reminders after the round began', () => {
    const profile = partnershipProfile.parse({
      ...testProfile,
      localReviews: { factualAccuracyReminderWorkingDaysBefore: [0, 3, 3] },
    });

    expect(times('2026-03-13', '2026-03-02T10:00:00Z', profile).map((each) => each.at)).toEqual([
      '2026-03-10T09:00:00.000Z',
      '2026-03-13T09:00:00.000Z',
    ]);
    expect(times('2026-03-13', '2026-03-12T12:00:00Z')).toEqual([
      { workingDaysBefore: 0, at: '2026-03-13T09:00:00.000Z' },
    ]);
  });

  /** Draft version 1 sent to the review's agencies on Wednesday 25 March, due Wednesday 8 April 2026. */
  async function roundSent() {
    const review = await commissioned(fixture);
    await uploadDraft(fixture.service, {
      reviewId: review.reviewId,
      upload: { fileName: 'draft.pdf', content: PDF },
      member: team,
    });
    await startFactualAccuracyRound(fixture.service, {
      reviewId: review.reviewId,
      draftVersion: 1,
      dueOn: '2026-04-08',
      member: team,
    });
    return review;
  }

  const reminderEmails = () =>
    fixture.mailer.sent.filter((email) => email.key.includes(':FactualAccuracyReminder:'));
  const tokenIn = (text: string) => /\/factual-accuracy\/([A-Za-z0-9_-]{43})/.exec(text)![1]!;

  it('starts the round’s own execution of the workflow, named by the round', async () => {
    const review = await roundSent();

    expect(fixture.roundChasesStarted).toEqual([`${review.reviewId}-round-1`]);
  });

  it('refuses comments due more than 300 days ahead, naming the date', async () => {
    const review = await commissioned(fixture);
    await uploadDraft(fixture.service, {
      reviewId: review.reviewId,
      upload: { fileName: 'draft.pdf', content: PDF },
      member: team,
    });

    await expect(
      startFactualAccuracyRound(fixture.service, {
        reviewId: review.reviewId,
        draftVersion: 1,
        dueOn: '2027-03-01',
        member: team,
      }),
    ).rejects.toMatchObject({ fields: [{ field: 'dueOn', message: expect.stringContaining('300 days') }] });
  });

  it('waits until the first reminder, then reminds each agency once with a working new link, however often it runs', async () => {
    const review = await roundSent();
    const input = { reviewId: review.reviewId, roundNumber: 1 };

    expect(await chaseFactualAccuracyRound(fixture.service, input)).toEqual({
      done: false,
      nextAt: '2026-04-07T08:00:00.000Z',
    });
    expect(reminderEmails()).toEqual([]);

    fixture.clock.set('2026-04-07T08:00:00Z');
    const first = await chaseFactualAccuracyRound(fixture.service, input);
    const again = await chaseFactualAccuracyRound(fixture.service, input);

    expect(first).toEqual({ done: false, nextAt: '2026-04-08T08:00:00.000Z' });
    expect(again).toEqual(first);
    expect(reminderEmails()).toHaveLength(review.agencies.length);
    expect(reminderEmails()[0]!.message.text).toContain('The link in our earlier email works too');
    const view = await openFactualAccuracyLink(fixture.service, tokenIn(reminderEmails()[0]!.message.text));
    expect(view.agency.reminders).toEqual([{ workingDaysBefore: 1, sentAt: '2026-04-07T08:00:00.000Z' }]);
    const drafts = await fixture.localReviewDrafts.getDrafts(review.reviewId);
    expect(JSON.stringify(drafts)).not.toContain(tokenIn(reminderEmails()[0]!.message.text));
    const reminded = (fixture.localReviews.audit.get(review.reviewId) ?? []).filter(
      (event) => event.action === 'local-review.factual-accuracy-reminded',
    );
    expect(reminded).toHaveLength(1);
    expect(reminded[0]).toMatchObject({ actor: { kind: 'system', id: 'chase-factual-accuracy' } });
  });

  it('sends a reminder whose email failed on the next attempt, with a link that works', async () => {
    const review = await roundSent();
    fixture.clock.set('2026-04-07T08:00:00Z');
    const sendEachOnce = fixture.mailer.sendEachOnce.bind(fixture.mailer);
    fixture.mailer.sendEachOnce = async () => {
      throw new Error('SES did not answer (invented)');
    };

    await expect(
      chaseFactualAccuracyRound(fixture.service, { reviewId: review.reviewId, roundNumber: 1 }),
    ).rejects.toThrow('SES did not answer');
    const pending = (await fixture.localReviewDrafts.getDrafts(review.reviewId)).rounds[0]!.agencies[0]!;
    expect(pending.reminders).toEqual([{ workingDaysBefore: 1 }]);
    fixture.mailer.sendEachOnce = sendEachOnce;
    await chaseFactualAccuracyRound(fixture.service, { reviewId: review.reviewId, roundNumber: 1 });

    expect(reminderEmails()).toHaveLength(review.agencies.length);
    const view = await openFactualAccuracyLink(fixture.service, tokenIn(reminderEmails()[0]!.message.text));
    expect(view.agency.reminders).toEqual([{ workingDaysBefore: 1, sentAt: '2026-04-07T08:00:00.000Z' }]);
  });

  it('run late, sends only the latest reminder due; stops once every agency has commented', async () => {
    const review = await roundSent();
    fixture.clock.set('2026-04-08T11:00:00Z');

    const late = await chaseFactualAccuracyRound(fixture.service, {
      reviewId: review.reviewId,
      roundNumber: 1,
    });

    expect(late).toEqual({ done: true, nextAt: '2026-04-08T11:00:00.000Z' });
    expect(reminderEmails().map((email) => email.key.split(':').at(-1))).toEqual(
      review.agencies.map(() => '0'),
    );
    for (const email of reminderEmails()) {
      await commentOnDraft(fixture.service, {
        token: tokenIn(email.message.text),
        comments: 'No comments (invented).',
      });
    }
    fixture.clock.set('2026-04-07T08:00:00Z');
    expect(
      await chaseFactualAccuracyRound(fixture.service, { reviewId: review.reviewId, roundNumber: 1 }),
    ).toMatchObject({ done: true });
    expect(reminderEmails()).toHaveLength(review.agencies.length);
  });

  it('stops reminding for a round a later round replaced', async () => {
    const review = await roundSent();
    await startFactualAccuracyRound(fixture.service, {
      reviewId: review.reviewId,
      draftVersion: 1,
      dueOn: '2026-04-10',
      member: team,
    });
    fixture.clock.set('2026-04-07T08:00:00Z');

    expect(
      await chaseFactualAccuracyRound(fixture.service, { reviewId: review.reviewId, roundNumber: 1 }),
    ).toMatchObject({ done: true });
    expect(reminderEmails()).toEqual([]);
  });
});
