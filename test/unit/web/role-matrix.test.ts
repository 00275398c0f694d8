/**
 * Roles enforced on the server, for every staff page of every page function (read from their own
 * lists, so a page is checked here as soon as it is listed) and every role: what the start page offers
 * each role, 403 wherever the role is not named (the page never runs), the page itself wherever
 * it is, and sign-in (coming back to the page afterwards) for someone not signed in. In-process,
 * through the router, over fakes; the browser tests keep one rendered 403 page.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agencyDetailsPages } from '../../../functions/agency-details/pages.ts';
import { agencyPages } from '../../../functions/agency-web/pages.ts';
import { agencyReturnPages } from '../../../functions/agency-web/return-pages.ts';
import type { Page, WebService } from '../../../functions/web/page.ts';
import { caseWebPages } from '../../../functions/web/pages/case-pages.ts';
import { homeWebPages } from '../../../functions/web/pages/home-pages.ts';
import { pages as webFunctionPages } from '../../../functions/web/pages/index.ts';
import { insightWebPages } from '../../../functions/web/pages/insight-pages.ts';
import { learningPages } from '../../../functions/web/pages/learning-pages.ts';
import { localReviewDraftsPages } from '../../../functions/web/pages/local-review-drafts-pages.ts';
import { localReviewListPages } from '../../../functions/web/pages/local-review-list.ts';
import { localReviewPages } from '../../../functions/web/pages/local-review-pages.ts';
import { localReviewWorkPages } from '../../../functions/web/pages/local-review-work-pages.ts';
import { notifyWebPages } from '../../../functions/web/pages/notify-pages.ts';
import { opsWebPages } from '../../../functions/web/pages/ops.ts';
import { prgPages } from '../../../functions/web/pages/prg-pages.ts';
import { teamWebPages } from '../../../functions/web/pages/team-pages.ts';
import { webPages } from '../../../functions/web/pages/web-pages.ts';
import { cookieValue, type SessionUser, sessionCookieName } from '../../../functions/web/session.ts';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { localSignIn } from '../../../local/sign-in.ts';
import { localUsers } from '../../../local/tokens.ts';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import { StepFunctionsExecutions } from '../../../shared/adapters/workflow-executions.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import { parsePartnershipProfile } from '../../../shared/config/partnership-profile.ts';
import type { LearningAction, ReviewKind } from '../../../shared/schemas/learning.ts';
import type { LocalReview } from '../../../shared/schemas/local-review.ts';
import { type StaffRole, staffRole } from '../../../shared/schemas/roles.ts';
import type { Service } from '../../../shared/service.ts';
import { addActionEvidence, createAction } from '../../../shared/use-cases/action-plans.ts';
import {
  commissionLocalReviewFromReferral,
  recordParallelProcess,
} from '../../../shared/use-cases/local-review.ts';
import {
  recordFamilyMember,
  recordSupervisionRequest,
  uploadDraft,
} from '../../../shared/use-cases/local-review-drafts.ts';
import { sendInformationRequest } from '../../../shared/use-cases/local-review-enquiry.ts';
import { approveReferral, recordPrgDecision, referCase } from '../../../shared/use-cases/prg-referral.ts';
import { InMemoryDraftStore } from '../../support/in-memory-draft-store.ts';
import { InMemoryLearningStore } from '../../support/in-memory-learning-store.ts';
import { InMemoryLocalReviewDraftsStore } from '../../support/in-memory-local-review-drafts-store.ts';
import { InMemoryLocalReviewEnquiryStore } from '../../support/in-memory-local-review-enquiry-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { InMemoryPrgReferralStore } from '../../support/in-memory-prg-referral-store.ts';
import { InMemoryScrutinyCommentaryStore } from '../../support/in-memory-scrutiny-commentary-store.ts';

import { aLocalReview } from '../../support/local-review-store-contract.ts';
import {
  InMemoryCaseStore,
  SettableClock,
  STATE_MACHINE_ARN,
  testS3Client,
  testService,
} from '../api/support/api-fixtures.ts';
import { RecordingMailer, sampleDecision } from '../workflow/workflow-fakes.ts';
import {
  anonymousBrowser,
  signedIn,
  testSessionSecret,
  testWebApp,
  webEvent,
} from './support/web-fixtures.ts';

const localProfile = parsePartnershipProfile(
  readFileSync(new URL('../../../local/partnership-profile.json', import.meta.url), 'utf8'),
);

const key = (page: Pick<Page, 'method' | 'path'>) => `${page.method} ${page.path}`;

/**
 * Every page of every page function (functions/*-web/handler.ts), each once: the list of
 * functions/web/pages/index.ts, then the local reviews' pages (issue 13: local-review-web,
 * local-review-work-web, local-review-drafts-web), the Practice Review Group's (prg-web, whose
 * menu pages the first list has already) and the learning pages (learning-web, issue 14). The
 * test service has every port they read. The agency pages' function (functions/agency-web) has
 * only pages under a token link, so none here.
 */
