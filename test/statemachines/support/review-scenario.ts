import { randomUUID } from 'node:crypto';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { sampleNotification } from '../../../local/sample-notification.ts';
import { type LocalStepFunctions, startLocalStepFunctions } from '../../../local/stepfunctions/service.ts';
import { VirtualClock } from '../../../local/virtual-clock.ts';
import {
  type ReviewWorkflow,
  StepFunctionsReviewWorkflow,
} from '../../../shared/adapters/review-workflow.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import {
  type PartnershipProfile,
  rulesOf,
  type SafeguardingPartner,
} from '../../../shared/config/partnership-profile.ts';
import type { CaseRecord } from '../../../shared/schemas/case.ts';
import type { SeriousIncidentNotification } from '../../../shared/schemas/notification.ts';
import { reportSectionKeys } from '../../../shared/schemas/report.ts';
import type { StaffMember } from '../../../shared/schemas/roles.ts';
import type { Service } from '../../../shared/service.ts';
import { awaitDecision } from '../../../shared/use-cases/await-decision.ts';
import { climbLadder } from '../../../shared/use-cases/climb-ladder.ts';
import { collateReport } from '../../../shared/use-cases/collate-report.ts';
import { distributePapers } from '../../../shared/use-cases/distribute-papers.ts';
import { escalateMissingDecision } from '../../../shared/use-cases/escalate-missing-decision.ts';
import { notifyOutcome } from '../../../shared/use-cases/notify-outcome.ts';
import { planTimetable } from '../../../shared/use-cases/plan-timetable.ts';
import { completeReport, saveReportSection } from '../../../shared/use-cases/rapid-review-report.ts';
import { recordDecision } from '../../../shared/use-cases/record-decision.ts';
import { recordExecutionFault, recordFailure } from '../../../shared/use-cases/record-failure.ts';
import { requestAgencySummaries } from '../../../shared/use-cases/request-agency-summaries.ts';
import { scheduleDecisionDeadline } from '../../../shared/use-cases/schedule-decision-deadline.ts';
import { recordSignOff, resolveSignOffs } from '../../../shared/use-cases/sign-off.ts';
import { submitToPanel } from '../../../shared/use-cases/submit-to-panel.ts';
import { type WorkflowTaskName, workflowTaskContracts } from '../../../shared/workflow/contracts.ts';
import { InMemoryAgencyDetailsCodes } from '../../support/in-memory-agency-details-codes.ts';
import { InMemoryCaseStore } from '../../support/in-memory-case-store.ts';
import { InMemoryLearningStore } from '../../support/in-memory-learning-store.ts';
import { InMemoryLocalReviewDraftsStore } from '../../support/in-memory-local-review-drafts-store.ts';
import { InMemoryLocalReviewEnquiryStore } from '../../support/in-memory-local-review-enquiry-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { InMemoryPrgReferralStore } from '../../support/in-memory-prg-referral-store.ts';
import {
  InMemoryDocumentStore,
  PUBLIC_BASE_URL,
  RecordingMailer,
  sampleDecision,
  testProfileWithBoard,
} from '../../unit/workflow/workflow-fakes.ts';
import { fakeSubstitutions, readRapidReviewAsl } from './rapid-review-definition.ts';

const machineName = 'rapid-review';

/** Who signs in for each partner, from the test profile. */
const partner = (id: string, email: string, name: string): StaffMember => ({
  id,
  email,
  name,
  roles: ['safeguarding-partner'],
});
const partnerPeople: Record<SafeguardingPartner, StaffMember> = {
  'local-authority': partner('user-la-lead', 'la-lead@example.org', 'LA Lead (test)'),
  police: partner('user-police-lead', 'police-partner-lead@example.org', 'Police Partner Lead (test)'),
  health: partner('user-health-delegate', 'health-delegate@example.org', 'Health Delegate (test)'),
};

const chair: StaffMember = {
  id: 'user-chair',
  email: 'rrg-chair@example.org',
  name: 'Chair Person (test)',
  roles: ['rrg-chair'],
};
const team: StaffMember = {
  id: 'user-team',
  email: 'team@example.org',
  name: 'Team Member (test)',
  roles: ['partnership-team'],
};
const boardChair: StaffMember = {
  id: 'user-board',
  email: 'executive-board@example.org',
  name: 'Board Chair (test)',
  roles: ['executive-board'],
};

/**
 * A whole Rapid Review on the real ASL and the real task logic (shared/use-cases), over
 * in-memory stores and a recording mailer, on the local Step Functions service with a virtual
 * clock that only moves when the test moves it. People's actions (the decision, sign-offs, the
 * report) go through the same use cases the API calls, so the workflow is resumed exactly as it
 * is in the service.
 */
