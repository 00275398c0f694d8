import { randomUUID } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { sampleNotification } from '../../../local/sample-notification.ts';
import {
  DocumentStore,
  type DocumentWriter,
  type ListedObject,
  type StoredObjectHead,
} from '../../../shared/adapters/documents.ts';
import {
  type EmailMessage,
  type KeyedEmail,
  type Mailer,
  type SendOutcome,
  UnsafeEmailHeaderError,
  unsafeHeaderFields,
} from '../../../shared/adapters/mailer.ts';
import {
  type ReviewWorkflow,
  StepFunctionsReviewWorkflow,
} from '../../../shared/adapters/review-workflow.ts';
import { openCase } from '../../../shared/cases/open-case.ts';
import type { Clock } from '../../../shared/clock.ts';
import { type PartnershipProfile, partnershipProfile } from '../../../shared/config/partnership-profile.ts';
import type { AgencyRequest, CaseRecord } from '../../../shared/schemas/case.ts';
import type { SeriousIncidentNotification } from '../../../shared/schemas/notification.ts';
import type { Service } from '../../../shared/service.ts';
import { InMemoryAgencyDetailsCodes } from '../../support/in-memory-agency-details-codes.ts';
import { InMemoryCaseStore } from '../../support/in-memory-case-store.ts';
import { InMemoryLearningStore } from '../../support/in-memory-learning-store.ts';
import { InMemoryLocalReviewDraftsStore } from '../../support/in-memory-local-review-drafts-store.ts';
import { InMemoryLocalReviewEnquiryStore } from '../../support/in-memory-local-review-enquiry-store.ts';
import { InMemoryLocalReviewStore } from '../../support/in-memory-local-review-store.ts';
import { InMemoryPrgReferralStore } from '../../support/in-memory-prg-referral-store.ts';

/**
 * Sends nothing; keeps every message by key and, like SesMailer, never "sends" a key twice and
 * refuses a message whose header fields hold a control character.
 */
export class RecordingMailer implements Mailer {
  readonly sent: { key: string; message: EmailMessage; messageId: string }[] = [];
  /** Every call, including repeats that sent nothing. */
  calls = 0;

  async sendOnce(key: string, message: EmailMessage): Promise<SendOutcome> {
    this.calls++;
    const unsafe = unsafeHeaderFields(message);
    if (unsafe.length > 0) throw new UnsafeEmailHeaderError(key, unsafe);
    const earlier = this.sent.find((email) => email.key === key);
    if (earlier) return { key, outcome: 'already-sent', messageId: earlier.messageId };
    const messageId = `message-${this.sent.length + 1}`;
    this.sent.push({ key, message, messageId });
    return { key, outcome: 'sent', messageId };
  }

  async sendEachOnce(emails: readonly KeyedEmail[]): Promise<SendOutcome[]> {
    for (const { key, message } of emails) {
      const unsafe = unsafeHeaderFields(message);
      if (unsafe.length > 0) throw new UnsafeEmailHeaderError(key, unsafe);
    }
    const outcomes: SendOutcome[] = [];
    for (const { key, message } of emails) outcomes.push(await this.sendOnce(key, message));
    return outcomes;
  }

  to(address: string): EmailMessage[] {
    return this.sent.filter((email) => email.message.to.includes(address)).map((email) => email.message);
  }
}

/** A NoSuchKey as the S3 client throws it. */
class NoSuchKey extends Error {
  override readonly name = 'NoSuchKey';
}

/** The document bucket in memory: the real DocumentStore's surface, with download links that say their expiry. */
export class InMemoryDocumentStore extends DocumentStore {
  readonly objects = new Map<string, { body: Uint8Array; contentType: string; lastModified?: Date }>();
  readonly downloadLinks: { key: string; expiresInSeconds: number; fileName?: string }[] = [];

  /** When a put happens, for the listing's last-modified times: the test's clock, or real time. */
  readonly #now: () => Date;

  constructor(bucket = 'case-documents-test', now: () => Date = () => new Date()) {
    super(new S3Client({ region: 'eu-west-2' }), bucket);
    this.#now = now;
  }

  override async put(key: string, body: Uint8Array | string, contentType: string): Promise<void> {
    this.objects.set(key, {
      body: typeof body === 'string' ? new TextEncoder().encode(body) : body,
      contentType,
      lastModified: this.#now(),
    });
  }

  /** Collects the pieces and stores them on close, as S3 completes a multipart upload. */
  override openWrite(key: string, contentType: string): DocumentWriter {
    const pieces: Uint8Array[] = [];
    let ended = false;
    return {
      write: async (bytes) => {
        if (ended) throw new Error(`The object ${key} is already closed`);
        pieces.push(bytes.slice());
      },
      close: async () => {
        ended = true;
        const body = new Uint8Array(Buffer.concat(pieces));
        await this.put(key, body, contentType);
        return body.byteLength;
      },
      abort: async () => {
        ended = true;
        this.aborted.push(key);
      },
    };
  }