const pages: readonly Page[] = [
  webFunctionPages,
  localReviewPages,
  localReviewWorkPages,
  localReviewDraftsPages,
  prgPages,
  learningPages,
]
  .flatMap((list) => list as unknown as readonly Page[])
  .filter((page, index, all) => all.findIndex((other) => key(other) === key(page)) === index);
const staffPages = pages.filter((page) => page.access.kind === 'staff');

/** Each page list a page function serves, by the name its handler gives it (functions/<name>/handler.ts). */
const servedLists: Record<string, readonly Pick<Page, 'method' | 'path' | 'access'>[]> = {
  webPages,
  notifyWebPages,
  homeWebPages,
  caseWebPages,
  teamWebPages,
  insightWebPages,
  opsWebPages,
  localReviewPages,
  localReviewListPages,
  localReviewWorkPages,
  localReviewDraftsPages,
  prgPages,
  learningPages,
  agencyPages,
  agencyReturnPages,
  agencyDetailsPages: agencyDetailsPages(() => Buffer.from('invented')),
};

/** The names of the page lists each page function's handler serves (its app's `pages:`). */
function pageListsServed(): Record<string, string[]> {
  const functionsDir = new URL('../../../functions/', import.meta.url);
  const served: Record<string, string[]> = {};
  for (const name of readdirSync(functionsDir)) {
    const handler = new URL(`${name}/handler.ts`, functionsDir);
    if (!existsSync(handler)) continue;
    const listed = /^\s*pages: (.+),$/m.exec(readFileSync(handler, 'utf8'))?.[1];
    if (listed) served[name] = listed.match(/\b\w+Pages\b/g) ?? [];
  }
  return served;
}

/** A workflow (the local review's, a request's chasing, a round's reminders) that answers that it started. */
const startedWorkflow = new Proxy({} as ReviewWorkflow, { get: () => async () => 'started' });

/** Whether the page's access names the role. */
function allowsRole(page: Page, role: StaffRole): boolean {
  return page.access.kind === 'public' || page.access.roles.includes(role);
}

/** A 303 to the sign-in page. */
const sentToSignIn = (result: APIGatewayProxyStructuredResultV2) =>
  result.statusCode === 303 && String(result.headers?.location ?? '').startsWith('/sign-in');

/** The local stack's invented user of the role, as the local sign-in signs them in. */
function person(role: StaffRole): SessionUser {
  const user = localUsers[role];
  return { id: user.id, name: user.name, email: user.email, roles: [role] };
}

/** The hrefs of the start page's menu ("What you can do"). */
function startPageMenu(html: string): string[] {
  const menu = /<ul class="govuk-list app-menu">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
  return [...menu.matchAll(/href="([^"]+)"/g)].map((match) => match[1] ?? '');
}

/** An invented PDF, as drafts and evidence are uploaded. */
const PDF = new TextEncoder().encode('%PDF-1.7\n% invented\n');

/**
 * The records the pages of the local reviews (issue 13), the Practice Review Group and the
 * learning (issue 14) are about, as the use cases make them:
 * - a local review whose reviewer is the local reviewer, late (the Panel told), with a request for
 *   information, a parallel process, a family member, a request to the reviewer, an uploaded draft
 *   and an action; a second, complete (its publication planned), to record its publication; and a
 *   decided Rapid Review that commissions a local review, not yet started;
 * - the referrer's referrals: one awaiting its strategic lead's approval, one approved and awaiting
 *   the group's decision, one decided for a local review not yet started, one whose local review
 *   the team has started;
 * - an action on the Rapid Review `rapidReviewCaseId` and one on the local review, each with a
 *   document of evidence from its owner.
 */