export class ReviewScenario {
  readonly clock: VirtualClock;
  readonly cases = new InMemoryCaseStore();
  readonly mailer = new RecordingMailer();
  readonly documents: InMemoryDocumentStore;
  readonly service: Omit<Service, 'drafts' | 'uploadForms' | 'sessions'>;
  readonly calls: string[] = [];
  /**
   * One-shot stand-ins for a task's answer (a rehearsed failure, a result no contract allows):
   * the next call of that function runs this instead of its logic, and its contract is not checked.
   */
  readonly #once = new Map<string, () => unknown>();
  /** Runs before a function's logic on each call: a person acting at that very moment. */
  readonly #before = new Map<string, (payload: Record<string, unknown>) => Promise<void>>();
  #steps?: LocalStepFunctions;
  #sfn?: SFNClient;

  private constructor(receivedAt: Date, profile: PartnershipProfile) {
    this.clock = new VirtualClock({ start: receivedAt, speed: 0 });
    this.documents = new InMemoryDocumentStore('case-documents-test', () => this.clock.now());
    let workflow: ReviewWorkflow | undefined;
    const scenario = this;
    this.service = {
      clock: this.clock,
      cases: this.cases,
      profile,
      mailer: this.mailer,
      documents: this.documents,
      uploads: new InMemoryDocumentStore('agency-uploads-test', () => this.clock.now()),
      publicBaseUrl: PUBLIC_BASE_URL,
      duplicateCheckKey: 'duplicate-check-key-invented-for-tests',
      agencyDetailsCodes: new InMemoryAgencyDetailsCodes(),
      get workflow(): ReviewWorkflow {
        workflow ??= new StepFunctionsReviewWorkflow(scenario.sfn, () =>
          scenario.steps.stateMachineArn(machineName),
        );
        return workflow;
      },
      localReviews: new InMemoryLocalReviewStore(),
      referrals: new InMemoryPrgReferralStore(),
      localReviewDrafts: new InMemoryLocalReviewDraftsStore(),
      localReviewEnquiries: new InMemoryLocalReviewEnquiryStore(),
      learning: new InMemoryLearningStore(),
      get localReviewWorkflow(): ReviewWorkflow {
        throw new Error('A Rapid Review scenario has no local review workflow');
      },
      get informationRequestChases(): ReviewWorkflow {
        throw new Error('A Rapid Review scenario has no local review workflow');
      },
      get factualAccuracyChases(): ReviewWorkflow {
        throw new Error('A Rapid Review scenario has no local review workflow');
      },
    };
  }

