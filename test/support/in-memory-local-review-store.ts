import { DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { AuditEvent } from '../../shared/schemas/case.ts';
import { type LocalReview, localReview } from '../../shared/schemas/local-review.ts';
import type { AuditInput } from '../../shared/stores/case-store.ts';
import {
  auditEventOf,
  type LocalReviewChanges,
  type LocalReviewStore,
  type LocalReviewTokenKind,
} from '../../shared/stores/local-review-store.ts';

/** The local review store in memory, keeping the DynamoDB store's rules (one review a case, versions, audit ids once). */
export class InMemoryLocalReviewStore implements LocalReviewStore {
  readonly reviews = new Map<string, LocalReview>();
  readonly pointers = new Map<string, string>();
  readonly tokens = new Map<string, { taskToken: string; attempt: number }>();
  /** Audit events by owner (a review's id or a case's id), in the order written. */
  readonly audit = new Map<string, AuditEvent[]>();

  #append(ownerId: string, input: AuditInput): AuditEvent {
    const event = auditEventOf(ownerId, input);
    const trail = this.audit.get(ownerId) ?? [];
    if (trail.some((earlier) => earlier.eventId === event.eventId)) {
      throw new DuplicateWriteError('This change was already recorded');
    }
    return event;
  }

  async commissionLocalReview(
    review: LocalReview,
    audit: AuditInput,
    caseAudit?: AuditInput,
  ): Promise<LocalReview> {
    const valid = localReview.parse(structuredClone(review));
    // A Rapid Review's pointer is keyed by its case id, a referral's by its referral id (both ids are unique).
    const sourceId = valid.fromCase?.caseId ?? valid.fromReferral?.referralId ?? '';
    if (this.pointers.has(sourceId) || this.reviews.has(valid.reviewId)) {
      throw new DuplicateWriteError('This change was already recorded');
    }
    const event = this.#append(valid.reviewId, audit);
    const caseEvent =
      valid.fromCase && caseAudit ? this.#append(valid.fromCase.caseId, caseAudit) : undefined;
    this.reviews.set(valid.reviewId, valid);
    this.pointers.set(sourceId, valid.reviewId);
    this.audit.set(valid.reviewId, [...(this.audit.get(valid.reviewId) ?? []), event]);
    if (caseEvent) this.audit.set(sourceId, [...(this.audit.get(sourceId) ?? []), caseEvent]);
    return structuredClone(valid);
  }

  async findLocalReviewOfReferral(referralId: string): Promise<string | undefined> {
    return this.pointers.get(referralId);
  }

  async getLocalReview(reviewId: string): Promise<LocalReview | undefined> {
    const review = this.reviews.get(reviewId);
    return review ? structuredClone(review) : undefined;
  }

  async findLocalReviewOfCase(caseId: string): Promise<string | undefined> {
    return this.pointers.get(caseId);
  }

  async updateLocalReview(
    current: LocalReview,
    changes: LocalReviewChanges,
    audit: AuditInput,
  ): Promise<LocalReview> {
    const stored = this.reviews.get(current.reviewId);
    const event = this.#append(current.reviewId, audit);
    if (!stored || stored.version !== current.version) {
      throw new StaleWriteError(
        `The local review ${current.reviewId} changed since it was read, or does not exist`,
      );
    }
    const next = localReview.parse(
      structuredClone({ ...current, ...changes, version: current.version + 1, updatedAt: audit.at }),
    );
    this.reviews.set(next.reviewId, next);
    this.audit.set(next.reviewId, [...(this.audit.get(next.reviewId) ?? []), event]);
    return structuredClone(next);
  }

  async getLocalReviewAudit(reviewId: string): Promise<AuditEvent[]> {
    return structuredClone(this.audit.get(reviewId) ?? []);
  }

  async saveLocalReviewToken(
    reviewId: string,
    kind: LocalReviewTokenKind,
    taskToken: string,
    attempt: number,
  ): Promise<void> {
    this.tokens.set(`${reviewId}:${kind}`, { taskToken, attempt });
  }

  async getLocalReviewToken(
    reviewId: string,
    kind: LocalReviewTokenKind,
  ): Promise<{ taskToken: string; attempt: number } | undefined> {
    return this.tokens.get(`${reviewId}:${kind}`);
  }

  async listLocalReviewsOfReviewer(email: string): Promise<LocalReview[]> {
    const wanted = email.trim().toLowerCase();
    return [...this.reviews.values()]
      .filter((review) => review.reviewer?.email.toLowerCase() === wanted)
      .sort((a, b) => a.commissionedAt.localeCompare(b.commissionedAt))
      .map((review) => structuredClone(review));
  }

  async listLocalReviews(): Promise<LocalReview[]> {
    return [...this.reviews.values()]
      .sort(
        (a, b) => b.commissionedAt.localeCompare(a.commissionedAt) || b.reviewId.localeCompare(a.reviewId),
      )
      .map((review) => structuredClone(review));
  }
}
