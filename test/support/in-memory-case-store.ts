import { randomUUID } from 'node:crypto';
import { CaseNotFoundError, DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import {
  type AgencyRequest,
  type AuditEvent,
  agencyRequest,
  auditEvent,
  type CaseRecord,
  type CaseStatus,
  caseRecord,
} from '../../shared/schemas/case.ts';
import type {
  AgencyLink,
  AgencyRequestChanges,
  AuditInput,
  CaseChanges,
  CaseFile,
  CaseStore,
} from '../../shared/stores/case-store.ts';

/**
 * The CaseStore port in memory, with the DynamoDB adapter's rules: records are validated, every
 * write carries its audit event, a repeated audit event id is a DuplicateWriteError (checked
 * first, as the adapter's transaction reports it) and a stale version a StaleWriteError.
 * Everything handed in or out is a copy, so a test cannot change stored state by accident.
 */
export class InMemoryCaseStore implements CaseStore {
  readonly #cases = new Map<string, CaseRecord>();
  readonly #agencies = new Map<string, AgencyRequest>();
  readonly #audit = new Map<string, AuditEvent>();
  readonly #links = new Map<string, AgencyLink>();
  readonly #decisionTokens = new Map<string, { taskToken: string; attempt: number }>();

  async createCase(record: CaseRecord, agencies: AgencyRequest[], audit: AuditInput): Promise<CaseRecord> {
    const valid = caseRecord.parse(record);
    if (this.#cases.has(valid.caseId)) throw new DuplicateWriteError(`Case ${valid.caseId} already exists`);
    const event = this.#auditEvent(valid.caseId, audit);
    this.#cases.set(valid.caseId, structuredClone(valid));
    for (const agency of agencies) {
      const validAgency = agencyRequest.parse(agency);
      this.#agencies.set(agencyKey(validAgency), structuredClone(validAgency));
    }
    this.#audit.set(auditKey(event), event);
    return structuredClone(valid);
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const found = this.#cases.get(caseId);
    return found && structuredClone(found);
  }

  async listCases(filter: { status?: CaseStatus } = {}): Promise<CaseRecord[]> {
    return [...this.#cases.values()]
      .filter((record) => !filter.status || record.status === filter.status)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .map((record) => structuredClone(record));
  }

  async getCaseFile(caseId: string): Promise<CaseFile> {
    const found = this.#cases.get(caseId);
    if (!found) throw new CaseNotFoundError(caseId);
    return {
      case: structuredClone(found),
      agencies: [...this.#agencies.values()]
        .filter((agency) => agency.caseId === caseId)
        .sort((a, b) => a.agencyId.localeCompare(b.agencyId))
        .map((agency) => structuredClone(agency)),
      audit: this.auditOf(caseId),
    };
  }

  async updateCase(current: CaseRecord, changes: CaseChanges, audit: AuditInput): Promise<CaseRecord> {
    const event = this.#auditEvent(current.caseId, audit);
    this.#refuseDuplicate(event);
    const stored = this.#cases.get(current.caseId);
    if (!stored || stored.version !== current.version) {
      throw new StaleWriteError(`The case ${current.caseId} changed since it was read, or does not exist`);
    }
    const next = caseRecord.parse({
      ...current,
      ...changes,
      version: current.version + 1,
      updatedAt: audit.at,
    });
    this.#cases.set(next.caseId, structuredClone(next));
    this.#audit.set(auditKey(event), event);
    return structuredClone(next);
  }

  async updateAgencyRequest(
    current: AgencyRequest,
    changes: AgencyRequestChanges,
    audit: AuditInput,
  ): Promise<AgencyRequest> {
    const event = this.#auditEvent(current.caseId, audit);
    this.#refuseDuplicate(event);
    const stored = this.#agencies.get(agencyKey(current));
    if (!stored || stored.version !== current.version) {
      throw new StaleWriteError(
        `The agency request ${current.agencyId} on case ${current.caseId} changed since it was read`,
      );
    }
    const next = agencyRequest.parse({ ...current, ...changes, version: current.version + 1 });
    this.#agencies.set(agencyKey(next), structuredClone(next));
    this.#audit.set(auditKey(event), event);
    return structuredClone(next);
  }

  async putAgencyLink(link: AgencyLink): Promise<void> {
    if (this.#links.has(link.tokenHash)) throw new Error('ConditionalCheckFailed: link already stored');
    this.#links.set(link.tokenHash, { ...link });
  }

  async findAgencyLink(tokenHash: string): Promise<AgencyLink | undefined> {
    const found = this.#links.get(tokenHash);
    return found && { ...found };
  }

  async saveDecisionToken(caseId: string, taskToken: string, attempt: number): Promise<void> {
    this.#decisionTokens.set(caseId, { taskToken, attempt });
  }

  async getDecisionToken(caseId: string): Promise<{ taskToken: string; attempt: number } | undefined> {
    const found = this.#decisionTokens.get(caseId);
    return found && { ...found };
  }

  /** The case's audit trail in order, as getCaseFile reads it. */
  auditOf(caseId: string): AuditEvent[] {
    return [...this.#audit.values()]
      .filter((event) => event.caseId === caseId)
      .sort((a, b) => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId))
      .map((event) => structuredClone(event));
  }

  /** Every capability link stored for the case. */
  linksOf(caseId: string): AgencyLink[] {
    return [...this.#links.values()].filter((link) => link.caseId === caseId).map((link) => ({ ...link }));
  }

  /** Puts a case straight into a state, as if earlier steps or people had put it there. Test set-up only. */
  overwriteCase(record: CaseRecord): void {
    this.#cases.set(record.caseId, structuredClone(caseRecord.parse(record)));
  }

  /** Puts an agency request straight into a state. Test set-up only. */
  overwriteAgencyRequest(request: AgencyRequest): void {
    this.#agencies.set(agencyKey(request), structuredClone(agencyRequest.parse(request)));
  }

  #auditEvent(caseId: string, audit: AuditInput): AuditEvent {
    return auditEvent.parse({ ...audit, caseId, eventId: audit.eventId ?? `${audit.at}-${randomUUID()}` });
  }

  #refuseDuplicate(event: AuditEvent): void {
    if (this.#audit.has(auditKey(event))) throw new DuplicateWriteError('This change was already recorded');
  }
}

const agencyKey = (agency: { caseId: string; agencyId: string }) => `${agency.caseId}/${agency.agencyId}`;
const auditKey = (event: AuditEvent) => `${event.caseId}/${event.eventId}`;