  /** A scenario for a notification received at `receivedAt`, for the partnership `profile` (the test one with a board). */
  static async start(
    receivedAt = new Date('2025-03-03T10:00:00Z'),
    profile: PartnershipProfile = testProfileWithBoard,
  ): Promise<ReviewScenario> {
    const scenario = new ReviewScenario(receivedAt, profile);
    scenario.#steps = await startLocalStepFunctions({
      clock: scenario.clock,
      stateMachines: [
        { name: machineName, definition: readRapidReviewAsl(), substitutions: fakeSubstitutions() },
      ],
      invokeFunction: scenario.invoke,
      // What the EventBridge rule on execution status changes does on AWS.
      onExecutionFault: (event) => recordExecutionFault(scenario.service, event as never),
      retryIntervalScale: 0,
    });
    scenario.#sfn = new SFNClient({
      endpoint: scenario.#steps.endpoint,
      region: scenario.#steps.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    return scenario;
  }

  get steps(): LocalStepFunctions {
    if (!this.#steps) throw new Error('The scenario has not started');
    return this.#steps;
  }

  get sfn(): SFNClient {
    if (!this.#sfn) throw new Error('The scenario has not started');
    return this.#sfn;
  }

  /** Each workflow function, validated by its contract as the task handler does, running its real logic. */
  readonly invoke = async (functionName: string, payload: unknown): Promise<unknown> => {
    const name = functionName as WorkflowTaskName;
    this.calls.push(name);
    const instead = this.#once.get(name);
    if (instead) {
      this.#once.delete(name);
      return instead();
    }
    await this.#before.get(name)?.(payload as Record<string, unknown>);
    const contract = workflowTaskContracts[name];
    const input = contract.payload.parse(payload) as never;
    const service = this.service;
    const logic: Record<WorkflowTaskName, () => Promise<unknown>> = {
      'plan-timetable': () => planTimetable(service, input),
      'request-agency-summaries': () => requestAgencySummaries(service, input),
      'climb-ladder': () => climbLadder(service, input),
      'collate-report': () => collateReport(service, input),
      'distribute-papers': () => distributePapers(service, input),
      'schedule-decision-deadline': () => scheduleDecisionDeadline(service, input),
      'await-decision': () => awaitDecision(service, input),
      'escalate-missing-decision': () => escalateMissingDecision(service, input),
      'submit-to-panel': () => submitToPanel(service, input),
      'notify-outcome': () => notifyOutcome(service, input),
      'record-failure': () => recordFailure(service, input),
    };
    return contract.result.parse(await logic[name]());
  };

  /** The next call of `functionName` answers with `answer()` (or throws what it throws) instead of running its logic. */
  answerOnce(functionName: WorkflowTaskName, answer: () => unknown): void {
    this.#once.set(functionName, answer);
  }

  /** Runs `act` before `functionName`'s logic each time it is called (until `act` is replaced). */
  beforeEach(functionName: WorkflowTaskName, act: (payload: Record<string, unknown>) => Promise<void>): void {
    this.#before.set(functionName, act);
  }

  /** Opens the invented case (its notification document stored) and starts its review, as intake does. */
  async open(
    notification: SeriousIncidentNotification = sampleNotification(),
  ): Promise<{ record: CaseRecord; executionArn: string }> {
    const caseId = randomUUID();
    const notificationDocumentKey = `cases/${caseId}/notification.json`;
    const { record, agencies } = openCase({
      caseId,
      notification,
      receivedAt: this.clock.now(),
      notificationDocumentKey,
      rules: rulesOf(this.service.profile),
    });
    await this.documents.put(
      notificationDocumentKey,
      new TextEncoder().encode(JSON.stringify(notification)),
      'application/json',
    );
    await this.cases.createCase(record, agencies, {
      actor: { kind: 'staff', id: 'user-notifier-test', role: 'notifier' },
      at: record.receivedAt,
      action: 'case.opened',
      reason: 'Serious incident notification received',
    });
    const { executionArn } = await this.sfn.send(
      new StartExecutionCommand({
        stateMachineArn: this.steps.stateMachineArn(machineName),
        name: caseId,
        input: JSON.stringify({ caseId }),
      }),
    );
    await this.steps.whenSettled();
    return { record, executionArn: executionArn! };
  }

  /** Moves the clock on to each pending wait until the case reaches `status` (at most `jumps` jumps). */
  async advanceUntil(
    caseId: string,
    ready: (record: CaseRecord) => boolean,
    jumps = 20,
  ): Promise<CaseRecord> {
    for (let jump = 0; ; jump++) {
      const record = (await this.cases.getCase(caseId))!;
      if (ready(record)) return record;
      if (jump >= jumps)
        throw new Error(`The case did not get there within ${jumps} jumps (status ${record.status})`);
      await this.advanceToNext();
    }
  }

  async advanceToNext(): Promise<Date> {
    const jump = this.clock.advanceToNext();
    if (!jump) throw new Error('Nothing is waiting on the clock');
    await this.steps.whenSettled();
    return jump.to;
  }

  /** People's actions, through the use cases the API calls; each lets the workflow run on. */
  async decide(caseId: string): Promise<void> {
    const { decidedAt: _at, decidedBy: _by, ...answers } = sampleDecision;
    await recordDecision(this.service, { caseId, decision: answers, chair });
    await this.steps.whenSettled();
  }

  /** The chair decides, without waiting for the workflow: for a decision made while a step runs. */
  async decideNow(caseId: string): Promise<void> {
    const { decidedAt: _at, decidedBy: _by, ...answers } = sampleDecision;
    await recordDecision(this.service, { caseId, decision: answers, chair });
  }

  async signOff(caseId: string, partner: SafeguardingPartner, answer: { agrees: boolean; reasons?: string }) {
    await recordSignOff(this.service, { caseId, answer, partner: partnerPeople[partner] });
    await this.steps.whenSettled();
  }

  /** A partner agrees, without waiting for the workflow: for a sign-off made while a step runs. */
  async agreeNow(caseId: string, partner: SafeguardingPartner): Promise<void> {
    await recordSignOff(this.service, { caseId, answer: { agrees: true }, partner: partnerPeople[partner] });
  }

  async allPartnersAgree(caseId: string): Promise<void> {
    for (const partner of ['local-authority', 'police', 'health'] as const) {
      await this.signOff(caseId, partner, { agrees: true });
    }
  }

  async resolve(caseId: string, outcome: 'decision-stands' | 'decision-varied', reasons: string) {
    await resolveSignOffs(this.service, { caseId, answer: { outcome, reasons }, boardChair });
    await this.steps.whenSettled();
  }

  async writeReport(caseId: string): Promise<void> {
    for (const section of reportSectionKeys) {
      await saveReportSection(this.service, {
        caseId,
        section,
        body: { text: `Invented text for the ${section} section (test).` },
        author: team,
      });
    }
    await completeReport(this.service, { caseId, author: team });
    await this.steps.whenSettled();
  }

  get team(): StaffMember {
    return team;
  }

  /** The names of the states the execution entered, in order. */
  async statesEntered(executionArn: string): Promise<string[]> {
    const { GetExecutionHistoryCommand } = await import('@aws-sdk/client-sfn');
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken }));
      for (const event of page.events ?? []) {
        if (event.stateEnteredEventDetails?.name) names.push(event.stateEnteredEventDetails.name);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return names;
  }

  async status(executionArn: string): Promise<string | undefined> {
    const { DescribeExecutionCommand } = await import('@aws-sdk/client-sfn');
    return (await this.sfn.send(new DescribeExecutionCommand({ executionArn }))).status;
  }

  async stop(): Promise<void> {
    this.#sfn?.destroy();
    await this.#steps?.stop();
    this.clock.dispose();
  }
}
