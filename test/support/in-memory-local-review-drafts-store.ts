import { DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { AuditEvent } from '../../shared/schemas/case.ts';
import {
  type FactualAccuracyLink,
  factualAccuracyLink,
  type LocalReviewDrafts,
  localReviewDrafts,
} from '../../shared/schemas/local-review-drafts.ts';
import type { AuditInput } from '../../shared/stores/case-store.ts';
import {
  emptyDrafts,
  type LocalReviewDraftsStore,
  type NewFactualAccuracyLink,
} from '../../shared/stores/local-review-drafts-store.ts';
import { auditEventOf } from '../../shared/stores/local-review-store.ts';

/**
 * The drafts store in memory, with the DynamoDB store's rules (versions, audit ids once, links
 * once). Its audit trail may be the local review store's own map, so that the review's timeline
 * shows these changes as on DynamoDB.
 */
export class InMemoryLocalReviewDraftsStore implements LocalReviewDraftsStore {
  readonly records = new Map<string, LocalReviewDrafts>();
  readonly links = new Map<string, FactualAccuracyLink>();
  readonly audit: Map<string, AuditEvent[]>;

  constructor(audit: Map<string, AuditEvent[]> = new Map()) {
    this.audit = audit;
  }

  async getDrafts(reviewId: string): Promise<LocalReviewDrafts> {
    return structuredClone(this.records.get(reviewId) ?? emptyDrafts(reviewId));
  }

  async saveDrafts(
    current: LocalReviewDrafts,
    next: Omit<LocalReviewDrafts, 'version' | 'reviewId'>,
    audit: AuditInput,
    links: readonly NewFactualAccuracyLink[] = [],
  ): Promise<LocalReviewDrafts> {
    const saved = localReviewDrafts.parse(
      structuredClone({ ...next, reviewId: current.reviewId, version: current.version + 1 }),
    );
    const event = auditEventOf(current.reviewId, audit);
    const trail = this.audit.get(current.reviewId) ?? [];
    if (trail.some((earlier) => earlier.eventId === event.eventId)) {
      throw new DuplicateWriteError('This change was already recorded');
    }
    const stored = this.records.get(current.reviewId)?.version ?? 0;
    if (stored !== current.version || links.some(({ tokenHash }) => this.links.has(tokenHash))) {
      throw new StaleWriteError(
        `The drafts of local review ${current.reviewId} changed since they were read`,
      );
    }
    this.records.set(current.reviewId, saved);
    this.audit.set(current.reviewId, [...trail, event]);
    for (const { tokenHash, link } of links) this.links.set(tokenHash, factualAccuracyLink.parse(link));
    return structuredClone(saved);
  }

  async findFactualAccuracyLink(tokenHash: string): Promise<FactualAccuracyLink | undefined> {
    return this.links.get(tokenHash);
  }
}
