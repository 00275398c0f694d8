import { randomUUID } from 'node:crypto';
import { duplicateMarksOf } from '../../shared/cases/open-case.ts';
import { CaseNotFoundError, DuplicateWriteError, StaleWriteError } from '../../shared/errors.ts';
import { monthOf, type ReviewFacts } from '../../shared/insight/figures.ts';
import { type ReturnDraft, returnDraft } from '../../shared/schemas/agency-return.ts';
import {
  type AgencyRequest,
  type AuditEvent,
  agencyRequest,
  auditEvent,
  type CaseRecord,
  type CaseStatus,
  caseRecord,
} from '../../shared/schemas/case.ts';
import { type DirectoryEntry, directoryEntry, type StoredDirectory } from '../../shared/schemas/directory.ts';
import {
  type ReportCompletion,
  reportCompletion,
  reportSectionKeys,
  type SavedReportSection,
  type StoredReport,
  savedReportSection,
} from '../../shared/schemas/report.ts';
import type {
  AgencyLink,
  AgencyRequestChanges,
  AgencyRequestUpdate,
  AuditInput,
  CaseChanges,
  CaseFile,
  CaseStore,
  CaseUpdate,
  CaseWithAgencies,
  IdempotencyKeys,
  IdempotencyRecord,
  IssuedUpload,
  UploadUse,
} from '../../shared/stores/case-store.ts';

/**
 * The CaseStore and IdempotencyKeys ports in memory, with the DynamoDB adapter's rules: records
 * are validated, every write carries its audit event, a repeated audit event id is a
 * DuplicateWriteError (checked before the version, as the adapter's transaction reports it) and a
 * stale version a StaleWriteError. The audit trail reads as the adapter's does: by `at`, events
 * of the same instant in the order they were written. Everything handed in or out is a copy, so
 * a test cannot change stored state by accident.
 */
export class InMemoryCaseStore implements CaseStore, IdempotencyKeys {
  readonly #cases = new Map<string, CaseRecord>();
  readonly #agencies = new Map<string, AgencyRequest>();
  /** In write order; the adapter keeps the same order through its `writeOrder` attribute. */
  readonly #audit: AuditEvent[] = [];
  readonly #links = new Map<string, AgencyLink>();
  readonly #decisionTokens = new Map<string, { taskToken: string; attempt: number }>();
  readonly #idempotencyKeys = new Map<string, IdempotencyRecord>();
  readonly #issuedUploads = new Map<string, IssuedUpload & { use?: UploadUse }>();
  readonly #returnDrafts = new Map<string, ReturnDraft>();
  /** Report sections by `<caseId>/<section>`, and completions by case id. */
  readonly #reportSections = new Map<string, SavedReportSection>();
  readonly #reportCompletions = new Map<string, ReportCompletion>();
  /** The partnership directory's entries by agency id, and whether it is kept. */
  readonly #directory = new Map<string, DirectoryEntry>();
  #directoryKept = false;
  /**
   * How many of the next case or agency-request updates lose a race, as if a concurrent writer
   * had just changed the record: each is refused with a StaleWriteError and stores nothing.
   */
  staleWritesToSimulate = 0;
  #createFailure: { error: Error; afterWriting: boolean } | undefined;

  /**
   * The next createCase fails with `error`, as a table that is down or throttled would: having
   * written nothing, or (`afterWriting`) having written the case, as a timeout can.
   */
  failNextCreate(error: Error, options: { afterWriting?: boolean } = {}): void {
    this.#createFailure = { error, afterWriting: options.afterWriting ?? false };
  }

  async createCase(record: CaseRecord, agencies: AgencyRequest[], audit: AuditInput): Promise<CaseRecord> {
    const failure = this.#createFailure;
    this.#createFailure = undefined;
    if (failure && !failure.afterWriting) throw failure.error;
    const created = await this.#createCase(record, agencies, audit);
    if (failure) throw failure.error;
    return created;
  }

  async #createCase(record: CaseRecord, agencies: AgencyRequest[], audit: AuditInput): Promise<CaseRecord> {
    const valid = caseRecord.parse(record);
    const validAgencies = agencies.map((agency) => agencyRequest.parse(agency));
    const event = this.#auditEvent(valid.caseId, audit);
    if (this.#cases.has(valid.caseId)) throw new DuplicateWriteError(`Case ${valid.caseId} already exists`);
    this.#cases.set(valid.caseId, structuredClone(valid));
    for (const agency of validAgencies) this.#agencies.set(agencyKey(agency), structuredClone(agency));
    this.#audit.push(event);
    return structuredClone(valid);
  }

