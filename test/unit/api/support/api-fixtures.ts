import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { DocumentStore } from '../../../../shared/adapters/documents.ts';
import type { Mailer } from '../../../../shared/adapters/mailer.ts';
import {
  type ReviewWorkflow,
  StepFunctionsReviewWorkflow,
} from '../../../../shared/adapters/review-workflow.ts';
import { S3UploadForms } from '../../../../shared/adapters/upload-forms.ts';
import type { Clock } from '../../../../shared/clock.ts';
import {
  type PartnershipProfile,
  partnershipProfile,
} from '../../../../shared/config/partnership-profile.ts';
import { ConfigurationError } from '../../../../shared/errors.ts';
import type { ApiEvent, ApiResult } from '../../../../shared/http/api-handler.ts';
import type { StaffRole } from '../../../../shared/schemas/roles.ts';
import type { Service } from '../../../../shared/service.ts';
import type { AgencyDetailsCodes } from '../../../../shared/stores/agency-details-codes.ts';
import type { DraftStore } from '../../../../shared/stores/draft-store.ts';
import type { LearningStore } from '../../../../shared/stores/learning-store.ts';
import type { LocalReviewDraftsStore } from '../../../../shared/stores/local-review-drafts-store.ts';
import type { LocalReviewEnquiryStore } from '../../../../shared/stores/local-review-enquiry-store.ts';
import type { LocalReviewStore } from '../../../../shared/stores/local-review-store.ts';
import type { PrgReferralStore } from '../../../../shared/stores/prg-referral-store.ts';
import type { SessionRevocations } from '../../../../shared/stores/session-revocations.ts';
import { InMemoryAgencyDetailsCodes } from '../../../support/in-memory-agency-details-codes.ts';
import { InMemoryCaseStore } from '../../../support/in-memory-case-store.ts';
import { InMemoryLearningStore } from '../../../support/in-memory-learning-store.ts';
import { InMemoryLocalReviewDraftsStore } from '../../../support/in-memory-local-review-drafts-store.ts';
import { InMemoryLocalReviewEnquiryStore } from '../../../support/in-memory-local-review-enquiry-store.ts';
import { InMemoryLocalReviewStore } from '../../../support/in-memory-local-review-store.ts';
import { InMemoryPrgReferralStore } from '../../../support/in-memory-prg-referral-store.ts';
import { InMemorySessionRevocations } from '../../../support/in-memory-session-revocations.ts';

export const DOCUMENT_BUCKET = 'case-documents-test';
export const UPLOAD_BUCKET = 'agency-uploads-test';
export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-2:111122223333:stateMachine:RapidReview';

/** An invented partnership, with its three partners (invented people) and an Executive Board chair; every address is under example.org. */
export const testProfileWithPartners: PartnershipProfile = partnershipProfile.parse({
  partnershipName: 'Exampleshire Safeguarding Children Partnership (demo)',
  senderAddress: 'reviews@example.org',
  panelMailbox: 'panel@example.org',
  partnershipTeamAddress: 'partnership-team@example.org',
  rapidReviewGroup: {
    chair: { name: 'Chair Person (demo)', email: 'rrg-chair@example.org' },
    members: [{ name: 'Member Person (demo)', email: 'rrg-member@example.org' }],
  },
  executiveBoard: { name: 'Board Chair (demo)', email: 'board-chair@example.org' },
  safeguardingPartners: {
    'local-authority': {
      lead: { name: 'LA Lead (demo)', email: 'la-lead@example.org' },
      delegates: [{ name: 'LA Delegate (demo)', email: 'la-delegate@example.org' }],
    },
    police: {
      lead: { name: 'Police Lead (demo)', email: 'police-lead@example.org' },
      delegates: [{ name: 'Police Delegate (demo)', email: 'police-delegate@example.org' }],
    },
    health: {
      lead: { name: 'Health Lead (demo)', email: 'health-lead@example.org' },
    },
  },
});

/** The same invented partnership (every profile names its safeguarding partners). */
export const testProfile: PartnershipProfile = testProfileWithPartners;