async function localReviewsReferralsAndActions(
  service: Service,
  {
    mailer,
    storedPdf,
    rapidReviewCaseId,
  }: { mailer: RecordingMailer; storedPdf: (key: string) => void; rapidReviewCaseId: string },
) {
  const system = { kind: 'system', id: 'test' } as const;
  const team = person('partnership-team');
  const byTeam = { kind: 'staff', id: team.id, role: 'partnership-team' } as const;
  const commission = async (review: LocalReview) => {
    const event = {
      actor: system,
      at: review.createdAt,
      action: 'local-review.commissioned',
      reason: 'Invented',
    };
    return service.localReviews.commissionLocalReview(review, event, event);
  };

  // The local review the reviewer works on, late: its completion target passed and the Panel told.
  const appointed = await service.localReviews.updateLocalReview(
    await commission(aLocalReview()),
    {
      reviewer: {
        name: localUsers.reviewer.name,
        organisation: 'Invented Reviews',
        email: localUsers.reviewer.email,
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
        recordedAt: '2026-03-23T10:00:00Z',
        recordedBy: 'test',
      },
      late: { dueDate: '2026-03-20', panelToldAt: '2026-03-20T17:00:00.000Z' },
    },
    {
      actor: system,
      at: '2026-03-23T10:00:00Z',
      action: 'local-review.reviewer-appointed',
      reason: 'Invented',
    },
  );
  const reviewId = appointed.reviewId;
  const { request: informationRequest } = await sendInformationRequest(service, {
    reviewId,
    member: team,
    answers: {
      agencyId: 'police',
      contactName: 'Agency Contact (invented)',
      contactEmail: 'agency.contact@example.org',
      asks: 'Invented',
      dueOn: '2026-04-24',
    },
  });
  await recordParallelProcess(service, {
    reviewId,
    answers: { kind: 'criminal-trial', startedOn: '2026-03-01', holdsPublication: true },
    member: team,
  });
  await recordFamilyMember(service, {
    reviewId,
    answers: { who: 'Mother (invented)', invited: true, tookPart: 'yes' },
    member: team,
  });
  await recordSupervisionRequest(service, {
    reviewId,
    answers: { kind: 'information', request: 'Invented', askedOn: '2026-03-23' },
    member: team,
  });
  const draft = await uploadDraft(service, {
    reviewId,
    upload: { fileName: 'draft.pdf', content: PDF },
    member: team,
  });
  storedPdf(draft.key);

  // A complete local review: the final report ready and its publication planned.
  const complete = aLocalReview();
  await service.localReviews.updateLocalReview(
    await commission(complete),
    {
      publicationPlan: {
        plannedOn: '2026-04-30',
        inFull: true,
        recordedAt: '2026-03-23T10:00:00Z',
        recordedBy: team.id,
      },
    },
    {
      actor: system,
      at: '2026-03-23T10:00:00Z',
      action: 'local-review.publication-planned',
      reason: 'Invented',
    },
  );

  // A Rapid Review decided for a local review, which no one has started yet.
  const toCommission = randomUUID();
  const decided = openCase({
    caseId: toCommission,
    notification: sampleNotification(),
    receivedAt: new Date('2026-03-02T10:00:00Z'),
    notificationDocumentKey: `cases/${toCommission}/notification.json`,
  });
  await service.cases.updateCase(
    await service.cases.createCase(decided.record, decided.agencies, {
      actor: system,
      at: decided.record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    }),
    { status: 'decided', decision: sampleDecision },
    { actor: system, at: '2026-03-20T15:00:00.000Z', action: 'decision.recorded', reason: 'Invented' },
  );

  // The referrer's referrals, one at each stage the pages need.
  const refer = () =>
    referCase(service, {
      member: person('referrer'),
      answers: {
        agencyName: 'Exampleshire Health Visiting (invented)',
        kind: 'near-miss',
        child: { name: 'Child R (invented)', dateOfBirth: '2021-06-01' },
        summary: 'An invented near miss.',
        whyNotNotifiable: 'The child was not seriously harmed (invented).',
        criteria: ['improvements', 'working-together'],
        relatedReviews: { childDeathReview: 'None (invented)' },
        lead: { name: 'Strategic Lead (invented)', email: 'strategic.lead@example.org' },
      },
    });
  const approved = async () => {
    const referral = await refer();
    const token = /approval\/([A-Za-z0-9_-]{43})/.exec(mailer.sent.at(-1)?.message.text ?? '')?.[1];
    await approveReferral(service, { token: String(token) });
    return referral;
  };
  const awaitingApproval = await refer();
  const awaitingDecision = await approved();
  const decidedForLocalReview = async () => {
    const { referralId } = await approved();
    await recordPrgDecision(service, {
      referralId,
      member: person('prg-member'),
      answers: {
        criteria: {
          improvements: { met: true, reasons: 'Invented.' },
          'working-together': { met: false, reasons: 'Invented.' },
        },
        outcome: 'lcspr',
        reasons: 'Invented.',
      },
    });
    return referralId;
  };
  const referralDecided = await decidedForLocalReview();
  const referralWithLocalReview = await decidedForLocalReview();
  await commissionLocalReviewFromReferral(service, { referralId: referralWithLocalReview, member: team });

  // An action on each kind of review, each with its owner's document of evidence.
  const anAction = async (kind: ReviewKind, id: string, owningAgencyId: string) =>
    createAction(service, {
      kind,
      reviewId: id,
      actor: byTeam,
      form: {
        recommendation: 'Invented recommendation.',
        description: 'Invented action.',
        theme: 'safe-sleep',
        scope: 'single-agency',
        owningAgencyId,
        ownerRole: 'Named nurse for safeguarding (invented)',
        ownerEmail: 'named.nurse@example.org',
        dueOn: '2026-06-30',
      },
    });
  const evidenced = async (action: Promise<LearningAction>) => {
    const { actionId } = await action;
    const ownerToken = /\/action\/([A-Za-z0-9_-]{43})/.exec(mailer.sent.at(-1)?.message.text ?? '')?.[1];
    const { evidence } = await addActionEvidence(service, {
      token: String(ownerToken),
      file: { fileName: 'evidence.pdf', contentType: 'application/pdf', content: PDF },
    });
    for (const document of evidence?.documents ?? []) storedPdf(document.key);
    return actionId;
  };
  const caseActionId = await evidenced(anAction('rapid-review', rapidReviewCaseId, 'health'));
  const localReviewActionId = await evidenced(anAction('local-review', reviewId, 'police'));

  return {
    reviewId,
    requestId: informationRequest.requestId,
    completeReviewId: complete.reviewId,
    caseToCommission: toCommission,
    referralAwaitingApproval: awaitingApproval.referralId,
    referralAwaitingDecision: awaitingDecision.referralId,
    referralDecided,
    referralWithLocalReview,
    caseActionId,
    localReviewActionId,
  };
}

