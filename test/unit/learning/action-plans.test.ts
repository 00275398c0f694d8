import { describe, expect, it } from 'vitest';
import { sampleNotification } from '../../../local/sample-notification.ts';
import type { DocumentStore } from '../../../shared/adapters/documents.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import {
  learningThemeKey,
  learningThemes,
  partnershipProfile,
} from '../../../shared/config/partnership-profile.ts';
import { InvalidInputError } from '../../../shared/errors.ts';
import type { LearningAction } from '../../../shared/schemas/learning.ts';
import {
  type ActionService,
  actionReportCsv,
  actionReportRows,
  addActionEvidence,
  chaseActions,
  listActions,
  parseActionFilter,
} from '../../../shared/use-cases/action-plans.ts';
import { repeatedLearningParagraphs, themesMostSeen } from '../../../shared/use-cases/learning.ts';
import { reportBlocks } from '../../../shared/workflow/rapid-review-report.ts';
import { InMemoryLearningStore } from '../../support/in-memory-learning-store.ts';
import { SettableClock, testProfile } from '../api/support/api-fixtures.ts';
import { RecordingMailer } from '../workflow/workflow-fakes.ts';

const reviewId = '00000000-0000-4000-8000-000000000001';
let nextId = 1;
const anAction = (overrides: Partial<LearningAction> = {}): LearningAction => ({
  actionId: `10000000-0000-4000-8000-${(nextId++).toString().padStart(12, '0')}`,
  reviewKind: 'rapid-review',
  reviewId,
  reviewReference: 'RR-2026-0001',
  number: 1,
  source: 'immediate-learning',
  recommendation: 'Ask about sleep (invented).',
  description: 'Change the visit record (invented).',
  theme: 'safe-sleep',
  scope: 'single-agency',
  owningAgencyId: 'health',
  owningAgencyName: 'Health',
  otherAgencyIds: [],
  otherAgencyNames: [],
  ownerRole: 'Named nurse for safeguarding',
  ownerEmail: 'named.nurse@example.org',
  dueOn: '2026-06-30',
  status: 'not-started',
  progress: [],
  remindersSent: [],
  version: 1,
  createdAt: '2026-03-04T10:00:00.000Z',
  createdBy: 'user-partnership-team-demo',
  updatedAt: '2026-03-04T10:00:00.000Z',
  ...overrides,
});

const created = {
  actor: { kind: 'system' as const, id: 'test' },
  action: 'action-created',
  reason: 'Invented (test)',
};

function fixture(now: string) {
  const learning = new InMemoryLearningStore();
  const mailer = new RecordingMailer();
  const clock = new SettableClock(now);
  const filed: string[] = [];
  const documents = {
    put: async (key: string) => {
      filed.push(key);
    },
  } as unknown as DocumentStore;
  const service = {
    clock,
    profile: testProfile,
    publicBaseUrl: 'https://reviews.example.org',
    learning,
    mailer,
    documents,
  } as unknown as ActionService;
  return { learning, mailer, clock, service, filed };
}