  async findCasesByDuplicateMarks(marks: readonly string[]): Promise<CaseRecord[]> {
    const wanted = new Set(marks);
    return [...this.#cases.values()]
      .filter((record) => duplicateMarksOf(record).some((mark) => wanted.has(mark)))
      .map((record) => structuredClone(record));
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    return this.caseOf(caseId);
  }

  async listCases(filter: { status?: CaseStatus } = {}): Promise<CaseRecord[]> {
    return [...this.#cases.values()]
      .filter((record) => !filter.status || record.status === filter.status)
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .map((record) => structuredClone(record));
  }

  /** Counts its calls, so that a page test can say the page read the month index, not every case. */
  monthQueries = 0;

  async listReviewsNotifiedIn(months: readonly string[]): Promise<ReviewFacts[]> {
    this.monthQueries += new Set(months).size;
    const wanted = new Set(months);
    const all = await Promise.all(
      [...this.#cases.values()]
        .filter((record) => wanted.has(monthOf(record.receivedAt)))
        .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
        .map((record) => this.getCaseWithAgencies(record.caseId)),
    );
    return all;
  }

  async getCaseFile(caseId: string): Promise<CaseFile> {
    return { ...(await this.getCaseWithAgencies(caseId)), audit: this.auditOf(caseId) };
  }

  async getCaseWithAgencies(caseId: string): Promise<CaseWithAgencies> {
    const found = this.#cases.get(caseId);
    if (!found) throw new CaseNotFoundError(caseId);
    return {
      case: structuredClone(found),
      agencies: [...this.#agencies.values()]
        .filter((agency) => agency.caseId === caseId)
        .sort((a, b) => a.agencyId.localeCompare(b.agencyId))
        .map((agency) => structuredClone(agency)),
    };
  }

  async updateCase(current: CaseRecord, changes: CaseChanges, audit: AuditInput): Promise<CaseRecord> {
    const next = caseRecord.parse({
      ...current,
      ...changes,
      version: current.version + 1,
      updatedAt: audit.at,
    });
    const event = this.#auditEvent(current.caseId, audit);
    this.#checkWrite(event, this.#cases.get(current.caseId)?.version, current.version, () => {
      return new StaleWriteError(`The case ${current.caseId} changed since it was read, or does not exist`);
    });
    this.#cases.set(next.caseId, structuredClone(next));
    this.#audit.push(event);
    return structuredClone(next);
  }

  async updateAgencyRequest(
    current: AgencyRequest,
    changes: AgencyRequestChanges,
    audit: AuditInput,
    options: { caseVersion?: number } = {},
  ): Promise<AgencyRequest> {
    const next = agencyRequest.parse({ ...current, ...changes, version: current.version + 1 });
    const event = this.#auditEvent(current.caseId, audit);
    this.#checkWrite(event, this.#agencies.get(agencyKey(current))?.version, current.version, () => {
      return new StaleWriteError(
        `The agency request ${current.agencyId} on case ${current.caseId} changed since it was read`,
      );
    });
    // As the store's condition check on the case: after the duplicate check, before any write.
    if (
      options.caseVersion !== undefined &&
      this.#cases.get(current.caseId)?.version !== options.caseVersion
    ) {
      throw new StaleWriteError(`Case ${current.caseId} changed since it was read`);
    }
    this.#agencies.set(agencyKey(next), structuredClone(next));
    this.#audit.push(event);
    return structuredClone(next);
  }