/**
 * The web app over fakes: every page of `pages` over in-memory stores (drafts, cases, local
 * reviews and their enquiries and drafts, referrals, learning) and mocked S3 and Step Functions
 * clients, each page recording that it ran; a whole draft notification for each person who may
 * notify, one case awaiting the chair's decision, notified by the notifier, the cases in each
 * state the case pages need, and the records of `localReviewsReferralsAndActions`.
 */
async function appUnderTest() {
  const store = new InMemoryCaseStore();
  const s3Client = testS3Client();
  const s3 = mockClient(s3Client);
  s3.onAnyCommand().resolves({});
  const sfnClient = new SFNClient({ region: 'eu-west-2' });
  const sfn = mockClient(sfnClient);
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:execution', startDate: new Date() });
  // The operations pages (issue 12 part 4): the deployed definition, and one running execution of any name.
  sfn.on(DescribeStateMachineCommand).resolves({
    name: 'RapidReview',
    definition: readFileSync(
      new URL('../../../statemachines/rapid-review.asl.json', import.meta.url),
      'utf8',
    ),
  });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }) => ({
    executionArn: input.executionArn,
    name: input.executionArn.split(':').at(-1),
    status: 'RUNNING',
    startDate: new Date('2026-03-20T10:00:00Z'),
    redriveCount: 0,
  }));
  sfn.on(GetExecutionHistoryCommand).resolves({ events: [] });
  // Each person who may notify has a whole draft, so the pages of its children and agencies exist.
  const drafts = new InMemoryDraftStore();
  for (const role of ['notifier', 'partnership-team'] as const) {
    await drafts.saveDraft(person(role).id, { draftId: `draft-${role}`, notification: sampleNotification() });
  }
  const ran: string[] = [];
  const pagesUnderTest = pages.map((listed): Page => {
    const page = listed;
    return {
      ...page,
      // The listed page's access: the router must enforce what the list says.
      access: listed.access,
      handle(request) {
        ran.push(key(page));
        return page.handle(request);
      },
    };
  });
  const localReviews = new InMemoryLocalReviewStore();
  const mailer = new RecordingMailer();
  // The local stack's profile, which names the local users' safeguarding partners and Board chair.
  const service = Object.create(
    testService({
      store,
      clock: new SettableClock('2026-03-23T15:30:00Z'),
      s3: s3Client,
      sfn: sfnClient,
      drafts,
      // A local review's request for information (issue 13) is emailed, and its chasing started.
      mailer,
      // The local reviews (issue 13) and their learning (issue 14), in stores of their own that
      // share the local review's audit, and every workflow they start answering that it started.
      localReviews,
      localReviewDrafts: new InMemoryLocalReviewDraftsStore(localReviews.audit),
      localReviewEnquiries: new InMemoryLocalReviewEnquiryStore(localReviews.audit),
      referrals: new InMemoryPrgReferralStore(),
      learning: new InMemoryLearningStore(),
      localReviewWorkflow: startedWorkflow,
      informationRequestChases: startedWorkflow,
      factualAccuracyChases: startedWorkflow,
    }),
    {
      profile: { value: localProfile },
      // The operations pages' own port, over the same mocked Step Functions client.
      executions: { value: new StepFunctionsExecutions(sfnClient, () => STATE_MACHINE_ARN) },
      // The insight pages' own port (issue 14): the scrutineer's commentaries.
      commentaries: { value: new InMemoryScrutinyCommentaryStore() },
    },
  ) as WebService;
  const app = testWebApp(pagesUnderTest, { service });

  const caseId = randomUUID();
  const { record, agencies } = openCase({
    caseId,
    notification: sampleNotification(),
    receivedAt: new Date('2026-03-04T10:00:00Z'),
    notificationDocumentKey: `cases/${caseId}/notification.json`,
  });
  // The notification edit page (issue 10 part 3) starts from the case's notification document.
  s3.on(GetObjectCommand, { Key: record.notificationDocumentKey }).resolves({
    Body: {
      transformToByteArray: async () => new TextEncoder().encode(JSON.stringify(sampleNotification())),
    } as never,
  });
  const created = await store.createCase(record, agencies, {
    actor: { kind: 'staff', id: person('notifier').id, role: 'notifier' },
    at: record.receivedAt,
    action: 'case.opened',
    reason: 'Serious incident notification received',
  });
  await store.updateCase(
    created,
    { status: 'awaiting-decision' },
    {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: '2026-03-19T09:00:00.000Z',
      action: 'papers.distributed',
      reason: 'Day 12',
    },
  );
  // The meeting pages (issue 9 part 4) need the meeting scheduled on it.
  await store.updateCase(
    (await store.getCase(caseId))!,
    {
      meeting: {
        date: '2026-03-24',
        time: '10:00',
        place: 'Room 1, Town Hall (demo)',
        version: 1,
        scheduledAt: '2026-03-19T09:30:00.000Z',
        scheduledBy: person('partnership-team').id,
      },
    },
    {
      actor: { kind: 'staff', id: person('partnership-team').id, role: 'partnership-team' },
      at: '2026-03-19T09:30:00.000Z',
      action: 'meeting.scheduled',
      reason: 'Invented',
    },
  );

  // The sign-off pages' case: decided, the health partner disagreeing, so the local authority's
  // delegate may sign off and the Executive Board chair may resolve.
  const signOffCaseId = randomUUID();
  const decided = openCase({
    caseId: signOffCaseId,
    notification: sampleNotification(),
    receivedAt: new Date('2026-03-04T10:00:00Z'),
    notificationDocumentKey: `cases/${signOffCaseId}/notification.json`,
  });
  const decidedCase = await store.createCase(decided.record, decided.agencies, {
    actor: { kind: 'system', id: 'rapid-review-workflow' },
    at: decided.record.receivedAt,
    action: 'case.opened',
    reason: 'Serious incident notification received',
  });
  await store.updateCase(
    decidedCase,
    {
      status: 'decided',
      decision: {
        commissionLocalReview: false,
        localReviewReason: 'Invented (demo).',
        recommendNationalReview: false,
        nationalReviewReason: 'Invented (demo).',
        decidedAt: '2026-03-20T15:00:00.000Z',
        decidedBy: person('rrg-chair').id,
      },
      signOffs: [
        {
          partner: 'health',
          agrees: false,
          reasons: 'Invented (demo).',
          signedAt: '2026-03-21T10:00:00.000Z',
          signedBy: 'user-health-demo',
          signedByName: 'Health Lead (demo)',
        },
      ],
    },
    {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: '2026-03-21T10:00:00.000Z',
      action: 'sign-off.disagreed',
      reason: 'Invented',
    },
  );

  // The Panel's reply pages (issue 9 part 6) need a case that went to the Panel.
  const submittedCaseId = randomUUID();
  const submitted = openCase({
    caseId: submittedCaseId,
    notification: sampleNotification(),
    receivedAt: new Date('2026-03-04T10:00:00Z'),
    notificationDocumentKey: `cases/${submittedCaseId}/notification.json`,
  });
  await store.updateCase(
    await store.createCase(submitted.record, submitted.agencies, {
      actor: { kind: 'staff', id: person('notifier').id, role: 'notifier' },
      at: submitted.record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    }),
    { status: 'submitted-to-panel' },
    {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: '2026-03-20T09:00:00.000Z',
      action: 'panel.submitted',
      reason: 'Sent to the Panel',
    },
  );

  // The late reason and notification-only pages (issue 9 parts 3 and 6) need a late case of a
  // looked-after child's death, not yet decided.
  const steeredCaseId = randomUUID();
  const steered = openCase({
    caseId: steeredCaseId,
    notification: sampleNotification(),
    receivedAt: new Date('2026-03-04T10:00:00Z'),
    notificationDocumentKey: `cases/${steeredCaseId}/notification.json`,
  });
  await store.updateCase(
    await store.createCase(steered.record, steered.agencies, {
      actor: { kind: 'staff', id: person('notifier').id, role: 'notifier' },
      at: steered.record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    }),
    {
      status: 'awaiting-decision',
      lookedAfterOrCareLeaverDeath: true,
      late: { dueDate: '2026-03-20', panelToldAt: '2026-03-20T17:00:00.000Z' },
    },
    {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: '2026-03-20T17:00:00.000Z',
      action: 'review.late',
      reason: 'The Panel was told the review is late',
    },
  );

  // The team's controls on the agencies and the withdrawal (issue 10 part 3) need a case whose
  // summaries are still being gathered.
  const gatheringCaseId = randomUUID();
  const gathering = openCase({
    caseId: gatheringCaseId,
    notification: sampleNotification(),
    receivedAt: new Date('2026-03-20T10:00:00Z'),
    notificationDocumentKey: `cases/${gatheringCaseId}/notification.json`,
  });
  await store.updateCase(
    await store.createCase(gathering.record, gathering.agencies, {
      actor: { kind: 'staff', id: person('notifier').id, role: 'notifier' },
      at: gathering.record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    }),
    { status: 'awaiting-summaries' },
    {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: '2026-03-20T10:05:00.000Z',
      action: 'summaries.requested',
      reason: 'Day 1: every agency asked for its summary',
    },
  );
  for (const agency of gathering.agencies) {
    await store.updateAgencyRequest(
      agency,
      { status: 'requested', requestedAt: '2026-03-20T10:05:00.000Z' },
      {
        actor: { kind: 'system', id: 'rapid-review-workflow' },
        at: '2026-03-20T10:05:00.000Z',
        action: 'agency.summary-requested',
        reason: 'Summary requested',
      },
    );
  }

  // A late return (issue 10 part 3) needs a case collated and not yet gone to the Panel.
  const collatedCaseId = randomUUID();
  const collated = openCase({
    caseId: collatedCaseId,
    notification: sampleNotification(),
    receivedAt: new Date('2026-03-20T10:00:00Z'),
    notificationDocumentKey: `cases/${collatedCaseId}/notification.json`,
  });
  await store.updateCase(
    await store.createCase(collated.record, collated.agencies, {
      actor: { kind: 'staff', id: person('notifier').id, role: 'notifier' },
      at: collated.record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    }),
    { status: 'awaiting-decision' },
    {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: '2026-04-01T10:05:00.000Z',
      action: 'papers.distributed',
      reason: 'Day 12: papers sent to the Rapid Review Group',
    },
  );

  // The Panel's letter (issue 9 part 4) needs a case whose reply is recorded.
  const repliedCaseId = randomUUID();
  const replied = openCase({
    caseId: repliedCaseId,
    notification: sampleNotification(),
    receivedAt: new Date('2026-03-04T10:00:00Z'),
    notificationDocumentKey: `cases/${repliedCaseId}/notification.json`,
  });
  await store.updateCase(
    await store.createCase(replied.record, replied.agencies, {
      actor: { kind: 'staff', id: person('notifier').id, role: 'notifier' },
      at: replied.record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    }),
    {
      status: 'completed',
      panelReply: {
        repliedOn: '2026-03-21',
        agreesWithDecision: true,
        nationalReview: false,
        asksForLocalReview: false,
        comments: 'Invented (demo).',
        recordedAt: '2026-03-22T09:00:00.000Z',
        recordedBy: person('partnership-team').id,
      },
    },
    {
      actor: { kind: 'system', id: 'rapid-review-workflow' },
      at: '2026-03-22T09:00:00.000Z',
      action: 'panel-reply.recorded',
      reason: 'Invented',
    },
  );
  // The local reviews, referrals and actions the pages of issues 13 and 14 are about.
  const records = await localReviewsReferralsAndActions(service as unknown as Service, {
    mailer,
    // A draft or a document of evidence, as the pages read it back.
    storedPdf: (key) =>
      s3.on(GetObjectCommand, { Key: key }).resolves({
        Body: { transformToByteArray: async () => PDF } as never,
        ContentType: 'application/pdf',
      }),
    rapidReviewCaseId: repliedCaseId,
  });

  /**
   * A concrete path for a page path: the case for `{caseId}` (a decided case with a disagreement
   * for the sign-off pages, the submitted one for the Panel's reply, a late looked-after child's
   * death for the late reason and notification-only pages, a collated case for a late return, one
   * still gathering summaries, notified by the notifier, for the notification to the Panel, the
   * case decided for a local review for starting one), the first child, agency, parallel process,
   * family member, request to the reviewer or document of evidence for `{number}`, the first draft
   * for `{version}`, a report section for `{section}`, the police for `{agencyId}`, and the records
   * of `localReviewsReferralsAndActions` for the rest.
   */
  const caseFor = (path: string) =>
    path.includes('/sign-off')
      ? signOffCaseId
      : path.startsWith('/cases/{caseId}/panel-reply/letter')
        ? repliedCaseId
        : path.startsWith('/cases/{caseId}/panel-reply')
          ? submittedCaseId
          : /^\/cases\/\{caseId\}\/(late-reason|notification-only)/.test(path)
            ? steeredCaseId
            : path.startsWith('/cases/{caseId}/agencies/{agencyId}/late-return')
              ? collatedCaseId
              : /^\/cases\/\{caseId\}\/(add-agency|agencies\/|withdraw|panel-notification)/.test(path)
                ? gatheringCaseId
                : path.startsWith('/cases/{caseId}/local-review')
                  ? records.caseToCommission
                  : caseId;
  const parameter = (path: string, name: string): string => {
    switch (name) {
      case 'caseId':
        return caseFor(path);
      case 'reviewId':
        // A Rapid Review's learning is under the case; a publication is recorded on a complete review.
        if (path.startsWith('/cases/')) return repliedCaseId;
        if (/\/publication(\/|$)/.test(path)) return records.completeReviewId;
        return records.reviewId;
      case 'actionId':
        return path.startsWith('/cases/') ? records.caseActionId : records.localReviewActionId;
      case 'referralId':
        if (path.endsWith('/confirmation')) return records.referralWithLocalReview;
        if (path.includes('/decision')) return records.referralAwaitingDecision;
        if (path.includes('/local-review')) return records.referralDecided;
        return records.referralAwaitingApproval;
      case 'requestId':
        return records.requestId;
      case 'number':
      case 'version':
        return '1';
      case 'section':
        return 'facts';
      case 'agencyId':
        return 'police';
      default:
        return randomUUID();
    }
  };
  const concretePath = (path: string) =>
    path.replace(/\{([^}]+)\}/g, (_whole, name: string) => parameter(path, name));
  return { app, ran, concretePath, mocks: [s3, sfn] };
}