describe('the action plans (issue 14 part 2)', () => {
  it('reminds each owner on the ladder, the furthest rung reached, once, and copies the team once overdue', async () => {
    // Prepare: the default ladder, 14 and 3 days before, 1, 7 and 28 after.
    const { learning, mailer, clock, service } = fixture('2026-06-16T02:00:00Z');
    const dueIn14 = anAction({ dueOn: '2026-06-30' });
    const dueIn20 = anAction({ dueOn: '2026-07-06' });
    const done = anAction({ dueOn: '2026-06-20', status: 'done' });
    for (const action of [dueIn14, dueIn20, done]) {
      await learning.createAction(action, { ...created, at: '2026-03-04T10:00:00Z' });
    }

    // Act
    const first = await chaseActions(service);
    const again = await chaseActions(service);
    clock.set('2026-07-08T02:00:00Z');
    const late = await chaseActions(service);

    // Assess
    expect(first.reminded).toEqual([{ actionId: dueIn14.actionId, rung: 'before-14' }]);
    expect(again.reminded).toEqual([]);
    expect(late.reminded).toEqual([
      { actionId: dueIn14.actionId, rung: 'after-7' },
      { actionId: dueIn20.actionId, rung: 'after-1' },
    ]);
    expect(mailer.sent.map((email) => email.message.subject)).toEqual([
      'Reminder: action A1 from review RR-2026-0001 is due Tuesday 30 June 2026',
      'Overdue: action A1 from review RR-2026-0001',
      'Overdue: action A1 from review RR-2026-0001',
    ]);
    expect(mailer.sent[1]?.message.cc).toEqual([testProfile.partnershipTeamAddress]);
    expect(mailer.sent.every((email) => /\/action\/[A-Za-z0-9_-]{43}/.test(email.message.text))).toBe(true);
    expect(
      (await learning.getAction('rapid-review', reviewId, dueIn14.actionId))?.remindersSent.map(
        (r) => r.rung,
      ),
    ).toEqual(['before-14', 'after-7']);
  });

  it('reads the filter from the query, naming a bad value and keeping the rest', () => {
    expect(
      parseActionFilter({ agency: 'police', status: 'done', dueBy: '2026-02-30', overdue: 'yes' }),
    ).toEqual({
      filter: { agencyId: 'police', status: 'done', overdue: true },
      errors: [{ field: 'due-by', message: 'Enter the due date as a real date, like 31 3 2026' }],
    });
    expect(parseActionFilter({ status: 'lost' }).errors).toEqual([
      { field: 'status', message: 'Choose a status from the list' },
    ]);
  });

  it('answers the overdue filter from the open statuses that are not done, due before today', async () => {
    const { learning, service } = fixture('2026-04-05T10:00:00Z');
    const overdue = anAction({ dueOn: '2026-04-04', status: 'in-progress' });
    const dueToday = anAction({ dueOn: '2026-04-05' });
    const doneLate = anAction({ dueOn: '2026-03-30', status: 'done' });
    for (const action of [overdue, dueToday, doneLate]) {
      await learning.createAction(action, { ...created, at: '2026-03-04T10:00:00Z' });
    }

    expect((await listActions(service, { overdue: true })).map((action) => action.actionId)).toEqual([
      overdue.actionId,
    ]);
    expect((await listActions(service, {})).map((action) => action.actionId)).toEqual([
      doneLate.actionId,
      overdue.actionId,
      dueToday.actionId,
    ]);
  });

  it('files an evidence document under the review and refuses a type it cannot take', async () => {
    const { learning, service, filed } = fixture('2026-04-05T10:00:00Z');
    const action = anAction();
    await learning.createAction(action, { ...created, at: '2026-03-04T10:00:00Z' });
    const token = 'A'.repeat(43);
    const { hashAgencyToken } = await import('../../../shared/agency-links.ts');
    await learning.putActionLink(
      {
        tokenHash: hashAgencyToken(token),
        actionId: action.actionId,
        reviewKind: 'rapid-review',
        reviewId,
        issuedAt: '2026-03-04T10:00:00.000Z',
        expiresAt: '2026-12-30T10:00:00.000Z',
      },
      { ...created, action: 'action-link-issued', at: '2026-03-04T10:00:01Z' },
    );
    const pdf = {
      fileName: 'C:\\audit\\audit.pdf',
      contentType: 'application/pdf',
      content: new Uint8Array([1, 2]),
    };

    const refused = addActionEvidence(service, { token, file: { ...pdf, contentType: 'text/html' } });
    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    const updated = await addActionEvidence(service, { token, file: pdf });

    expect(filed).toEqual([`learning/${reviewId}/actions/${action.actionId}/evidence-1.pdf`]);
    expect(updated.evidence?.documents.map((document) => document.title)).toEqual(['audit.pdf']);
  });

  it('writes the progress report in words, and never lets a cell start a spreadsheet formula', () => {
    const { service } = fixture('2026-07-01T10:00:00Z');
    const rows = actionReportRows(service, [anAction({ description: '=HYPERLINK("x")' })]);

    expect(rows[0]).toMatchObject({
      due: '30 June 2026',
      overdue: 'Yes, 1 day',
      status: 'Not started',
      theme: 'Safe sleep',
    });
    expect(actionReportCsv(rows).split('\r\n')[1]).toContain(`"'=HYPERLINK(""x"")"`);
  });
});