  /** The keys whose piece-by-piece write was given up. */
  readonly aborted: string[] = [];

  override async getBytes(key: string): Promise<Uint8Array> {
    const found = this.objects.get(key);
    if (!found) throw new NoSuchKey(`The specified key does not exist: ${key}`);
    return found.body;
  }

  override async head(key: string): Promise<StoredObjectHead> {
    const found = this.objects.get(key);
    if (!found) throw new NoSuchKey(`The specified key does not exist: ${key}`);
    return { size: found.body.byteLength, contentType: found.contentType, lastModified: found.lastModified };
  }

  override async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }

  /** This store keeps no versions: removing the object is removing every version of it. */
  override async deleteEveryVersion(key: string): Promise<void> {
    this.objects.delete(key);
  }

  override async list(prefix: string): Promise<ListedObject[]> {
    return [...this.objects.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, object]) => ({ key, lastModified: object.lastModified }));
  }

  override async downloadUrl(key: string, expiresInSeconds: number, fileName?: string): Promise<string> {
    this.downloadLinks.push({ key, expiresInSeconds, fileName });
    return `https://documents.example.org/${this.bucket}/${key}?expires-in=${expiresInSeconds}`;
  }
}

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  #now: Date;
  constructor(start: string) {
    this.#now = new Date(start);
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(instant: string): void {
    this.#now = new Date(instant);
  }
}

/** An invented partnership; every address is under example.org. */
export const testProfile: PartnershipProfile = partnershipProfile.parse({
  partnershipName: 'Exampleshire Safeguarding Children Partnership (test)',
  senderAddress: 'rapid-reviews@example.org',
  panelMailbox: 'panel-mailbox@example.org',
  partnershipTeamAddress: 'partnership-team@example.org',
  rapidReviewGroup: {
    chair: { name: 'Chair Person (test)', email: 'rrg-chair@example.org' },
    members: [
      { name: 'Member One (test)', email: 'rrg-member-one@example.org' },
      { name: 'Member Two (test)', email: 'rrg-member-two@example.org' },
      // The chair listed as a member too: one email, not two.
      { name: 'Chair Person (test)', email: 'RRG-Chair@example.org' },
    ],
  },
  safeguardingPartners: {
    'local-authority': { lead: { name: 'LA Lead (test)', email: 'la-lead@example.org' } },
    police: { lead: { name: 'Police Partner Lead (test)', email: 'police-partner-lead@example.org' } },
    health: {
      lead: { name: 'Health Lead (test)', email: 'health-lead@example.org' },
      delegates: [{ name: 'Health Delegate (test)', email: 'health-delegate@example.org' }],
    },
  },
  agencyStrategicLeads: {
    Police: { name: 'Police Strategic Lead (test)', email: 'police-lead@example.org' },
  },
});

/** The test partnership with an Executive Board chair (invented). */
export const testProfileWithBoard: PartnershipProfile = {
  ...testProfile,
  executiveBoard: { name: 'Board Chair (test)', email: 'executive-board@example.org' },
};

export const PUBLIC_BASE_URL = 'https://rapid-review.example.org';

/** The state machine the fakes' workflow port names (any valid ARN: Step Functions is mocked). */
export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-2:111122223333:stateMachine:rapid-review';

/**
 * The ports a workflow step is given, all fakes, with the fakes exposed for assertions. The
 * workflow port is the real Step Functions adapter over `options.sfn` (a client the test mocks
 * with aws-sdk-client-mock); without one, reaching the workflow fails the test.
 */
export function fakeService(start = '2026-03-04T10:00:00Z', options: { sfn?: SFNClient } = {}) {
  const cases = new InMemoryCaseStore();
  const mailer = new RecordingMailer();
  const clock = new ManualClock(start);
  const documents = new InMemoryDocumentStore('case-documents-test', () => clock.now());
  const uploads = new InMemoryDocumentStore('agency-uploads-test', () => clock.now());
  const workflow = options.sfn
    ? new StepFunctionsReviewWorkflow(options.sfn, () => STATE_MACHINE_ARN)
    : undefined;
  const service = {
    clock,
    cases,
    profile: testProfile,
    mailer,
    documents,
    uploads,
    publicBaseUrl: PUBLIC_BASE_URL,
    duplicateCheckKey: 'duplicate-check-key-invented-for-tests',
    agencyDetailsCodes: new InMemoryAgencyDetailsCodes(),
    get workflow(): ReviewWorkflow {
      if (!workflow) throw new Error('This test gives the step no Step Functions client');
      return workflow;
    },
    localReviews: new InMemoryLocalReviewStore(),
    referrals: new InMemoryPrgReferralStore(),
    localReviewDrafts: new InMemoryLocalReviewDraftsStore(),
    localReviewEnquiries: new InMemoryLocalReviewEnquiryStore(),
    learning: new InMemoryLearningStore(),
    // A value, not a throwing getter, so that a test may spread the service: reaching it fails.
    localReviewWorkflow: noLocalReviewWorkflow,
    informationRequestChases: noLocalReviewWorkflow,
    factualAccuracyChases: noLocalReviewWorkflow,
  } satisfies Omit<Service, 'drafts' | 'uploadForms' | 'sessions'>;
  return { service, cases, mailer, documents, uploads, clock };
}