/** What the app answered a request to a page, and whether the page ran. */
async function ask(
  subject: Awaited<ReturnType<typeof appUnderTest>>,
  page: Page,
  browser: { cookies: string[]; csrfToken: string } | undefined,
) {
  const path = subject.concretePath(page.path);
  const before = subject.ran.length;
  const result = await subject.app(
    webEvent({
      method: page.method,
      path,
      ...(browser ? { cookies: browser.cookies } : {}),
      // A valid form token, so the answer is about the role alone; the form itself is empty.
      ...(page.method === 'POST' ? { form: {}, ...(browser ? { csrfToken: browser.csrfToken } : {}) } : {}),
    }),
  );
  const ran = subject.ran.slice(before).includes(key(page));
  return {
    page: key(page),
    path,
    status: result.statusCode ?? 0,
    location: result.headers?.location === undefined ? undefined : String(result.headers.location),
    ran,
    result,
  };
}

describe('roles enforced on the server, for every page', () => {
  let subject: Awaited<ReturnType<typeof appUnderTest>>;
  beforeEach(async () => {
    subject = await appUnderTest();
  });
  afterEach(() => {
    for (const mock of subject.mocks) mock.restore();
  });

  it('checks every staff page that any page function serves', () => {
    // Prepare
    const served = pageListsServed();
    const checked = new Set(staffPages.map(key));

    // Act
    const unknownLists = Object.values(served)
      .flat()
      .filter((list) => !(list in servedLists));
    const unchecked = Object.entries(served).flatMap(([name, lists]) =>
      lists
        .flatMap((list) => servedLists[list] ?? [])
        .filter((page) => page.access.kind === 'staff' && !checked.has(key(page)))
        .map((page) => `${name}: ${key(page)}`),
    );

    // Assess
    expect(Object.keys(served)).toEqual(
      expect.arrayContaining(['web', 'local-review-web', 'prg-web', 'learning-web']),
    );
    expect(unknownLists, 'page lists to add to servedLists and, with their staff pages, to pages').toEqual(
      [],
    );
    expect(unchecked, 'staff pages the matrix does not check').toEqual([]);
  });

  it('has staff pages for every role to be refused or let through', () => {
    expect(staffPages.length).toBeGreaterThan(10);
    for (const role of staffRole.options) {
      expect(
        staffPages.some((page) => !allowsRole(page, role)),
        `a page refusing the ${role}`,
      ).toBe(true);
    }
  });

  it.for(staffRole.options)(
    'offers the %s on the start page only the menu pages that role may use',
    async (role) => {
      // Prepare
      const expected = pages
        .filter((page) => page.method === 'GET' && page.menu && allowsRole(page, role))
        .map((page) => page.path);

      // Act
      const result = await subject.app(webEvent({ path: '/', cookies: signedIn(person(role)).cookies }));

      // Assess
      expect(result.statusCode).toBe(200);
      expect(startPageMenu(String(result.body))).toEqual(expected);
    },
  );

  it('offers each role its own menu and its home: notifying and their notifications to notifiers, the case list, the partnership directory and the actions to the team, their cases to the group, partners and Board, the dashboard to the team and the Board, the scrutiny report to the scrutineer, the operations page to the operator, their local reviews to a reviewer, their referrals to a referrer and the group’s to its members', async () => {
    const menus = Object.fromEntries(
      await Promise.all(
        staffRole.options.map(async (role) => {
          const result = await subject.app(webEvent({ path: '/', cookies: signedIn(person(role)).cookies }));
          return [role, startPageMenu(String(result.body))];
        }),
      ),
    );

    expect(menus).toEqual({
      notifier: ['/notify', '/your-notifications'],
      'partnership-team': [
        '/notify',
        '/cases',
        '/local-reviews',
        '/directory',
        '/practice-review-group',
        '/dashboard',
        '/actions',
      ],
      'rrg-member': ['/your-cases'],
      'rrg-chair': ['/your-cases'],
      scrutineer: ['/scrutiny'],
      'safeguarding-partner': ['/your-cases'],
      'executive-board': ['/your-cases', '/dashboard'],
      operator: ['/ops'],
      referrer: ['/practice-review-group/your-referrals'],
      'prg-member': ['/practice-review-group'],
      reviewer: ['/your-reviews'],
    });
  });

  it.for(staffRole.options)(
    'refuses the %s every staff page of other roles with 403, without running the page',
    async (role) => {
      // Prepare: a form token of the session, and one that is not (roles come before the token).
      const browser = signedIn(person(role));
      const forged = { ...browser, csrfToken: 'not-this-session' };
      const refusing = staffPages.filter((page) => !allowsRole(page, role));

      // Act
      const answers = [];
      for (const page of refusing) {
        answers.push(await ask(subject, page, browser));
        if (page.method === 'POST') answers.push(await ask(subject, page, forged));
      }

      // Assess
      expect(answers.length).toBeGreaterThan(0);
      const wrong = answers
        .filter((answer) => answer.status !== 403 || answer.ran)
        .map(({ page, status, ran }) => ({ page, status, ran }));
      expect(wrong, `pages not refusing the ${role}`).toEqual([]);
      expect(String(answers[0]?.result.body)).toContain('You cannot use this page');
    },
  );

  it.for(staffRole.options)(
    'lets the %s through to every staff page of its role: the page runs, a GET answers 2xx or 3xx',
    async (role) => {
      // Prepare
      const browser = signedIn(person(role));
      const letting = staffPages.filter((page) => allowsRole(page, role));

      // Act
      const answers = [];
      for (const page of letting) answers.push(await ask(subject, page, browser));

      // Assess: a POST of an empty form may answer 400 with the page's own error summary.
      const wrong = answers
        .filter(({ status, ran, location, result }) => {
          if (!ran || status === 403 || location?.startsWith('/sign-in')) return true;
          if (status >= 200 && status < 400) return false;
          return !(status === 400 && String(result.body).includes('govuk-error-summary'));
        })
        .map(({ page, status, location, ran }) => ({ page, status, location, ran }));
      expect(wrong, `pages not letting the ${role} through`).toEqual([]);
    },
  );

  it('sends a person who is not signed in from every staff page to sign in, without running the page', async () => {
    // Act
    const answers = [];
    for (const page of staffPages) answers.push(await ask(subject, page, undefined));

    // Assess
    for (const answer of answers) {
      expect({ ...answer, result: undefined }, answer.page).toEqual({
        ...answer,
        result: undefined,
        status: 303,
        location: `/sign-in?${new URLSearchParams({ returnTo: answer.path })}`,
        ran: false,
      });
    }
  });

  it.for(staffPages.filter((page) => page.method === 'GET').map(key))(
    'brings a person back to %s once signed in (the local sign-in) with a role it allows',
    async (pageKey) => {
      // Prepare
      const page = staffPages.find((candidate) => key(candidate) === pageKey) as Page;
      const role = staffRole.options.find((candidate) => allowsRole(page, candidate)) as StaffRole;
      const refused = await ask(subject, page, undefined);
      const signInUrl = new URL(String(refused.location), 'https://reviews.example.org');
      const browser = anonymousBrowser();

      // Act: the sign-in page, then choosing the user, then where it sends the browser.
      const signInPage = await localSignIn(testSessionSecret, {
        method: 'GET',
        query: signInUrl.searchParams,
        body: Buffer.alloc(0),
        cookies: browser.cookies,
      });
      const returnTo = /name="returnTo" value="([^"]*)"/.exec(String(signInPage.body))?.[1] ?? '';
      const chosen = await localSignIn(testSessionSecret, {
        method: 'POST',
        query: new URLSearchParams(),
        body: Buffer.from(new URLSearchParams({ role, returnTo, csrfToken: browser.csrfToken }).toString()),
        cookies: browser.cookies,
      });
      const session = cookieValue(chosen.cookies, sessionCookieName);
      const back = await subject.app(
        webEvent({ path: String(chosen.headers?.location), cookies: [`${sessionCookieName}=${session}`] }),
      );

      // Assess
      expect(signInUrl.pathname).toBe('/sign-in');
      expect(returnTo).toBe(refused.path);
      expect(chosen.statusCode).toBe(303);
      expect(chosen.headers?.location).toBe(refused.path);
      expect(back.statusCode).toBeGreaterThanOrEqual(200);
      expect(back.statusCode).toBeLessThan(400);
      expect(sentToSignIn(back)).toBe(false);
      expect(subject.ran).toContain(pageKey);
    },
  );
});