  async updateAgencyRequests(
    updates: readonly AgencyRequestUpdate[],
    caseUpdate?: CaseUpdate,
  ): Promise<{ agencies: AgencyRequest[]; case?: CaseRecord }> {
    // All or nothing, as the adapter's one transaction: every check before any write.
    const planned = updates.map(({ current, changes, audit }) => ({
      current,
      next: agencyRequest.parse({ ...current, ...changes, version: current.version + 1 }),
      event: this.#auditEvent(current.caseId, audit),
    }));
    const nextCase = caseUpdate
      ? caseRecord.parse({
          ...caseUpdate.current,
          ...caseUpdate.changes,
          version: caseUpdate.current.version + 1,
          updatedAt: caseUpdate.audit.at,
        })
      : undefined;
    const caseEvent = caseUpdate ? this.#auditEvent(caseUpdate.current.caseId, caseUpdate.audit) : undefined;
    const events = [...planned.map((plan) => plan.event), ...(caseEvent ? [caseEvent] : [])];
    if (events.some((event) => this.#recorded(event))) {
      throw new DuplicateWriteError('This change was already recorded');
    }
    const stale = () => new StaleWriteError('The agency requests or the case changed since they were read');
    if (this.staleWritesToSimulate > 0) {
      this.staleWritesToSimulate -= 1;
      throw stale();
    }
    for (const { current } of planned) {
      if (this.#agencies.get(agencyKey(current))?.version !== current.version) throw stale();
    }
    if (caseUpdate && this.#cases.get(caseUpdate.current.caseId)?.version !== caseUpdate.current.version) {
      throw stale();
    }
    for (const { next } of planned) this.#agencies.set(agencyKey(next), structuredClone(next));
    if (nextCase) this.#cases.set(nextCase.caseId, structuredClone(nextCase));
    this.#audit.push(...events);
    const agencies = planned.map(({ next }) => structuredClone(next));
    return nextCase ? { agencies, case: structuredClone(nextCase) } : { agencies };
  }

  async addAgencyRequest(
    agency: AgencyRequest,
    caseUpdate: CaseUpdate,
  ): Promise<{ agency: AgencyRequest; case: CaseRecord }> {
    const validAgency = agencyRequest.parse(agency);
    const nextCase = caseRecord.parse({
      ...caseUpdate.current,
      ...caseUpdate.changes,
      version: caseUpdate.current.version + 1,
      updatedAt: caseUpdate.audit.at,
    });
    const event = this.#auditEvent(nextCase.caseId, caseUpdate.audit);
    if (this.#recorded(event) || this.#agencies.has(agencyKey(validAgency))) {
      throw new DuplicateWriteError('This change was already recorded');
    }
    if (
      this.staleWritesToSimulate > 0 ||
      this.#cases.get(nextCase.caseId)?.version !== caseUpdate.current.version
    ) {
      this.staleWritesToSimulate = Math.max(0, this.staleWritesToSimulate - 1);
      throw new StaleWriteError(`The case ${nextCase.caseId} changed since it was read, or does not exist`);
    }
    this.#agencies.set(agencyKey(validAgency), structuredClone(validAgency));
    this.#cases.set(nextCase.caseId, structuredClone(nextCase));
    this.#audit.push(event);
    return { agency: structuredClone(validAgency), case: structuredClone(nextCase) };
  }

  async putAgencyLinks(links: readonly AgencyLink[]): Promise<void> {
    if (links.some((link) => this.#links.has(link.tokenHash))) {
      throw new DuplicateWriteError('A capability link with this token is already stored');
    }
    for (const link of links) this.#links.set(link.tokenHash, { ...link });
  }

  async findAgencyLink(tokenHash: string): Promise<AgencyLink | undefined> {
    const found = this.#links.get(tokenHash);
    return found && { ...found };
  }

  async saveDecisionToken(caseId: string, taskToken: string, attempt: number): Promise<void> {
    this.#decisionTokens.set(caseId, { taskToken, attempt });
  }

  readonly #teamUploadNumbers = new Map<string, number>();

  async takeTeamUploadNumber(caseId: string, agencyId: string, taken: number): Promise<number> {
    const key = `${caseId}/${agencyId}`;
    const next = (this.#teamUploadNumbers.get(key) ?? taken) + 1;
    this.#teamUploadNumbers.set(key, next);
    return next;
  }

  readonly #referenceNumbers = new Map<number, number>();

  async getDirectory(): Promise<StoredDirectory> {
    return {
      kept: this.#directoryKept,
      entries: [...this.#directory.values()].map((entry) => structuredClone(entry)),
    };
  }

  async getDirectoryEntry(agencyId: string): Promise<DirectoryEntry | undefined> {
    const found = this.#directory.get(agencyId);
    return found && structuredClone(found);
  }

  async startDirectory(entries: readonly DirectoryEntry[]): Promise<void> {
    for (const entry of entries) {
      const valid = directoryEntry.parse(entry);
      if (!this.#directory.has(valid.agencyId)) this.#directory.set(valid.agencyId, valid);
    }
    this.#directoryKept = true;
  }

  async putDirectoryEntry(
    entry: Omit<DirectoryEntry, 'version'>,
    expectedVersion?: number,
  ): Promise<DirectoryEntry> {
    const valid = directoryEntry.parse({ ...entry, version: (expectedVersion ?? 0) + 1 });
    const stored = this.#directory.get(valid.agencyId);
    if (expectedVersion === undefined && stored) {
      throw new DuplicateWriteError(`The directory already has an agency with id ${valid.agencyId}`);
    }
    if (expectedVersion !== undefined && stored?.version !== expectedVersion) {
      throw new StaleWriteError(`The directory's agency ${valid.agencyId} changed since it was read`);
    }
    this.#directory.set(valid.agencyId, valid);
    return structuredClone(valid);
  }

  async removeDirectoryEntry(agencyId: string, expectedVersion: number): Promise<void> {
    if (this.#directory.get(agencyId)?.version !== expectedVersion) {
      throw new StaleWriteError(`The directory's agency ${agencyId} changed since it was read`);
    }
    this.#directory.delete(agencyId);
  }

  async takeCaseReferenceNumber(year: number): Promise<number> {
    const next = (this.#referenceNumbers.get(year) ?? 0) + 1;
    this.#referenceNumbers.set(year, next);
    return next;
  }

  async getDecisionToken(caseId: string): Promise<{ taskToken: string; attempt: number } | undefined> {
    const found = this.#decisionTokens.get(caseId);
    return found && { ...found };
  }

  async claimIdempotencyKey(key: string, claim: IdempotencyRecord): Promise<IdempotencyRecord> {
    const earlier = this.#idempotencyKeys.get(key);
    if (earlier) return { ...earlier };
    this.#idempotencyKeys.set(key, { ...claim });
    return { ...claim };
  }

  async findIdempotencyKey(key: string): Promise<IdempotencyRecord | undefined> {
    const found = this.#idempotencyKeys.get(key);
    return found && { ...found };
  }

  async getReport(caseId: string): Promise<StoredReport> {
    const sections = [...this.#reportSections.values()]
      .filter((section) => section.caseId === caseId)
      .sort((a, b) => reportSectionKeys.indexOf(a.section) - reportSectionKeys.indexOf(b.section))
      .map((section) => structuredClone(section));
    const completion = this.#reportCompletions.get(caseId);
    return completion ? { sections, completion: structuredClone(completion) } : { sections };
  }

  async saveReportSection(section: SavedReportSection, audit: AuditInput): Promise<SavedReportSection> {
    const valid = savedReportSection.parse(section);
    const event = this.#auditEvent(valid.caseId, audit);
    if (this.#recorded(event)) throw new DuplicateWriteError('This change was already recorded');
    if (!this.#cases.has(valid.caseId) || this.#reportCompletions.has(valid.caseId)) {
      throw new StaleWriteError(`Case ${valid.caseId} does not exist, or its report is already complete`);
    }
    this.#reportSections.set(`${valid.caseId}/${valid.section}`, structuredClone(valid));
    this.#audit.push(event);
    return structuredClone(valid);
  }

  async completeReport(completion: ReportCompletion, audit: AuditInput): Promise<ReportCompletion> {
    const valid = reportCompletion.parse(completion);
    const event = this.#auditEvent(valid.caseId, audit);
    if (this.#recorded(event)) throw new DuplicateWriteError('This change was already recorded');
    if (!this.#cases.has(valid.caseId) || this.#reportCompletions.has(valid.caseId)) {
      throw new StaleWriteError(`Case ${valid.caseId} does not exist, or its report is already complete`);
    }
    this.#reportCompletions.set(valid.caseId, structuredClone(valid));
    const record = this.#cases.get(valid.caseId)!;
    this.#cases.set(valid.caseId, { ...record, resumeOwed: valid.completedAt, version: record.version + 1 });
    this.#audit.push(event);
    return structuredClone(valid);
  }

  async clearResumeOwed(caseId: string, since: string): Promise<void> {
    const record = this.#cases.get(caseId);
    if (record?.resumeOwed !== since) return;
    const { resumeOwed: _cleared, ...rest } = record;
    this.#cases.set(caseId, { ...rest, version: record.version + 1 });
  }

  // Inspection, for a test's Assess step.

  async getReturnDraft(caseId: string, agencyId: string): Promise<ReturnDraft | undefined> {
    const found = this.#returnDrafts.get(`${caseId}/${agencyId}`);
    return found ? structuredClone(found) : undefined;
  }

  async putReturnDraft(draft: ReturnDraft): Promise<void> {
    const valid = returnDraft.parse(draft);
    this.#returnDrafts.set(`${valid.caseId}/${valid.agencyId}`, structuredClone(valid));
  }

  async putIssuedUpload(upload: IssuedUpload): Promise<void> {
    if (this.#issuedUploads.has(upload.uploadId)) {
      throw new DuplicateWriteError(`Upload ${upload.uploadId} was already issued`);
    }
    this.#issuedUploads.set(upload.uploadId, { ...upload });
  }

  async findIssuedUpload(uploadId: string): Promise<(IssuedUpload & { use?: UploadUse }) | undefined> {
    const found = this.#issuedUploads.get(uploadId);
    return found && structuredClone(found);
  }

  async claimIssuedUpload(uploadId: string, use: UploadUse): Promise<UploadUse> {
    const found = this.#issuedUploads.get(uploadId);
    if (!found) throw new StaleWriteError(`Upload ${uploadId} is not (or no longer) issued`);
    if (!found.use) found.use = { ...use };
    else if (found.use.usedBy !== use.usedBy) return { ...found.use };
    return { ...found.use };
  }

  /** Every upload form issued for the case. */
  issuedUploadsOf(caseId: string): (IssuedUpload & { use?: UploadUse })[] {
    return [...this.#issuedUploads.values()]
      .filter((upload) => upload.caseId === caseId)
      .map((upload) => structuredClone(upload));
  }

  /** The stored case, or undefined. */
  caseOf(caseId: string): CaseRecord | undefined {
    const found = this.#cases.get(caseId);
    return found && structuredClone(found);
  }

  /** How many cases are stored. */
  caseCount(): number {
    return this.#cases.size;
  }

  /** The stored agency request; throws when there is none, so a test names what it expected. */
  agencyRequestOf(caseId: string, agencyId: string): AgencyRequest {
    const found = this.#agencies.get(agencyKey({ caseId, agencyId }));
    if (!found) throw new Error(`No agency request ${agencyId} on case ${caseId}`);
    return structuredClone(found);
  }

  /** The case's audit trail in order, as getCaseFile reads it: by `at`, then in write order. */
  auditOf(caseId: string): AuditEvent[] {
    // Array.prototype.sort is stable, so events of the same instant keep their write order.
    return this.#audit
      .filter((event) => event.caseId === caseId)
      .sort((a, b) => a.at.localeCompare(b.at))
      .map((event) => structuredClone(event));
  }

  /** Every capability link stored for the case. */
  linksOf(caseId: string): AgencyLink[] {
    return [...this.#links.values()].filter((link) => link.caseId === caseId).map((link) => ({ ...link }));
  }

  /** How many idempotency keys have been claimed. */
  idempotencyKeyCount(): number {
    return this.#idempotencyKeys.size;
  }

  // Set-up, putting the store straight into a state as if earlier steps or people had.

  /** Puts a case straight into a state. Test set-up only. */
  overwriteCase(record: CaseRecord): void {
    this.#cases.set(record.caseId, structuredClone(caseRecord.parse(record)));
  }

  /** Puts an agency request straight into a state. Test set-up only. */
  overwriteAgencyRequest(request: AgencyRequest): void {
    this.#agencies.set(agencyKey(request), structuredClone(agencyRequest.parse(request)));
  }

  /** Forgets the workflow's decision token, as when the workflow is not waiting for a decision yet. */
  forgetDecisionToken(caseId: string): void {
    this.#decisionTokens.delete(caseId);
  }

  #auditEvent(caseId: string, audit: AuditInput): AuditEvent {
    return auditEvent.parse({ ...audit, caseId, eventId: audit.eventId ?? `${audit.at}-${randomUUID()}` });
  }

  /** Whether an audit event with this id was written on the case before. */
  #recorded(event: AuditEvent): boolean {
    return this.#audit.some(
      (earlier) => earlier.caseId === event.caseId && earlier.eventId === event.eventId,
    );
  }

  /** Refuses a write the adapter's transaction would refuse, or one the test asked to lose a race. */
  #checkWrite(
    event: AuditEvent,
    storedVersion: number | undefined,
    expectedVersion: number,
    stale: () => StaleWriteError,
  ): void {
    if (this.#recorded(event)) throw new DuplicateWriteError('This change was already recorded');
    if (this.staleWritesToSimulate > 0) {
      this.staleWritesToSimulate -= 1;
      throw stale();
    }
    if (storedVersion !== expectedVersion) throw stale();
  }
}

const agencyKey = (agency: { caseId: string; agencyId: string }) => `${agency.caseId}/${agency.agencyId}`;