/** A local review workflow a Rapid Review step never uses: calling it fails the test. */
const noLocalReviewWorkflow: ReviewWorkflow = new Proxy({} as ReviewWorkflow, {
  get: (_target, name) => () => {
    throw new Error(`This test gives the step no local review workflow (${String(name)})`);
  },
});

/** The invented notification's children's names: no email or paper may contain them. */
export function childNames(notification: SeriousIncidentNotification = sampleNotification()): string[] {
  return notification.children.flatMap((child) => (child.name === undefined ? [] : [child.name]));
}

/**
 * Opens a case from the invented notification (received Wednesday 4 March 2026, 10:00 UTC) in
 * the store, then applies `changes` as if earlier steps had run.
 */
export async function openSampleCase(
  cases: InMemoryCaseStore,
  options: {
    notification?: SeriousIncidentNotification;
    receivedAt?: string;
    changes?: Partial<CaseRecord>;
  } = {},
): Promise<CaseRecord> {
  const caseId = randomUUID();
  const { record, agencies } = openCase({
    caseId,
    notification: options.notification ?? sampleNotification(),
    receivedAt: new Date(options.receivedAt ?? '2026-03-04T10:00:00Z'),
    notificationDocumentKey: `cases/${caseId}/notification.json`,
  });
  await cases.createCase(record, agencies, {
    actor: { kind: 'staff', id: 'user-notifier-test', role: 'notifier' },
    at: record.receivedAt,
    action: 'case.opened',
    reason: 'Serious incident notification received',
  });
  if (options.changes) cases.overwriteCase({ ...record, ...options.changes });
  return (await cases.getCase(caseId))!;
}

/** Puts one agency request into a state, as if the workflow or the agency had put it there. */
export async function setAgency(
  cases: InMemoryCaseStore,
  caseId: string,
  agencyId: string,
  changes: Partial<AgencyRequest>,
): Promise<void> {
  const { agencies } = await cases.getCaseFile(caseId);
  const current = agencies.find((agency) => agency.agencyId === agencyId);
  if (!current) throw new Error(`No agency ${agencyId} on case ${caseId}`);
  cases.overwriteAgencyRequest({ ...current, ...changes });
}

/** Three agreeing sign-offs (invented partners' people), as if every partner had signed the decision off. */
export const allPartnersAgreed: NonNullable<CaseRecord['signOffs']> = (
  ['local-authority', 'police', 'health'] as const
).map((partner) => ({
  partner,
  agrees: true,
  signedAt: '2026-03-23T14:00:00.000Z',
  signedBy: `user-${partner}-test`,
  signedByName: `${partner} partner (test)`,
}));

/**
 * Makes a case ready to go to the Panel, as if people had finished their parts: the chair's
 * decision (when it has none), every partner's sign-off and the completed report.
 */
export async function makeReadyToSubmit(cases: InMemoryCaseStore, caseId: string): Promise<CaseRecord> {
  const current = (await cases.getCase(caseId))!;
  cases.overwriteCase({
    ...current,
    decision: current.decision ?? sampleDecision,
    signOffs: allPartnersAgreed,
  });
  const report = await cases.getReport(caseId);
  if (!report.completion) {
    await cases.completeReport(
      { caseId, completedAt: '2026-03-23T14:30:00.000Z', completedBy: 'user-team-test' },
      {
        actor: { kind: 'system', id: 'test' },
        at: '2026-03-23T14:30:00.000Z',
        action: 'report.completed',
        reason: 'The report was completed (test)',
      },
    );
  }
  return (await cases.getCase(caseId))!;
}

/** Every agency of the case as requested on Day 1. */
export async function requestAll(cases: InMemoryCaseStore, caseId: string): Promise<void> {
  const { agencies } = await cases.getCaseFile(caseId);
  for (const agency of agencies) {
    cases.overwriteAgencyRequest({ ...agency, status: 'requested', requestedAt: '2026-03-04T10:00:05Z' });
  }
}

/** An invented decision; the reasons name no one. */
export const sampleDecision: NonNullable<CaseRecord['decision']> = {
  commissionLocalReview: true,
  localReviewReason: 'Invented reason: there is learning about multi-agency information sharing.',
  recommendNationalReview: false,
  nationalReviewReason: 'Invented reason: the learning is local to the partnership.',
  decidedAt: '2026-03-23T15:00:00Z',
  decidedBy: 'user-rrg-chair-test',
};
