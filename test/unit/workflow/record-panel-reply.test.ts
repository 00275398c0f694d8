import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError, UnavailableError } from '../../../shared/errors.ts';
import type { CaseStatus } from '../../../shared/schemas/case.ts';
import { recordPanelReply } from '../../../shared/use-cases/record-panel-reply.ts';
import { childNames, fakeService, openSampleCase, sampleDecision } from './workflow-fakes.ts';

const board = { name: 'Board Chair (test)', email: 'executive-board@example.org' };
const recorder = {
  id: 'user-partnership-team-test',
  roles: ['partnership-team'] as const,
  name: 'Case Officer (demo)',
};

/** An invented reply: agrees, no national review, no local review asked for. */
const aReply = {
  repliedOn: '2026-03-27',
  agreesWithDecision: true,
  nationalReview: false,
  asksForLocalReview: false,
  comments: 'Invented comments: the Panel agrees with the partnership (demo).\nA second line.',
  letterReference: 'CSPRP letter 2026/123 (demo)',
};

describe("record-panel-reply: the partnership team records the Panel's reply", () => {
  /** A case submitted to the Panel on Monday 23 March 2026; today is Monday 30 March. */
  async function aSubmittedCase(options: { withBoard?: boolean; status?: CaseStatus } = {}) {
    const fakes = fakeService('2026-03-30T10:00:00Z');
    const decided = await openSampleCase(fakes.cases, {
      changes: { status: 'decided', decision: sampleDecision },
    });
    const status = options.status ?? 'submitted-to-panel';
    const record =
      status === 'decided'
        ? decided
        : await fakes.cases.updateCase(
            decided,
            { status },
            {
              actor: { kind: 'system', id: 'rapid-review-workflow' },
              at: '2026-03-23T15:00:00.000Z',
              action: 'panel.submitted',
              reason: 'Sent to the Panel',
              eventId: `${decided.caseId}:SubmitToPanel`,
            },
          );
    const { cases, clock, mailer, profile, publicBaseUrl } = fakes.service;
    const service = {
      cases,
      clock,
      mailer,
      publicBaseUrl,
      profile: options.withBoard ? { ...profile, executiveBoard: board } : profile,
    };
    return { ...fakes, service, record };
  }

  it('stores the reply on the case with who recorded it, and audits it', async () => {
    const { service, cases, record } = await aSubmittedCase();

    const reply = await recordPanelReply(service, {
      caseId: record.caseId,
      reply: aReply,
      recordedBy: recorder,
    });

    expect(reply).toEqual({
      ...aReply,
      recordedAt: '2026-03-30T10:00:00.000Z',
      recordedBy: recorder.id,
      recordedByName: 'Case Officer (demo)',
    });
    const saved = cases.caseOf(record.caseId);
    expect(saved?.panelReply).toEqual(reply);
    expect(saved?.localReviewToCommission).toBeUndefined();
    expect(saved?.status).toBe('submitted-to-panel');
    expect(cases.auditOf(record.caseId).at(-1)).toMatchObject({
      action: 'panel-reply.recorded',
      actor: { kind: 'staff', id: recorder.id, role: 'partnership-team' },
      details: { repliedOn: '2026-03-27', agreesWithDecision: true, asksForLocalReview: false },
    });
  });

  it('marks the case "local review to commission" when the Panel asks for a local review', async () => {
    const { service, cases, record } = await aSubmittedCase({ status: 'completed' });

    await recordPanelReply(service, {
      caseId: record.caseId,
      reply: { ...aReply, asksForLocalReview: true },
      recordedBy: recorder,
    });

    expect(cases.caseOf(record.caseId)?.localReviewToCommission).toBe(true);
    expect(cases.auditOf(record.caseId).at(-1)?.reason).toContain('one is to be commissioned');
  });

  it('emails the Executive Board the reply once, naming no child and leaving out the comments', async () => {
    const { service, mailer, record } = await aSubmittedCase({ withBoard: true });

    await recordPanelReply(service, {
      caseId: record.caseId,
      reply: { ...aReply, asksForLocalReview: true },
      recordedBy: recorder,
    });
    await expect(
      recordPanelReply(service, { caseId: record.caseId, reply: aReply, recordedBy: recorder }),
    ).rejects.toBeInstanceOf(ConflictError);

    const [email, ...again] = mailer.to(board.email);
    expect(again).toEqual([]);
    expect(mailer.sent.map((sent) => sent.key)).toEqual([`${record.caseId}:PanelReply:executive-board`]);
    expect(email?.subject).toBe(`${record.reference}: the Panel's reply`);
    expect(email?.text).toContain('Dear Board Chair (test)');
    expect(email?.text).toContain('on Friday 27 March 2026');
    expect(email?.text).toContain('The Panel agrees with the decision.');
    expect(email?.text).toContain('The Panel will not carry out a national review.');
    expect(email?.text).toContain('marked as a local review to commission');
    expect(email?.text).toContain(`/cases/${record.caseId}`);
    expect(email?.text).not.toContain('Invented comments');
    for (const name of childNames()) expect(`${email?.subject}\n${email?.text}`).not.toContain(name);
  });

  it('sends no email when the profile names no Executive Board', async () => {
    const { service, mailer, record } = await aSubmittedCase();

    await recordPanelReply(service, { caseId: record.caseId, reply: aReply, recordedBy: recorder });

    expect(mailer.sent).toEqual([]);
  });

  it('refuses a second reply with a conflict and keeps the first', async () => {
    const { service, cases, record } = await aSubmittedCase();
    await recordPanelReply(service, { caseId: record.caseId, reply: aReply, recordedBy: recorder });

    const second = recordPanelReply(service, {
      caseId: record.caseId,
      reply: { ...aReply, agreesWithDecision: false },
      recordedBy: recorder,
    });

    await expect(second).rejects.toThrow(/already recorded/);
    expect(cases.caseOf(record.caseId)?.panelReply?.agreesWithDecision).toBe(true);
  });

  it('refuses a reply before the review has gone to the Panel', async () => {
    const { service, cases, record } = await aSubmittedCase({ status: 'decided' });

    await expect(
      recordPanelReply(service, { caseId: record.caseId, reply: aReply, recordedBy: recorder }),
    ).rejects.toThrow(/has not gone to the Panel yet/);
    expect(cases.caseOf(record.caseId)?.panelReply).toBeUndefined();
  });

  it('answers not found for an unknown or malformed case id', async () => {
    const { service } = await aSubmittedCase();

    for (const caseId of ['not-a-case', '6f1d7a52-3c1b-4e8e-9a55-0d1f1c9b2e11']) {
      await expect(
        recordPanelReply(service, { caseId, reply: aReply, recordedBy: recorder }),
      ).rejects.toBeInstanceOf(NotFoundError);
    }
  });

  it.each([
    ['a date in the future', { repliedOn: '2026-03-31' }, 'must be today or in the past'],
    [
      'a date before the submission',
      { repliedOn: '2026-03-20' },
      'must be on or after Monday 23 March 2026, when the review went to the Panel',
    ],
    ['a date that does not exist', { repliedOn: '2026-02-30' }, 'Enter a real date'],
  ])('refuses %s, naming the date', async (_, change, message) => {
    const { service, cases, record } = await aSubmittedCase();

    const error = await recordPanelReply(service, {
      caseId: record.caseId,
      reply: { ...aReply, ...change },
      recordedBy: recorder,
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).fields).toEqual([
      { field: 'repliedOn', message: expect.stringContaining(message) },
    ]);
    expect(cases.caseOf(record.caseId)?.panelReply).toBeUndefined();
  });

  it('accepts a reply on the day of the submission and on today', async () => {
    for (const repliedOn of ['2026-03-23', '2026-03-30']) {
      const { service, record } = await aSubmittedCase();
      await expect(
        recordPanelReply(service, {
          caseId: record.caseId,
          reply: { ...aReply, repliedOn },
          recordedBy: recorder,
        }),
      ).resolves.toMatchObject({ repliedOn });
    }
  });

  it('names every missing answer, and refuses control characters in the comments', async () => {
    const { service, record } = await aSubmittedCase();

    const missing = (await recordPanelReply(service, {
      caseId: record.caseId,
      reply: {},
      recordedBy: recorder,
    }).catch((caught: unknown) => caught)) as InvalidInputError;
    const controls = (await recordPanelReply(service, {
      caseId: record.caseId,
      reply: { ...aReply, comments: 'Invented\u0007comments' },
      recordedBy: recorder,
    }).catch((caught: unknown) => caught)) as InvalidInputError;

    expect(missing.fields.map((field) => field.field)).toEqual([
      'repliedOn',
      'agreesWithDecision',
      'nationalReview',
      'asksForLocalReview',
      'comments',
    ]);
    expect(controls.fields).toEqual([{ field: 'comments', message: 'Must not contain control characters' }]);
  });

  it("keeps the reply when the Board's email fails, and a repeat sends the email without recording twice", async () => {
    const { service, mailer, cases, record } = await aSubmittedCase({ withBoard: true });
    const sendOnce = mailer.sendOnce.bind(mailer);
    let failures = 1;
    mailer.sendOnce = async (key, message) => {
      if (failures-- > 0) throw new Error('SES is down (test)');
      return sendOnce(key, message);
    };

    await expect(
      recordPanelReply(service, { caseId: record.caseId, reply: aReply, recordedBy: recorder }),
    ).rejects.toBeInstanceOf(UnavailableError);
    expect(cases.caseOf(record.caseId)?.panelReply?.repliedOn).toBe('2026-03-27');
    expect(mailer.to(board.email)).toEqual([]);

    await expect(
      recordPanelReply(service, { caseId: record.caseId, reply: aReply, recordedBy: recorder }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(mailer.to(board.email)).toHaveLength(1);
    expect(
      cases.auditOf(record.caseId).filter((event) => event.action === 'panel-reply.recorded'),
    ).toHaveLength(1);
  });
});
