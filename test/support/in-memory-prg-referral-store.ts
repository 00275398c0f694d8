import { DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import type { AuditEvent } from '../../shared/schemas/case.ts';
import { type PrgReferral, prgReferral } from '../../shared/schemas/prg-referral.ts';
import type { AuditInput } from '../../shared/stores/case-store.ts';
import { auditEventOf } from '../../shared/stores/local-review-store.ts';
import type { PrgReferralStore, ReferralChanges } from '../../shared/stores/prg-referral-store.ts';

/** The referral store in memory, keeping the DynamoDB store's rules (versions, audit ids once, one pointer a link). */
export class InMemoryPrgReferralStore implements PrgReferralStore {
  readonly referrals = new Map<string, PrgReferral>();
  readonly approvals = new Map<string, string>();
  readonly audit = new Map<string, AuditEvent[]>();

  #event(referralId: string, input: AuditInput): AuditEvent {
    const event = auditEventOf(referralId, input);
    if ((this.audit.get(referralId) ?? []).some((earlier) => earlier.eventId === event.eventId)) {
      throw new DuplicateWriteError('This change was already recorded');
    }
    return event;
  }

  #keep(referralId: string, event: AuditEvent) {
    this.audit.set(referralId, [...(this.audit.get(referralId) ?? []), event]);
  }

  async createReferral(referral: PrgReferral, audit: AuditInput): Promise<PrgReferral> {
    const valid = prgReferral.parse(structuredClone(referral));
    if (this.referrals.has(valid.referralId) || this.approvals.has(valid.approval.tokenHash)) {
      throw new DuplicateWriteError('This change was already recorded');
    }
    const event = this.#event(valid.referralId, audit);
    this.referrals.set(valid.referralId, valid);
    this.approvals.set(valid.approval.tokenHash, valid.referralId);
    this.#keep(valid.referralId, event);
    return structuredClone(valid);
  }

  async getReferral(referralId: string): Promise<PrgReferral | undefined> {
    const referral = this.referrals.get(referralId);
    return referral ? structuredClone(referral) : undefined;
  }

  async findReferralByApprovalHash(tokenHash: string): Promise<string | undefined> {
    return this.approvals.get(tokenHash);
  }

  async listReferrals(): Promise<PrgReferral[]> {
    return [...this.referrals.values()]
      .map((referral) => structuredClone(referral))
      .sort((a, b) => b.referredAt.localeCompare(a.referredAt));
  }

  async updateReferral(
    current: PrgReferral,
    changes: ReferralChanges,
    audit: AuditInput,
    newApprovalHash?: string,
  ): Promise<PrgReferral> {
    const stored = this.referrals.get(current.referralId);
    if (!stored || stored.version !== current.version) {
      throw new StaleWriteError(`The referral ${current.referralId} changed since it was read`);
    }
    const next = prgReferral.parse(
      structuredClone({ ...current, ...changes, version: current.version + 1, updatedAt: audit.at }),
    );
    const event = this.#event(current.referralId, audit);
    if (newApprovalHash && this.approvals.has(newApprovalHash)) {
      throw new StaleWriteError('This approval link was issued before');
    }
    this.referrals.set(next.referralId, next);
    if (newApprovalHash) this.approvals.set(newApprovalHash, next.referralId);
    this.#keep(current.referralId, event);
    return structuredClone(next);
  }

  async getReferralAudit(referralId: string): Promise<AuditEvent[]> {
    return structuredClone(this.audit.get(referralId) ?? []);
  }
}
