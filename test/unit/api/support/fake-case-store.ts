import { randomUUID } from 'node:crypto';
import { CaseNotFoundError, DuplicateWriteError, StaleWriteError } from '../../../../shared/errors.ts';
import {
  type AgencyRequest,
  type AuditEvent,
  agencyRequest,
  auditEvent,
  type CaseRecord,
  type CaseStatus,
  caseRecord,
} from '../../../../shared/schemas/case.ts';
import type {
  AgencyLink,
  AgencyRequestChanges,
  AuditInput,
  CaseChanges,
  CaseFile,
  CaseStore,
  IdempotencyKeys,
  IdempotencyRecord,
} from '../../../../shared/stores/case-store.ts';

/**
 * A case store in memory for the API unit tests, with the DynamoDB store's rules: versions
 * checked on every write (StaleWriteError), an audit event per change, a repeated event id is a
 * DuplicateWriteError. `failNextWrites` makes the next writes lose a race, as a concurrent writer would.
 */
export class FakeCaseStore implements CaseStore, IdempotencyKeys {
  readonly cases = new Map<string, CaseRecord>();
  readonly agencies = new Map<string, AgencyRequest>();
  readonly audit: AuditEvent[] = [];
  readonly links = new Map<string, AgencyLink>();
  readonly decisionTokens = new Map<string, { taskToken: string; attempt: number }>();
  readonly idempotencyKeys = new Map<string, IdempotencyRecord>();
  /** Writes that will be refused as stale before anything is stored. */
  staleWritesToSimulate = 0;

  async createCase(record: CaseRecord, agencies: AgencyRequest[], audit: AuditInput): Promise<CaseRecord> {
    const valid = caseRecord.parse(record);
    if (this.cases.has(valid.caseId)) throw new DuplicateWriteError(`Case ${valid.caseId} already exists`);
    const event = this.#event(valid.caseId, audit);
    this.cases.set(valid.caseId, structuredClone(valid));
    for (const agency of agencies)
      this.agencies.set(`${agency.caseId}/${agency.agencyId}`, agencyRequest.parse(agency));
    this.audit.push(event);
    return valid;
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const found = this.cases.get(caseId);
    return found ? structuredClone(found) : undefined;
  }

  async listCases(filter: { status?: CaseStatus } = {}): Promise<CaseRecord[]> {
    return [...this.cases.values()]
      .filter((record) => !filter.status || record.status === filter.status)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .map((record) => structuredClone(record));
  }

  async getCaseFile(caseId: string): Promise<CaseFile> {
    const found = this.cases.get(caseId);
    if (!found) throw new CaseNotFoundError(caseId);
    return {
      case: structuredClone(found),
      agencies: [...this.agencies.values()]
        .filter((agency) => agency.caseId === caseId)
        .sort((a, b) => a.agencyId.localeCompare(b.agencyId))
        .map((agency) => structuredClone(agency)),
      audit: this.auditOf(caseId),
    };
  }

  async updateCase(current: CaseRecord, changes: CaseChanges, audit: AuditInput): Promise<CaseRecord> {
    const next = caseRecord.parse({
      ...current,
      ...changes,
      version: current.version + 1,
      updatedAt: audit.at,
    });
    this.#checkWrite(this.cases.get(current.caseId)?.version, current.version, current.caseId, audit);
    this.cases.set(next.caseId, structuredClone(next));
    this.audit.push(this.#event(current.caseId, audit));
    return next;
  }

  async updateAgencyRequest(current: AgencyRequest, changes: AgencyRequestChanges, audit: AuditInput) {
    const next = agencyRequest.parse({ ...current, ...changes, version: current.version + 1 });
    const storeKey = `${current.caseId}/${current.agencyId}`;
    this.#checkWrite(this.agencies.get(storeKey)?.version, current.version, current.caseId, audit);
    this.agencies.set(storeKey, structuredClone(next));
    this.audit.push(this.#event(current.caseId, audit));
    return next;
  }

  async putAgencyLink(link: AgencyLink): Promise<void> {
    this.links.set(link.tokenHash, { ...link });
  }

  async findAgencyLink(tokenHash: string): Promise<AgencyLink | undefined> {
    const found = this.links.get(tokenHash);
    return found ? { ...found } : undefined;
  }

  async saveDecisionToken(caseId: string, taskToken: string, attempt: number): Promise<void> {
    this.decisionTokens.set(caseId, { taskToken, attempt });
  }

  async getDecisionToken(caseId: string) {
    return this.decisionTokens.get(caseId);
  }

  async claimIdempotencyKey(key: string, claim: IdempotencyRecord): Promise<IdempotencyRecord> {
    const earlier = this.idempotencyKeys.get(key);
    if (earlier) return { ...earlier };
    this.idempotencyKeys.set(key, { ...claim });
    return { ...claim };
  }

  async findIdempotencyKey(key: string): Promise<IdempotencyRecord | undefined> {
    const found = this.idempotencyKeys.get(key);
    return found ? { ...found } : undefined;
  }

  /** The audit trail of one case, in the order it was written. */
  auditOf(caseId: string): AuditEvent[] {
    return this.audit.filter((event) => event.caseId === caseId).map((event) => structuredClone(event));
  }

  agency(caseId: string, agencyId: string): AgencyRequest {
    const found = this.agencies.get(`${caseId}/${agencyId}`);
    if (!found) throw new Error(`No agency request ${agencyId} on case ${caseId}`);
    return structuredClone(found);
  }

  #checkWrite(storedVersion: number | undefined, expectedVersion: number, caseId: string, audit: AuditInput) {
    if (
      audit.eventId &&
      this.audit.some((event) => event.caseId === caseId && event.eventId === audit.eventId)
    ) {
      throw new DuplicateWriteError('This change was already recorded');
    }
    if (this.staleWritesToSimulate > 0) {
      this.staleWritesToSimulate -= 1;
      throw new StaleWriteError(`Case ${caseId} changed since it was read`);
    }
    if (storedVersion !== expectedVersion)
      throw new StaleWriteError(`Case ${caseId} changed since it was read`);
  }

  #event(caseId: string, audit: AuditInput): AuditEvent {
    return auditEvent.parse({ ...audit, caseId, eventId: audit.eventId ?? `${audit.at}-${randomUUID()}` });
  }
}
