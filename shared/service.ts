import type { DocumentStore } from './adapters/documents.ts';
import type { Mailer } from './adapters/mailer.ts';
import type { ReviewWorkflow } from './adapters/review-workflow.ts';
import type { UploadForms } from './adapters/upload-forms.ts';
import { appClock, type Clock } from './clock.ts';
import { loadPartnershipProfile, type PartnershipProfile } from './config/partnership-profile.ts';
import { publicBaseUrlFromEnvironment } from './env.ts';
import type { AgencyDetailsCodes } from './stores/agency-details-codes.ts';
import type { CaseStore } from './stores/case-store.ts';
import type { DraftStore } from './stores/draft-store.ts';
import type { LearningStore } from './stores/learning-store.ts';
import type { LocalReviewDraftsStore } from './stores/local-review-drafts-store.ts';
import type { LocalReviewEnquiryStore } from './stores/local-review-enquiry-store.ts';
import type { LocalReviewStore } from './stores/local-review-store.ts';
import type { PrgReferralStore } from './stores/prg-referral-store.ts';
import type { SessionRevocations } from './stores/session-revocations.ts';

/**
 * The ports use cases are given: one way, everywhere. A use case takes the part it needs
 * (`Pick<Service, 'cases' | 'clock'>`), so its signature says what it touches; API handlers,
 * pages, workflow tasks and tests all hand it a Service, or the part of one they have.
 *
 * This module imports no AWS SDK: each adapter module makes its own client, so a function's
 * bundle holds only the clients of the ports it asks for (see `environmentService`).
 */
export interface Service {
  /** Every "now" (ARCHITECTURE §4.4). */
  readonly clock: Clock;
  /** Who this deployment serves. */
  readonly profile: PartnershipProfile;
  /** Where people reach the service (links in emails), without a trailing slash. */
  readonly publicBaseUrl: string;
  /** Cases, agency requests, capability links, audit events and idempotency keys. */
  readonly cases: CaseStore;
  /** The one-time codes an agency's contact proves their mailbox with before seeing the child's details. */
  readonly agencyDetailsCodes: AgencyDetailsCodes;
  /** Notifications someone is still writing on the pages. */
  readonly drafts: DraftStore;
  /** Staff sessions ended by signing out, which the pages refuse until they expire. */
  readonly sessions: SessionRevocations;
  /** Every email, each sent at most once. */
  readonly mailer: Mailer;
  /** The case document bucket. */
  readonly documents: DocumentStore;
  /** The agency upload bucket: what agencies returned. */
  readonly uploads: DocumentStore;
  /** Pre-signed upload forms into the agency upload bucket. */
  readonly uploadForms: UploadForms;
  /** Each case's Rapid Review on Step Functions. */
  readonly workflow: ReviewWorkflow;
  /** Local Child Safeguarding Practice Reviews (issue 13), in the case table. */
  readonly localReviews: LocalReviewStore;
  /** Each local review's work in writing: learning events, family plan, supervision, drafts, factual-accuracy rounds, quality checklists. */
  readonly localReviewDrafts: LocalReviewDraftsStore;
  /** Each local review's enquiry: declarations, requests for information, the merged chronology (an item for each entry). */
  readonly localReviewEnquiries: LocalReviewEnquiryStore;
  /** Each local review's workflow on Step Functions (the local-review state machine). */
  readonly localReviewWorkflow: ReviewWorkflow;
  /** Referrals to the Practice Review Group (issue 13), in the case table. */
  readonly referrals: PrgReferralStore;
  /** Learning themes, learning points and action plans (issue 14), in the case table. */
  readonly learning: LearningStore;
  /**
   * The chasing of each request for information of a local review (issue 13 part 3): an
   * execution of the same local-review state machine per request, started by its id
   * (`informationRequestChaseId`), which waits for each rung of the escalation ladder.
   */
  readonly informationRequestChases: ReviewWorkflow;
  /**
   * The reminders of each factual-accuracy round of a local review (issue 13 part 4): an
   * execution of the same local-review state machine per round, started by its id
   * (`factualAccuracyChaseId`), which waits for each reminder until every agency has commented.
   */
  readonly factualAccuracyChases: ReviewWorkflow;
  /**
   * The deployment's secret key for the possible-duplicate check: a child's date of birth and the
   * incident date are kept on the case only as an HMAC under it (`duplicateKeyOf`).
   */
  readonly duplicateCheckKey: string;
}

/** The ports every handler has without naming them: none of them brings an AWS client. */
type Always = 'clock' | 'profile' | 'publicBaseUrl';

/** How to make each port a handler needs, from the environment (the adapter modules' `…FromEnvironment`). */
export type PortFactories<K extends keyof Service> = { readonly [P in K]: () => Service[P] };

/**
 * A Service made from the environment, holding the clock, the profile and the public base URL,
 * and the ports `factories` make. Each port is made when first read, by its factory, which keeps
 * one adapter per container, so a function needs only the variables of the ports it reads:
 *
 * ```ts
 * const service = environmentService({ cases: caseStoreFromEnvironment, mailer: mailerFromEnvironment });
 * ```
 *
 * Reading the factory on every access (rather than keeping the first answer here) lets the local
 * stack, which hosts every handler in one process, start again with other settings.
 */
export function environmentService<K extends Exclude<keyof Service, Always>>(
  factories: PortFactories<K>,
): Pick<Service, K | Always> {
  const always: PortFactories<Always> = {
    clock: appClock,
    profile: loadPartnershipProfile,
    publicBaseUrl: publicBaseUrlFromEnvironment,
  };
  const service = {};
  for (const [name, make] of Object.entries({ ...factories, ...always }) as [string, () => unknown][]) {
    Object.defineProperty(service, name, { enumerable: true, get: make });
  }
  return service as Pick<Service, K | Always>;
}