/** A clock the test moves by hand. */
export class SettableClock implements Clock {
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

/** An S3 client that signs (so presigned URLs and forms can be built) but is meant to be mocked for every call. */
export function testS3Client(): S3Client {
  return new S3Client({
    region: 'eu-west-2',
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIAEXAMPLEONLY', secretAccessKey: 'example-secret-only' },
  });
}

/**
 * A Service over fakes: the in-memory store, a settable clock, document stores and upload forms
 * on the given S3 client, and the Step Functions adapter over `sfn` (mock it with
 * aws-sdk-client-mock). Without `sfn`, the workflow port has no state machine: asking where a
 * review stands answers UNKNOWN and starting one fails, as with a missing setting. It sends no
 * email: reaching the mailer fails the test.
 */
export function testService(options: {
  store: InMemoryCaseStore;
  clock: Clock;
  s3: S3Client;
  sfn?: SFNClient;
  drafts?: DraftStore;
  sessions?: SessionRevocations;
  /** The Panel's reply pages email the Executive Board; without one, reaching the mailer fails the test. */
  mailer?: Mailer;
  agencyDetailsCodes?: AgencyDetailsCodes;
  localReviews?: LocalReviewStore;
  learning?: LearningStore;
  localReviewWorkflow?: ReviewWorkflow;
  referrals?: PrgReferralStore;
  localReviewDrafts?: LocalReviewDraftsStore;
  localReviewEnquiries?: LocalReviewEnquiryStore;
  informationRequestChases?: ReviewWorkflow;
  factualAccuracyChases?: ReviewWorkflow;
}): Service {
  const stateMachineArn = () => {
    if (!options.sfn) throw new ConfigurationError('This test gives no state machine');
    return STATE_MACHINE_ARN;
  };
  const drafts = options.drafts;
  return {
    clock: options.clock,
    cases: options.store,
    profile: testProfile,
    duplicateCheckKey: TEST_DUPLICATE_CHECK_KEY,
    get mailer(): Mailer {
      if (options.mailer) return options.mailer;
      throw new Error('These functions send no email');
    },
    get drafts(): DraftStore {
      if (!drafts) throw new Error('This test gives no draft store');
      return drafts;
    },
    sessions: options.sessions ?? new InMemorySessionRevocations(),
    agencyDetailsCodes: options.agencyDetailsCodes ?? new InMemoryAgencyDetailsCodes(),
    documents: new DocumentStore(options.s3, DOCUMENT_BUCKET),
    uploads: new DocumentStore(options.s3, UPLOAD_BUCKET),
    uploadForms: new S3UploadForms(options.s3, UPLOAD_BUCKET),
    workflow: new StepFunctionsReviewWorkflow(
      options.sfn ?? new SFNClient({ region: 'eu-west-2' }),
      stateMachineArn,
    ),
    localReviews: options.localReviews ?? new InMemoryLocalReviewStore(),
    referrals: options.referrals ?? new InMemoryPrgReferralStore(),
    localReviewDrafts: options.localReviewDrafts ?? new InMemoryLocalReviewDraftsStore(),
    localReviewEnquiries: options.localReviewEnquiries ?? new InMemoryLocalReviewEnquiryStore(),
    learning: options.learning ?? new InMemoryLearningStore(),
    // A value, not a throwing getter, so that a test may spread the service: reaching it fails.
    localReviewWorkflow:
      options.localReviewWorkflow ??
      new Proxy({} as ReviewWorkflow, {
        get: (_target, name) => () => {
          throw new Error(`This test gives no local review workflow (${String(name)})`);
        },
      }),
    informationRequestChases:
      options.informationRequestChases ??
      new Proxy({} as ReviewWorkflow, {
        get: (_target, name) => () => {
          throw new Error(`This test gives no chasing of requests for information (${String(name)})`);
        },
      }),
    factualAccuracyChases:
      options.factualAccuracyChases ??
      new Proxy({} as ReviewWorkflow, {
        get: (_target, name) => () => {
          throw new Error(`This test gives no reminders of factual-accuracy rounds (${String(name)})`);
        },
      }),
    publicBaseUrl: 'https://reviews.example.org',
  };
}

/** The invented secret the tests' possible-duplicate keys are made with. */
export const TEST_DUPLICATE_CHECK_KEY = 'duplicate-check-key-invented-for-tests';

/** A signed-in caller as API Gateway's JWT authorizer hands it on. */
export interface TestCaller {
  sub: string;
  groups: StaffRole[];
  /** The ID token's `name` claim, when the test gives one. */
  name?: string;
  /** The ID token's `email` claim, when the test gives one. */
  email?: string;
}

export const notifier: TestCaller = { sub: 'user-notifier-demo', groups: ['notifier'] };
export const partnershipTeam: TestCaller = { sub: 'user-team-demo', groups: ['partnership-team'] };
export const rrgMember: TestCaller = { sub: 'user-member-demo', groups: ['rrg-member'] };
export const rrgChair: TestCaller = {
  sub: 'user-chair-demo',
  groups: ['rrg-chair'],
  name: 'Chair Person (demo)',
};

/** Builds the API Gateway v2 event for a route, as API Gateway (or the local API) would. */
export function apiEvent(request: {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  routePath: string;
  pathParameters?: Record<string, string>;
  body?: unknown;
  headers?: Record<string, string>;
  caller?: TestCaller;
}): ApiEvent {
  const claims = request.caller
    ? {
        sub: request.caller.sub,
        'cognito:groups': `[${request.caller.groups.join(' ')}]`,
        ...(request.caller.name ? { name: request.caller.name } : {}),
        ...(request.caller.email ? { email: request.caller.email } : {}),
      }
    : undefined;
  return {
    version: '2.0',
    routeKey: `${request.method} ${request.routePath}`,
    rawPath: request.path,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...request.headers },
    pathParameters: request.pathParameters,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    isBase64Encoded: false,
    requestContext: {
      accountId: '111122223333',
      apiId: 'api-test',
      domainName: 'api.example.org',
      domainPrefix: 'api',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'vitest',
      },
      requestId: 'request-test',
      routeKey: `${request.method} ${request.routePath}`,
      stage: '$default',
      time: '04/Mar/2026:10:00:00 +0000',
      timeEpoch: 0,
      ...(claims
        ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } }
        : {}),
    },
  } as ApiEvent;
}

/** Calls a middy API handler as Lambda would. */
export async function invoke(
  handler: (event: ApiEvent, context: Context) => Promise<ApiResult>,
  event: ApiEvent,
): Promise<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }> {
  const result = await handler(event, {} as Context);
  return {
    status: result.statusCode ?? 0,
    headers: (result.headers ?? {}) as Record<string, unknown>,
    body: result.body ? (JSON.parse(result.body) as Record<string, unknown>) : {},
  };
}

/** The fields a problem JSON answer names as invalid. */
export function invalidFieldsOf(body: Record<string, unknown>): string[] {
  return ((body.errors ?? []) as { field: string }[]).map((error) => error.field);
}

export { InMemoryCaseStore };
