import { StaleWriteError } from '../../shared/errors.ts';
import type { AuditEvent } from '../../shared/schemas/case.ts';
import type { AgencyDetailsCodes, DetailsCode } from '../../shared/stores/agency-details-codes.ts';
import type { AuditInput } from '../../shared/stores/case-store.ts';

/** The details codes in memory, with the audit events they wrote, for unit tests. */
export class InMemoryAgencyDetailsCodes implements AgencyDetailsCodes {
  readonly codes = new Map<string, DetailsCode>();
  readonly auditEvents: AuditEvent[] = [];

  async find(tokenHash: string): Promise<DetailsCode | undefined> {
    const code = this.codes.get(tokenHash);
    return code ? { ...code } : undefined;
  }

  async save(code: DetailsCode, expectedVersion: number | undefined, audit: AuditInput): Promise<void> {
    const current = this.codes.get(code.tokenHash);
    if (current?.version !== expectedVersion) throw new StaleWriteError('The code changed since it was read');
    this.codes.set(code.tokenHash, { ...code });
    await this.audit(code.caseId, audit);
  }

  async audit(caseId: string, audit: AuditInput): Promise<void> {
    this.auditEvents.push({ ...audit, caseId, eventId: `${audit.at}-${this.auditEvents.length}` });
  }
}