describe('learning themes (issue 14 part 1)', () => {
  it('gives the profile’s themes with keys, the default list without its own', () => {
    const own = partnershipProfile.parse({
      ...testProfile,
      learning: { themes: ['Voice of the child', 'Race & culture'] },
    });

    expect(learningThemes(own)).toEqual([
      { key: 'voice-of-the-child', name: 'Voice of the child' },
      { key: 'race-culture', name: 'Race & culture' },
    ]);
    expect(learningThemes({}).length).toBe(14);
    expect(learningThemeKey('Non-accidental injury in babies')).toBe('non-accidental-injury-in-babies');
  });

  it('says in the report which learning repeats earlier learning and which is new', () => {
    expect(
      repeatedLearningParagraphs(testProfile, {
        reviewKind: 'rapid-review',
        reviewId,
        reference: 'RR-2026-0009',
        reviewedOn: '2026-03-02',
        themes: ['safe-sleep', 'neglect'],
        learningPoints: [
          {
            pointId: 'P1',
            text: 'Sleep was not asked about.',
            theme: 'safe-sleep',
            repeats: [{ reviewKind: 'rapid-review', reviewId, reference: 'RR-2025-0003', pointId: 'P2' }],
          },
          { pointId: 'P2', text: 'Home conditions were not seen.', theme: 'neglect', repeats: [] },
        ],
        version: 2,
        updatedAt: '2026-03-04T10:00:00.000Z',
        updatedBy: 'user',
      }),
    ).toEqual([
      'Learning themes: Safe sleep, Neglect.',
      'P1 (Safe sleep), repeated learning from RR-2025-0003 (P2): Sleep was not asked about.',
      'P2 (Neglect), new learning specific to this case: Home conditions were not seen.',
    ]);
  });

  it('puts the repeated learning into the report document’s immediate learning section', () => {
    const { record } = openCase({
      caseId: reviewId,
      notification: sampleNotification(),
      receivedAt: new Date('2026-03-02T10:00:00Z'),
      notificationDocumentKey: `cases/${reviewId}/notification.json`,
    });
    const blocks = reportBlocks(
      record,
      {
        sections: [
          {
            caseId: reviewId,
            section: 'immediate-learning',
            text: 'Learning (invented).',
            savedAt: '2026-03-04T10:00:00Z',
            savedBy: 'u',
          },
        ],
      },
      [],
      {
        partnershipName: 'Exampleshire (demo)',
        timeZone: 'Europe/London',
        now: new Date('2026-03-05T10:00:00Z'),
      },
      ['Learning themes: Safe sleep.', 'P1 (Safe sleep), repeated learning from RR-2025-0003 (P2): Sleep.'],
    );
    const texts = blocks.map((block) => ('text' in block ? block.text : ''));
    const at = texts.indexOf('Learning (invented).');

    expect(texts[at - 1]).toBe('7. Immediate learning');
    expect(texts.slice(at + 1, at + 3)).toEqual([
      'Learning themes: Safe sleep.',
      'P1 (Safe sleep), repeated learning from RR-2025-0003 (P2): Sleep.',
    ]);
  });

  it('counts the reviews of each theme, most seen first', async () => {
    const learning = new InMemoryLearningStore();
    const at = '2026-03-04T10:00:00Z';
    for (const [n, themes] of [
      [1, ['neglect', 'safe-sleep']],
      [2, ['safe-sleep']],
    ] as const) {
      await learning.saveReviewLearning(
        {
          reviewKind: 'rapid-review',
          reviewId: `00000000-0000-4000-8000-00000000000${n}`,
          reference: `RR-0${n}`,
          reviewedOn: '2026-03-01',
          themes: [...themes],
          learningPoints: [],
          updatedBy: 'u',
        },
        undefined,
        { ...created, action: 'learning-themes-tagged', at },
      );
    }

    const counts = await themesMostSeen({ profile: testProfile, learning } as never);

    expect(counts.slice(0, 3)).toEqual([
      { key: 'safe-sleep', name: 'Safe sleep', reviews: 2 },
      { key: 'neglect', name: 'Neglect', reviews: 1 },
      { key: 'domestic-abuse', name: 'Domestic abuse', reviews: 0 },
    ]);
  });
});
