import { DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { AuditEvent } from '../../shared/schemas/case.ts';
import {
  type ActionLink,
  type ActionStatus,
  actionLink,
  type LearningAction,
  learningAction,
  type ReviewKind,
  type ReviewLearning,
  type ThemedReview,
} from '../../shared/schemas/learning.ts';
import type { AuditInput } from '../../shared/stores/case-store.ts';
import {
  type ActionChanges,
  type DueRange,
  type LearningStore,
  nextAction,
  nextReviewLearning,
  type ReviewLearningInput,
} from '../../shared/stores/learning-store.ts';
import { auditEventOf } from '../../shared/stores/local-review-store.ts';

/** The learning store in memory, keeping the DynamoDB store's rules (versions, audit ids once, the orders it answers in). */
export class InMemoryLearningStore implements LearningStore {
  readonly learning = new Map<string, ReviewLearning>();
  readonly actions = new Map<string, LearningAction>();
  readonly links = new Map<string, ActionLink>();
  /** Audit events by the review's id, in the order written. */
  readonly audit = new Map<string, AuditEvent[]>();

  #append(reviewId: string, input: AuditInput): void {
    const event = auditEventOf(reviewId, input);
    const trail = this.audit.get(reviewId) ?? [];
    if (trail.some((earlier) => earlier.eventId === event.eventId)) {
      throw new DuplicateWriteError('This change was already recorded');
    }
    this.audit.set(reviewId, [...trail, event]);
  }

  async getReviewLearning(kind: ReviewKind, reviewId: string): Promise<ReviewLearning | undefined> {
    const found = this.learning.get(`${kind}#${reviewId}`);
    return found ? structuredClone(found) : undefined;
  }

  async saveReviewLearning(
    input: ReviewLearningInput,
    expectedVersion: number | undefined,
    audit: AuditInput,
  ): Promise<ReviewLearning> {
    const key = `${input.reviewKind}#${input.reviewId}`;
    const current = this.learning.get(key);
    if (expectedVersion === undefined && current) throw new DuplicateWriteError('Learning already recorded');
    if (expectedVersion !== undefined && current?.version !== expectedVersion) {
      throw new StaleWriteError('The learning changed since it was read');
    }
    const next = nextReviewLearning(structuredClone(input), expectedVersion, audit.at);
    this.#append(next.reviewId, audit);
    this.learning.set(key, next);
    return structuredClone(next);
  }

  async listReviewsWithTheme(
    theme: string,
    options: { before?: string; limit?: number } = {},
  ): Promise<ThemedReview[]> {
    const entries = [...this.learning.values()]
      .filter((learning) => learning.themes.includes(theme))
      .map((learning) => ({
        theme,
        reviewKind: learning.reviewKind,
        reviewId: learning.reviewId,
        reference: learning.reference,
        reviewedOn: learning.reviewedOn,
        sortKey: `${learning.reviewedOn}#${learning.reviewKind}#${learning.reviewId}`,
      }))
      .filter((entry) => !options.before || entry.sortKey < options.before)
      .sort((a, b) => b.sortKey.localeCompare(a.sortKey))
      .map(({ sortKey: _sortKey, ...entry }) => entry);
    return options.limit ? entries.slice(0, options.limit) : entries;
  }

  async countReviewsWithTheme(theme: string): Promise<number> {
    return (await this.listReviewsWithTheme(theme)).length;
  }

  async createAction(action: LearningAction, audit: AuditInput): Promise<LearningAction> {
    const valid = learningAction.parse(structuredClone(action));
    if (this.actions.has(valid.actionId)) throw new DuplicateWriteError('Action exists');
    this.#append(valid.reviewId, audit);
    this.actions.set(valid.actionId, valid);
    return structuredClone(valid);
  }

  async getAction(kind: ReviewKind, reviewId: string, actionId: string): Promise<LearningAction | undefined> {
    const found = this.actions.get(actionId);
    return found && found.reviewKind === kind && found.reviewId === reviewId
      ? structuredClone(found)
      : undefined;
  }

  async listReviewActions(kind: ReviewKind, reviewId: string): Promise<LearningAction[]> {
    return [...this.actions.values()]
      .filter((action) => action.reviewKind === kind && action.reviewId === reviewId)
      .sort((a, b) => a.number - b.number)
      .map((action) => structuredClone(action));
  }

  async updateAction(
    current: LearningAction,
    changes: ActionChanges,
    audit: AuditInput,
  ): Promise<LearningAction> {
    const stored = this.actions.get(current.actionId);
    if (stored?.version !== current.version)
      throw new StaleWriteError('The action changed since it was read');
    const next = nextAction(current, structuredClone(changes), audit.at);
    this.#append(current.reviewId, audit);
    this.actions.set(next.actionId, next);
    return structuredClone(next);
  }

  async listActionsByStatus(status: ActionStatus, range: DueRange = {}): Promise<LearningAction[]> {
    return [...this.actions.values()]
      .filter(
        (action) =>
          action.status === status &&
          (!range.dueFrom || action.dueOn >= range.dueFrom) &&
          (!range.dueTo || action.dueOn <= range.dueTo),
      )
      .sort((a, b) => `${a.dueOn}#${a.actionId}`.localeCompare(`${b.dueOn}#${b.actionId}`))
      .map((action) => structuredClone(action));
  }

  async putActionLink(link: ActionLink, audit: AuditInput): Promise<void> {
    const valid = actionLink.parse(link);
    if (this.links.has(valid.tokenHash)) throw new DuplicateWriteError('Link exists');
    this.#append(valid.reviewId, audit);
    this.links.set(valid.tokenHash, valid);
  }

  async findActionLink(tokenHash: string): Promise<ActionLink | undefined> {
    return this.links.get(tokenHash);
  }
}
