import { DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { AuditEvent } from '../../shared/schemas/case.ts';
import {
  type ChronologyEntry,
  chronologyEntry,
  type LocalReviewEnquiry,
  localReviewEnquiry,
} from '../../shared/schemas/local-review-enquiry.ts';
import type { AuditInput } from '../../shared/stores/case-store.ts';
import {
  type EnquiryChanges,
  emptyEnquiry,
  type LocalReviewEnquiryStore,
} from '../../shared/stores/local-review-enquiry-store.ts';
import { auditEventOf } from '../../shared/stores/local-review-store.ts';

/**
 * The enquiry store in memory, with the DynamoDB store's rules (versions, audit ids once, entries
 * only added). Its audit trail may be the local review store's own map, so that the review's
 * timeline shows these changes as on DynamoDB.
 */
export class InMemoryLocalReviewEnquiryStore implements LocalReviewEnquiryStore {
  readonly records = new Map<string, Omit<LocalReviewEnquiry, 'chronology'>>();
  readonly entries = new Map<string, ChronologyEntry[]>();
  readonly audit: Map<string, AuditEvent[]>;

  constructor(audit: Map<string, AuditEvent[]> = new Map()) {
    this.audit = audit;
  }

  async getEnquiry(reviewId: string): Promise<LocalReviewEnquiry> {
    const record = this.records.get(reviewId) ?? emptyEnquiry(reviewId);
    return structuredClone({ ...record, chronology: this.entries.get(reviewId) ?? [] });
  }

  async saveEnquiry(
    current: LocalReviewEnquiry,
    changes: EnquiryChanges,
    audit: AuditInput,
  ): Promise<LocalReviewEnquiry> {
    const saved = localReviewEnquiry.parse(
      structuredClone({ ...current, ...changes, version: current.version + 1 }),
    );
    const event = this.#event(current.reviewId, audit);
    if ((this.records.get(current.reviewId)?.version ?? 0) !== current.version) {
      throw new StaleWriteError(`The enquiry of local review ${current.reviewId} changed since it was read`);
    }
    const { chronology: _chronology, ...stored } = saved;
    this.records.set(current.reviewId, stored);
    this.#append(current.reviewId, event);
    return structuredClone(saved);
  }

  async addChronologyEntry(reviewId: string, entry: ChronologyEntry, audit: AuditInput): Promise<void> {
    const valid = chronologyEntry.parse(structuredClone(entry));
    const event = this.#event(reviewId, audit);
    const entries = this.entries.get(reviewId) ?? [];
    if (entries.some((earlier) => earlier.entryId === valid.entryId)) {
      throw new DuplicateWriteError('This entry was already added');
    }
    this.entries.set(reviewId, [...entries, valid]);
    this.#append(reviewId, event);
  }

  #event(reviewId: string, audit: AuditInput): AuditEvent {
    const event = auditEventOf(reviewId, audit);
    if ((this.audit.get(reviewId) ?? []).some((earlier) => earlier.eventId === event.eventId)) {
      throw new DuplicateWriteError('This change was already recorded');
    }
    return event;
  }

  #append(reviewId: string, event: AuditEvent): void {
    this.audit.set(reviewId, [...(this.audit.get(reviewId) ?? []), event]);
  }
}
