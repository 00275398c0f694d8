import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dynamoDocumentClient } from '../adapters/clients/dynamodb.ts';
import { duplicateMarksOf } from '../cases/open-case.ts';
import { requireEnv } from '../env.ts';
import { CaseNotFoundError, DuplicateWriteError, StaleWriteError } from '../errors.ts';
import { monthOf, type ReviewFacts } from '../insight/figures.ts';
import { type ReturnDraft, returnDraft } from '../schemas/agency-return.ts';
import {
  type AgencyRequest,
  type AuditEvent,
  agencyRequest,
  auditEvent,
  type CaseRecord,
  type CaseStatus,
  caseRecord,
  caseStatus,
} from '../schemas/case.ts';
import { type DirectoryEntry, directoryEntry, type StoredDirectory } from '../schemas/directory.ts';
import {
  type ReportCompletion,
  type ReportSectionKey,
  reportCompletion,
  reportSectionKeys,
  type SavedReportSection,
  type StoredReport,
  savedReportSection,
} from '../schemas/report.ts';
import type { Actor } from '../schemas/roles.ts';

/** What a change says about itself; the store adds the case id and, unless given, the event id. */
export interface AuditInput {
  actor: Actor;
  at: string;
  action: string;
  reason: string;
  details?: AuditEvent['details'];
  /**
   * A stable id makes the change idempotent: writing the same event id twice fails with
   * DuplicateWriteError and changes nothing. Workflow steps pass one derived from the step.
   */
  eventId?: string;
}

/** Fields of a case that change after creation. */
export type CaseChanges = Partial<
  Omit<CaseRecord, 'caseId' | 'version' | 'createdAt' | 'updatedAt' | 'reference'>
>;
export type AgencyRequestChanges = Partial<Omit<AgencyRequest, 'caseId' | 'agencyId' | 'version'>>;

/** One agency request's change, as read (`current`), with its audit event. */
export interface AgencyRequestUpdate {
  current: AgencyRequest;
  changes: AgencyRequestChanges;
  audit: AuditInput;
}

/** The case's own change, as read (`current`), with its audit event. */
export interface CaseUpdate {
  current: CaseRecord;
  changes: CaseChanges;
  audit: AuditInput;
}

/** A case with everything filed under it. */
export interface CaseFile {
  case: CaseRecord;
  agencies: AgencyRequest[];
  audit: AuditEvent[];
}

/** A case with its agency requests, without its audit trail: what most steps need. */
export type CaseWithAgencies = Omit<CaseFile, 'audit'>;

/** The port the domain talks to; DynamoDbCaseStore is the adapter. */
export interface CaseStore extends IdempotencyKeys, IssuedUploads, DirectoryEntries {
  createCase(record: CaseRecord, agencies: AgencyRequest[], audit: AuditInput): Promise<CaseRecord>;
  getCase(caseId: string): Promise<CaseRecord | undefined>;
  getCaseFile(caseId: string): Promise<CaseFile>;
  /** The case and its agency requests, in one read: `getCaseFile` without the audit trail. */
  getCaseWithAgencies(caseId: string): Promise<CaseWithAgencies>;
  /** The cases created with any of these duplicate marks (`duplicateMarksOf`), in no order. */
  findCasesByDuplicateMarks(marks: readonly string[]): Promise<CaseRecord[]>;
  /** Cases, newest first; only those with `status` when given. */
  listCases(filter?: { status?: CaseStatus }): Promise<CaseRecord[]>;
  /**
   * The cases notified in these London months (YYYY-MM), each with its agency requests, oldest
   * first: one query of the month index (gsi2) a month (issue 14). A case written before the index
   * existed is not in it until it next changes.
   */
  listReviewsNotifiedIn(months: readonly string[]): Promise<ReviewFacts[]>;
  updateCase(current: CaseRecord, changes: CaseChanges, audit: AuditInput): Promise<CaseRecord>;
  /**
   * `caseVersion`: write only if the case itself is still at that version too (the request's
   * own version is always checked), so a change judged on the case as read (not yet collated,
   * say) cannot land after the case moved on; a StaleWriteError tells the caller to read again.
   */
  updateAgencyRequest(
    current: AgencyRequest,
    changes: AgencyRequestChanges,
    audit: AuditInput,
    options?: { caseVersion?: number },
  ): Promise<AgencyRequest>;
  /**
   * Several agency requests of one case changed at once, and the case too when `caseUpdate` is
   * given: all of them with their audit events, or none. A repeated audit event id is a
   * DuplicateWriteError (the change was written before); a stale version a StaleWriteError.
   */
  updateAgencyRequests(
    updates: readonly AgencyRequestUpdate[],
    caseUpdate?: CaseUpdate,
  ): Promise<{ agencies: AgencyRequest[]; case?: CaseRecord }>;
  /**
   * A new agency request on a running case (issue 10 part 3), written with the case's own change
   * (its `agencyIds`) and that change's audit event, or nothing: a DuplicateWriteError when the
   * agency is already on the case or the event was written before, a StaleWriteError when the
   * case changed since it was read.
   */
  addAgencyRequest(
    agency: AgencyRequest,
    caseUpdate: CaseUpdate,
  ): Promise<{ agency: AgencyRequest; case: CaseRecord }>;
  /**
   * Stores capability links by the hash of each token (the token itself is never stored): all
   * of them, or none when one is already stored.
   */
  putAgencyLinks(links: readonly AgencyLink[]): Promise<void>;
  findAgencyLink(tokenHash: string): Promise<AgencyLink | undefined>;
  /**
   * An agency's unsubmitted structured return, kept between visits (`CASE#<id>` /
   * `RETURN-DRAFT#<agency>`). Saving it changes nothing on the case, so it writes no audit event;
   * submitting the return does.
   */
  getReturnDraft(caseId: string, agencyId: string): Promise<ReturnDraft | undefined>;
  putReturnDraft(draft: ReturnDraft): Promise<void>;
  /** Keeps the workflow's current callback token for the decision, replacing any earlier one. */
  saveDecisionToken(caseId: string, taskToken: string, attempt: number): Promise<void>;
  getDecisionToken(caseId: string): Promise<{ taskToken: string; attempt: number } | undefined>;
  /**
   * Takes the number of the next file the partnership team uploads for an agency
   * (`team-upload-<n>`), by an atomic increment of a counter kept beside the case (`CASE#<id>` /
   * `TEAM-UPLOAD#<agency>`): two uploads at once never take the same number. `taken` is how many
   * numbers were used before the counter was kept (the audit's count); the first take counts on
   * from there. A number taken by an upload that then fails is not used again.
   */
  takeTeamUploadNumber(caseId: string, agencyId: string, taken: number): Promise<number>;
  /**
   * Takes the number of the next case reference of `year` (`RR-<year>-<number>`, 1 for the
   * year's first), by an atomic increment of the year's counter (`COUNTER#reference#<year>` /
   * `COUNTER`): two cases opened at once never take the same number. A number taken for a case
   * that is then not written is not used again (the sequence has a gap).
   */
  takeCaseReferenceNumber(year: number): Promise<number>;

  // The rapid review report (issue 9 part 5): one item per section, one for its completion.
  /** The report's sections saved so far, in report order, and its completion when marked complete. */
  getReport(caseId: string): Promise<StoredReport>;
  /**
   * Saves a section (replacing its earlier text) with its audit event, only while the case exists
   * and its report is not complete: otherwise a StaleWriteError.
   */
  saveReportSection(section: SavedReportSection, audit: AuditInput): Promise<SavedReportSection>;
  /**
   * Marks the report complete with its audit event, and marks the case as owing the workflow a
   * resume (`resumeOwed`, the completion's time) in the same transaction; a StaleWriteError when
   * it already is complete, or there is no case.
   */
  completeReport(completion: ReportCompletion, audit: AuditInput): Promise<ReportCompletion>;
  /**
   * Clears the case's `resumeOwed` marker when it still says `since` (a later change that owes
   * another resume keeps its own); a marker already cleared or changed is left alone. Moves the
   * case's version on, so a writer holding an older read cannot put the marker back unseen.
   */
  clearResumeOwed(caseId: string, since: string): Promise<void>;
}

/**
 * The partnership directory (issue 11 part 6), kept in the case table under one partition
 * (`DIRECTORY#agencies`): an item per agency (`AGENCY#<agencyId>`) and, once the partnership
 * team has first changed it, a marker (`KEPT`) saying the stored entries are the directory.
 */
export interface DirectoryEntries {
  /** Every stored entry, in no particular order, and whether the directory is kept. */
  getDirectory(): Promise<StoredDirectory>;
  /** One stored entry, or undefined. */
  getDirectoryEntry(agencyId: string): Promise<DirectoryEntry | undefined>;
  /**
   * Starts keeping the directory with these entries (the profile's agencies): writes each one
   * that is not stored yet, then the marker. Doing it twice, or at once from two places, is safe.
   */
  startDirectory(entries: readonly DirectoryEntry[]): Promise<void>;
  /**
   * Writes an entry: a new one (`expectedVersion` undefined) only while its id is free, else a
   * DuplicateWriteError; a change only while the stored entry has `expectedVersion`, else a
   * StaleWriteError. The stored entry's version is one more than `expectedVersion` (1 when new).
   */
  putDirectoryEntry(
    entry: Omit<DirectoryEntry, 'version'>,
    expectedVersion?: number,
  ): Promise<DirectoryEntry>;
  /** Removes an entry only while it has `expectedVersion`, else a StaleWriteError. */
  removeDirectoryEntry(agencyId: string, expectedVersion: number): Promise<void>;
}

/** An agency's capability link: bound to one case and one agency, valid until it expires. */
export interface AgencyLink {
  tokenHash: string;
  caseId: string;
  agencyId: string;
  expiresAt: string;
  /**
   * A chasing email's link (a reminder, an escalation) is made beside the agency's current link,
   * whose hash this is: it stands and stops with that link. Absent for a link the agency was sent
   * as its own (the request, a resent link), and for a chasing link made while the agency had
   * only its first request's links, which all stand until one replaces them.
   */
  companionOf?: string;
}

/** What an idempotency key was first used for: the request (by hash) and the case it opened. */
export interface IdempotencyRecord {
  requestHash: string;
  caseId: string;
  claimedAt: string;
}

/** Idempotency keys for requests that create things (intake), kept in the case table. */
export interface IdempotencyKeys {
  /**
   * Claims `key` for this request with a conditional write. Answers the record that holds the
   * key: this claim when the key was new, otherwise the earlier one, unchanged.
   */
  claimIdempotencyKey(key: string, claim: IdempotencyRecord): Promise<IdempotencyRecord>;
  findIdempotencyKey(key: string): Promise<IdempotencyRecord | undefined>;
}

/**
 * One upload form issued to an agency: bound to its case, its agency and its own key, and
 * usable until it expires (never after the agency's link does).
 */
export interface IssuedUpload {
  uploadId: string;
  caseId: string;
  agencyId: string;
  issuedAt: string;
  expiresAt: string;
  /**
   * The hash of the agency link the form was issued under: a form stops with its link, so once
   * the partnership team replaces the contact or resends the link, an older link's forms refuse
   * their files. Absent on forms issued before this was recorded.
   */
  linkTokenHash?: string;
}

/** The object that used an issued upload form, and when it was recorded. */
export interface UploadUse {
  /** The uploaded object's identity: its S3 version id, or its event sequencer or ETag. */
  usedBy: string;
  usedAt: string;
}

/** Issued upload forms, kept in the case table so the upload handler accepts only their keys. */
export interface IssuedUploads {
  /** Records a new form; a second form with the same upload id is a DuplicateWriteError. */
  putIssuedUpload(upload: IssuedUpload): Promise<void>;
  /** The form with this upload id, with its use when one was recorded; undefined when never issued. */
  findIssuedUpload(uploadId: string): Promise<(IssuedUpload & { use?: UploadUse }) | undefined>;
  /**
   * Marks the form used by one object, with a conditional write. Answers the use that holds the
   * form: this one when it was unused (or used by this same object before), otherwise the earlier one.
   */
  claimIssuedUpload(uploadId: string, use: UploadUse): Promise<UploadUse>;
}

/** How long an issued upload's record outlives its expiry before the table's TTL removes it. */
const ISSUED_UPLOAD_KEPT_SECONDS = 30 * 24 * 3600;
const issuedUploadItemKey = (uploadId: string) => ({ pk: `UPLOAD#${uploadId}`, sk: 'UPLOAD' });

/** How long an idempotency key is remembered before the table's TTL removes it. */
const IDEMPOTENCY_KEY_LIFETIME_SECONDS = 7 * 24 * 3600;
const idempotencyKeyItemKey = (key: string) => ({ pk: `IDEMPOTENCY#${key}`, sk: 'IDEMPOTENCY' });

const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });
/** The partnership directory's partition, its entries and its marker (`DirectoryEntries`). */
const DIRECTORY_PARTITION = 'DIRECTORY#agencies';
const directoryEntryKey = (agencyId: string) => ({ pk: DIRECTORY_PARTITION, sk: `AGENCY#${agencyId}` });
const directoryKeptKey = { pk: DIRECTORY_PARTITION, sk: 'KEPT' };
/** The year's counter of case references (`takeCaseReferenceNumber`). */
const referenceCounterKey = (year: number) => ({ pk: `COUNTER#reference#${year}`, sk: 'COUNTER' });
const returnDraftKey = (caseId: string, agencyId: string) => ({
  pk: `CASE#${caseId}`,
  sk: `RETURN-DRAFT#${agencyId}`,
});
/** A case's pointer under one of its duplicate marks (the mark is a keyed hash or a Panel reference). */
const duplicateMarkKey = (mark: string, caseId: string) => ({
  pk: `DUPLICATE#${mark}`,
  sk: `CASE#${caseId}`,
});
const agencyKey = (caseId: string, agencyId: string) => ({ pk: `CASE#${caseId}`, sk: `AGENCY#${agencyId}` });
const reportSectionItemKey = (caseId: string, section: ReportSectionKey) => ({
  pk: `CASE#${caseId}`,
  sk: `REPORT#${section}`,
});
const reportCompletionItemKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'REPORT_COMPLETE' });

/** A report read from its items, sections in report order. */
export function reportFromItems(items: readonly Record<string, unknown>[]): StoredReport {
  const sections = items
    .filter((item) => String(item.sk).startsWith('REPORT#'))
    .map((item) => savedReportSection.parse(withoutKeys(item)))
    .sort((a, b) => reportSectionKeys.indexOf(a.section) - reportSectionKeys.indexOf(b.section));
  const completed = items.find((item) => item.sk === 'REPORT_COMPLETE');
  return completed ? { sections, completion: reportCompletion.parse(withoutKeys(completed)) } : { sections };
}

const auditKey = (caseId: string, eventId: string) => ({ pk: `CASE#${caseId}`, sk: `AUDIT#${eventId}` });
/** Cases are listed by status through the gsi1 index, newest first. */
const statusIndexKeys = (record: CaseRecord) => ({
  gsi1pk: `STATUS#${record.status}`,
  gsi1sk: record.receivedAt,
});

/**
 * The month index (gsi2, issue 14): a case and its agency requests filed together under the London
 * month it was notified (`MONTH#2026-03`), sorted by when and which case, so that the scrutiny
 * report and the dashboard read a month of reviews with their agencies in one query, not a scan.
 */
export const monthIndexKeyOf = (month: string) => `MONTH#${month}`;
const caseMonthKeys = (record: CaseRecord) => ({
  gsi2pk: monthIndexKeyOf(monthOf(record.receivedAt)),
  gsi2sk: `${record.receivedAt}#${record.caseId}#CASE`,
});
const agencyMonthKeys = (agency: AgencyRequest) =>
  agency.caseReceivedAt
    ? {
        gsi2pk: monthIndexKeyOf(monthOf(agency.caseReceivedAt)),
        gsi2sk: `${agency.caseReceivedAt}#${agency.caseId}#AGENCY#${agency.agencyId}`,
      }
    : {};

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'] as const;
function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...item };
  for (const attribute of KEY_ATTRIBUTES) delete copy[attribute];
  return copy;
}

/**
 * Orders audit events that share an instant (the virtual clock can stand still; steps can run
 * within one millisecond) the way they were written: the wall-clock time of the write plus a
 * per-process counter. It breaks ties only; `at`, from the injected clock, stays the event's time.
 */
let writeCounter = 0;
export function nextWriteOrder(): string {
  writeCounter = (writeCounter + 1) % 1_000_000;
  return `${Date.now().toString().padStart(15, '0')}-${writeCounter.toString().padStart(6, '0')}`;
}

/**
 * The case store on two DynamoDB tables: the case table, and the audit table beside it, which
 * is append-only (its writers may put, never update or delete; infra grants PutItem and Query at
 * most). Every write is a transaction that includes the audit event (a transaction spans
 * tables), so a case never changes without a record of who changed it and why.
 */
export class DynamoDbCaseStore implements CaseStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #auditTableName: string;

  constructor(client: DynamoDBDocumentClient, tableName: string, auditTableName: string) {
    this.#client = client;
    this.#tableName = tableName;
    this.#auditTableName = auditTableName;
  }

  async createCase(record: CaseRecord, agencies: AgencyRequest[], audit: AuditInput): Promise<CaseRecord> {
    const valid = caseRecord.parse(record);
    const event = this.#auditEvent(valid.caseId, audit);
    await this.#transact(
      [
        {
          Put: {
            TableName: this.#tableName,
            Item: { ...caseKey(valid.caseId), ...statusIndexKeys(valid), ...caseMonthKeys(valid), ...valid },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...agencies.map((agency) => {
          const validAgency = agencyRequest.parse({ ...agency, caseReceivedAt: valid.receivedAt });
          return {
            Put: {
              TableName: this.#tableName,
              Item: {
                ...agencyKey(valid.caseId, validAgency.agencyId),
                ...agencyMonthKeys(validAgency),
                ...validAgency,
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          };
        }),
        // One pointer a duplicate mark: the possible-duplicate check reads these, not every case.
        ...duplicateMarksOf(valid).map((mark) => ({
          Put: {
            TableName: this.#tableName,
            Item: { ...duplicateMarkKey(mark, valid.caseId), caseId: valid.caseId },
          },
        })),
        this.#auditPut(event),
      ],
      'last',
      () => new DuplicateWriteError(`Case ${valid.caseId} already exists`),
    );
    return valid;
  }

  async findCasesByDuplicateMarks(marks: readonly string[]): Promise<CaseRecord[]> {
    const caseIds = new Set<string>();
    for (const mark of new Set(marks)) {
      let startKey: QueryCommandOutput['LastEvaluatedKey'];
      do {
        const page = await this.#client.send(
          new QueryCommand({
            TableName: this.#tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': duplicateMarkKey(mark, '').pk },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) caseIds.add(String(item.caseId));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
    const found = await Promise.all([...caseIds].map((caseId) => this.getCase(caseId)));
    return found.filter((record): record is CaseRecord => record !== undefined);
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: caseKey(caseId), ConsistentRead: true }),
    );
    return Item ? caseRecord.parse(withoutKeys(Item)) : undefined;
  }

  async listCases(filter: { status?: CaseStatus } = {}): Promise<CaseRecord[]> {
    const statuses = filter.status ? [filter.status] : caseStatus.options;
    const pages = await Promise.all(
      statuses.map(async (status) => {
        const items: Record<string, unknown>[] = [];
        let startKey: QueryCommandOutput['LastEvaluatedKey'];
        do {
          const page = await this.#client.send(
            new QueryCommand({
              TableName: this.#tableName,
              IndexName: 'gsi1',
              KeyConditionExpression: 'gsi1pk = :status',
              ExpressionAttributeValues: { ':status': `STATUS#${status}` },
              ScanIndexForward: false,
              ExclusiveStartKey: startKey,
            }),
          );
          items.push(...(page.Items ?? []));
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return items.map((item) => caseRecord.parse(withoutKeys(item)));
      }),
    );
    return pages.flat().sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
  }

  async listReviewsNotifiedIn(months: readonly string[]): Promise<ReviewFacts[]> {
    const pages = await Promise.all(
      [...new Set(months)].map(async (month) => {
        const items: Record<string, unknown>[] = [];
        let startKey: QueryCommandOutput['LastEvaluatedKey'];
        do {
          const page = await this.#client.send(
            new QueryCommand({
              TableName: this.#tableName,
              IndexName: 'gsi2',
              KeyConditionExpression: 'gsi2pk = :month',
              ExpressionAttributeValues: { ':month': monthIndexKeyOf(month) },
              ExclusiveStartKey: startKey,
            }),
          );
          items.push(...(page.Items ?? []));
          startKey = page.LastEvaluatedKey;
        } while (startKey);
        return items;
      }),
    );
    const reviews = new Map<string, { case?: CaseRecord; agencies: AgencyRequest[] }>();
    const entryOf = (caseId: string) => {
      const entry = reviews.get(caseId) ?? { agencies: [] };
      reviews.set(caseId, entry);
      return entry;
    };
    for (const item of pages.flat()) {
      const sk = String(item.sk);
      if (sk === 'CASE') entryOf(String(item.caseId)).case = caseRecord.parse(withoutKeys(item));
      else if (sk.startsWith('AGENCY#'))
        entryOf(String(item.caseId)).agencies.push(agencyRequest.parse(withoutKeys(item)));
    }
    return [...reviews.values()]
      .flatMap((entry) => (entry.case ? [{ case: entry.case, agencies: entry.agencies }] : []))
      .sort((a, b) => a.case.receivedAt.localeCompare(b.case.receivedAt));
  }

  async getCaseFile(caseId: string): Promise<CaseFile> {
    const [withAgencies, auditItems] = await Promise.all([
      this.getCaseWithAgencies(caseId),
      this.#partition(this.#auditTableName, caseId),
    ]);
    return {
      ...withAgencies,
      audit: auditItems
        .filter((item) => String(item.sk).startsWith('AUDIT#'))
        .map(withoutKeys)
        .sort(
          (a, b) =>
            String(a.at).localeCompare(String(b.at)) ||
            String(a.writeOrder ?? '').localeCompare(String(b.writeOrder ?? '')) ||
            String(a.eventId).localeCompare(String(b.eventId)),
        )
        .map((item) => auditEvent.parse(item)),
    };
  }

  async getCaseWithAgencies(caseId: string): Promise<CaseWithAgencies> {
    const items = await this.#partition(this.#tableName, caseId);
    const caseItem = items.find((item) => item.sk === 'CASE');
    if (!caseItem) throw new CaseNotFoundError(caseId);
    return {
      case: caseRecord.parse(withoutKeys(caseItem)),
      agencies: items
        .filter((item) => String(item.sk).startsWith('AGENCY#'))
        .map((item) => agencyRequest.parse(withoutKeys(item))),
    };
  }

  /** Every item of a case's partition in one table, read consistently. */
  async #partition(tableName: string, caseId: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': `CASE#${caseId}` },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async updateCase(current: CaseRecord, changes: CaseChanges, audit: AuditInput): Promise<CaseRecord> {
    const next = caseRecord.parse({
      ...current,
      ...changes,
      version: current.version + 1,
      updatedAt: audit.at,
    });
    const event = this.#auditEvent(current.caseId, audit);
    await this.#transact(
      [
        {
          Put: {
            TableName: this.#tableName,
            Item: { ...caseKey(next.caseId), ...statusIndexKeys(next), ...caseMonthKeys(next), ...next },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': current.version },
          },
        },
        // A corrected notification (a new Panel reference or date of birth) is found by its new marks too.
        ...duplicateMarksOf(next)
          .filter((mark) => !duplicateMarksOf(current).includes(mark))
          .map((mark) => ({
            Put: {
              TableName: this.#tableName,
              Item: { ...duplicateMarkKey(mark, next.caseId), caseId: next.caseId },
            },
          })),
        this.#auditPut(event),
      ],
      'last',
      () => this.#staleOrMissing('case', current.caseId),
    );
    return next;
  }

  async updateAgencyRequest(
    current: AgencyRequest,
    changes: AgencyRequestChanges,
    audit: AuditInput,
    options: { caseVersion?: number } = {},
  ): Promise<AgencyRequest> {
    const next = await this.#stampedWithCase(
      agencyRequest.parse({ ...current, ...changes, version: current.version + 1 }),
    );
    const event = this.#auditEvent(current.caseId, audit);
    await this.#transact(
      [
        {
          Put: {
            TableName: this.#tableName,
            Item: { ...agencyKey(next.caseId, next.agencyId), ...agencyMonthKeys(next), ...next },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': current.version },
          },
        },
        ...(options.caseVersion === undefined
          ? []
          : [
              {
                ConditionCheck: {
                  TableName: this.#tableName,
                  Key: caseKey(current.caseId),
                  ConditionExpression: 'version = :caseVersion',
                  ExpressionAttributeValues: { ':caseVersion': options.caseVersion },
                },
              },
            ]),
        this.#auditPut(event),
      ],
      'last',
      () => this.#staleOrMissing(`agency request ${current.agencyId} on case`, current.caseId),
    );
    return next;
  }

  async updateAgencyRequests(
    updates: readonly AgencyRequestUpdate[],
    caseUpdate?: CaseUpdate,
  ): Promise<{ agencies: AgencyRequest[]; case?: CaseRecord }> {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [];
    const auditIndexes: number[] = [];
    const stamped = await Promise.all(
      updates.map(({ current, changes }) =>
        this.#stampedWithCase(
          agencyRequest.parse({ ...current, ...changes, version: current.version + 1 }),
          caseUpdate?.current.receivedAt,
        ),
      ),
    );
    const agencies = updates.map(({ current, audit }, index) => {
      const next = stamped[index] as AgencyRequest;
      items.push({
        Put: {
          TableName: this.#tableName,
          Item: { ...agencyKey(next.caseId, next.agencyId), ...agencyMonthKeys(next), ...next },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': current.version },
        },
      });
      auditIndexes.push(items.length);
      items.push(this.#auditPut(this.#auditEvent(current.caseId, audit)));
      return next;
    });
    let record: CaseRecord | undefined;
    if (caseUpdate) {
      record = caseRecord.parse({
        ...caseUpdate.current,
        ...caseUpdate.changes,
        version: caseUpdate.current.version + 1,
        updatedAt: caseUpdate.audit.at,
      });
      items.push({
        Put: {
          TableName: this.#tableName,
          Item: {
            ...caseKey(record.caseId),
            ...statusIndexKeys(record),
            ...caseMonthKeys(record),
            ...record,
          },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': caseUpdate.current.version },
        },
      });
      auditIndexes.push(items.length);
      items.push(this.#auditPut(this.#auditEvent(record.caseId, caseUpdate.audit)));
    }
    if (items.length === 0) return { agencies: [] };
    await this.#transact(items, auditIndexes, () =>
      this.#staleOrMissing(
        'agency requests or case',
        caseUpdate?.current.caseId ?? updates[0]?.current.caseId ?? '',
      ),
    );
    return record ? { agencies, case: record } : { agencies };
  }

  async addAgencyRequest(
    agency: AgencyRequest,
    caseUpdate: CaseUpdate,
  ): Promise<{ agency: AgencyRequest; case: CaseRecord }> {
    const record = caseRecord.parse({
      ...caseUpdate.current,
      ...caseUpdate.changes,
      version: caseUpdate.current.version + 1,
      updatedAt: caseUpdate.audit.at,
    });
    const validAgency = agencyRequest.parse({ ...agency, caseReceivedAt: record.receivedAt });
    await this.#transact(
      [
        {
          Put: {
            TableName: this.#tableName,
            Item: {
              ...agencyKey(record.caseId, validAgency.agencyId),
              ...agencyMonthKeys(validAgency),
              ...validAgency,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.#tableName,
            Item: {
              ...caseKey(record.caseId),
              ...statusIndexKeys(record),
              ...caseMonthKeys(record),
              ...record,
            },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': caseUpdate.current.version },
          },
        },
        this.#auditPut(this.#auditEvent(record.caseId, caseUpdate.audit)),
      ],
      [0, 2],
      () => this.#staleOrMissing('case', record.caseId),
    );
    return { agency: validAgency, case: record };
  }

  /**
   * The request with its case's `caseReceivedAt`, which files it in the month index: as it was
   * read, else the case's (given, or read: a request built without reading it from the store).
   */
  async #stampedWithCase(agency: AgencyRequest, caseReceivedAt?: string): Promise<AgencyRequest> {
    if (agency.caseReceivedAt) return agency;
    const receivedAt = caseReceivedAt ?? (await this.getCase(agency.caseId))?.receivedAt;
    return receivedAt ? { ...agency, caseReceivedAt: receivedAt } : agency;
  }

  async putAgencyLinks(links: readonly AgencyLink[]): Promise<void> {
    if (links.length === 0) return;
    await this.#transact(
      links.map((link) => ({
        Put: {
          TableName: this.#tableName,
          Item: {
            pk: `LINK#${link.tokenHash}`,
            sk: 'LINK',
            ...link,
            // Expired links are removed by the table's TTL some days after they stop working.
            expiresAtEpoch: Math.floor(Date.parse(link.expiresAt) / 1000) + 30 * 24 * 3600,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
      [],
      () => new DuplicateWriteError('A capability link with this token is already stored'),
    );
  }

  async findAgencyLink(tokenHash: string): Promise<AgencyLink | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: { pk: `LINK#${tokenHash}`, sk: 'LINK' },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      tokenHash: String(Item.tokenHash),
      caseId: String(Item.caseId),
      agencyId: String(Item.agencyId),
      expiresAt: String(Item.expiresAt),
      ...(Item.companionOf ? { companionOf: String(Item.companionOf) } : {}),
    };
  }

  async saveDecisionToken(caseId: string, taskToken: string, attempt: number): Promise<void> {
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: { pk: `CASE#${caseId}`, sk: 'DECISION_TOKEN', taskToken, attempt },
      }),
    );
  }

  async takeTeamUploadNumber(caseId: string, agencyId: string, taken: number): Promise<number> {
    const { Attributes } = await this.#client.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: { pk: `CASE#${caseId}`, sk: `TEAM-UPLOAD#${agencyId}` },
        UpdateExpression: 'SET lastNumber = if_not_exists(lastNumber, :taken) + :one',
        ExpressionAttributeValues: { ':taken': taken, ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.lastNumber);
  }

  async getDirectory(): Promise<StoredDirectory> {
    const items: Record<string, unknown>[] = [];
    let startKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': DIRECTORY_PARTITION },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return {
      kept: items.some((item) => item.sk === directoryKeptKey.sk),
      entries: items
        .filter((item) => String(item.sk).startsWith('AGENCY#'))
        .map((item) => directoryEntry.parse(withoutKeys(item))),
    };
  }

  async getDirectoryEntry(agencyId: string): Promise<DirectoryEntry | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: directoryEntryKey(agencyId), ConsistentRead: true }),
    );
    return Item ? directoryEntry.parse(withoutKeys(Item)) : undefined;
  }

  async startDirectory(entries: readonly DirectoryEntry[]): Promise<void> {
    for (const entry of entries) {
      const valid = directoryEntry.parse(entry);
      try {
        await this.#client.send(
          new PutCommand({
            TableName: this.#tableName,
            Item: { ...directoryEntryKey(valid.agencyId), ...valid },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    await this.#client.send(new PutCommand({ TableName: this.#tableName, Item: { ...directoryKeptKey } }));
  }

  async putDirectoryEntry(
    entry: Omit<DirectoryEntry, 'version'>,
    expectedVersion?: number,
  ): Promise<DirectoryEntry> {
    const valid = directoryEntry.parse({ ...entry, version: (expectedVersion ?? 0) + 1 });
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: { ...directoryEntryKey(valid.agencyId), ...valid },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :expected',
                ExpressionAttributeValues: { ':expected': expectedVersion },
              }),
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (expectedVersion === undefined) {
        throw new DuplicateWriteError(`The directory already has an agency with id ${valid.agencyId}`);
      }
      throw new StaleWriteError(`The directory's agency ${valid.agencyId} changed since it was read`);
    }
    return valid;
  }

  async removeDirectoryEntry(agencyId: string, expectedVersion: number): Promise<void> {
    try {
      await this.#client.send(
        new DeleteCommand({
          TableName: this.#tableName,
          Key: directoryEntryKey(agencyId),
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      throw new StaleWriteError(`The directory's agency ${agencyId} changed since it was read`);
    }
  }

  async takeCaseReferenceNumber(year: number): Promise<number> {
    const { Attributes } = await this.#client.send(
      new UpdateCommand({
        TableName: this.#tableName,
        Key: referenceCounterKey(year),
        UpdateExpression: 'SET lastNumber = if_not_exists(lastNumber, :none) + :one',
        ExpressionAttributeValues: { ':none': 0, ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(Attributes?.lastNumber);
  }

  async getDecisionToken(caseId: string): Promise<{ taskToken: string; attempt: number } | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: { pk: `CASE#${caseId}`, sk: 'DECISION_TOKEN' },
        ConsistentRead: true,
      }),
    );
    return Item ? { taskToken: String(Item.taskToken), attempt: Number(Item.attempt) } : undefined;
  }

  async getReport(caseId: string): Promise<StoredReport> {
    const items: Record<string, unknown>[] = [];
    let startKey: QueryCommandOutput['LastEvaluatedKey'];
    do {
      const page = await this.#client.send(
        new QueryCommand({
          TableName: this.#tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :report)',
          ExpressionAttributeValues: { ':pk': `CASE#${caseId}`, ':report': 'REPORT' },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return reportFromItems(items);
  }

  async saveReportSection(section: SavedReportSection, audit: AuditInput): Promise<SavedReportSection> {
    const valid = savedReportSection.parse(section);
    await this.#transact(
      [
        {
          Put: {
            TableName: this.#tableName,
            Item: { ...reportSectionItemKey(valid.caseId, valid.section), ...valid },
          },
        },
        {
          ConditionCheck: {
            TableName: this.#tableName,
            Key: caseKey(valid.caseId),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          ConditionCheck: {
            TableName: this.#tableName,
            Key: reportCompletionItemKey(valid.caseId),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.#auditPut(this.#auditEvent(valid.caseId, audit)),
      ],
      'last',
      () => new StaleWriteError(`Case ${valid.caseId} does not exist, or its report is already complete`),
    );
    return valid;
  }

  async completeReport(completion: ReportCompletion, audit: AuditInput): Promise<ReportCompletion> {
    const valid = reportCompletion.parse(completion);
    await this.#transact(
      [
        {
          Put: {
            TableName: this.#tableName,
            Item: { ...reportCompletionItemKey(valid.caseId), ...valid },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          // The workflow is owed a resume: the completion may have made the submission ready.
          Update: {
            TableName: this.#tableName,
            Key: caseKey(valid.caseId),
            UpdateExpression: 'SET resumeOwed = :at, version = version + :one',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':at': valid.completedAt, ':one': 1 },
          },
        },
        this.#auditPut(this.#auditEvent(valid.caseId, audit)),
      ],
      'last',
      () => new StaleWriteError(`Case ${valid.caseId} does not exist, or its report is already complete`),
    );
    return valid;
  }

  async clearResumeOwed(caseId: string, since: string): Promise<void> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: caseKey(caseId),
          UpdateExpression: 'REMOVE resumeOwed SET version = version + :one',
          ConditionExpression: 'resumeOwed = :since',
          ExpressionAttributeValues: { ':since': since, ':one': 1 },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async claimIdempotencyKey(key: string, claim: IdempotencyRecord): Promise<IdempotencyRecord> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            ...idempotencyKeyItemKey(key),
            requestHash: claim.requestHash,
            caseId: claim.caseId,
            claimedAt: claim.claimedAt,
            expiresAtEpoch: Math.floor(Date.parse(claim.claimedAt) / 1000) + IDEMPOTENCY_KEY_LIFETIME_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { ...claim };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const earlier = await this.findIdempotencyKey(key);
      // Only a TTL deletion between the two calls could remove it; the caller's retry claims it afresh.
      if (!earlier) throw new StaleWriteError('Idempotency key changed while it was being claimed');
      return earlier;
    }
  }

  async findIdempotencyKey(key: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({ TableName: this.#tableName, Key: idempotencyKeyItemKey(key), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      requestHash: String(Item.requestHash),
      caseId: String(Item.caseId),
      claimedAt: String(Item.claimedAt),
    };
  }

  async putIssuedUpload(upload: IssuedUpload): Promise<void> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: {
            ...issuedUploadItemKey(upload.uploadId),
            uploadId: upload.uploadId,
            caseId: upload.caseId,
            agencyId: upload.agencyId,
            issuedAt: upload.issuedAt,
            expiresAt: upload.expiresAt,
            ...(upload.linkTokenHash ? { linkTokenHash: upload.linkTokenHash } : {}),
            expiresAtEpoch: Math.floor(Date.parse(upload.expiresAt) / 1000) + ISSUED_UPLOAD_KEPT_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new DuplicateWriteError(`Upload ${upload.uploadId} was already issued`);
      }
      throw error;
    }
  }

  async getReturnDraft(caseId: string, agencyId: string): Promise<ReturnDraft | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: returnDraftKey(caseId, agencyId),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...draft } = Item;
    return returnDraft.parse(draft);
  }

  async putReturnDraft(draft: ReturnDraft): Promise<void> {
    const valid = returnDraft.parse(draft);
    await this.#client.send(
      new PutCommand({
        TableName: this.#tableName,
        Item: { ...returnDraftKey(valid.caseId, valid.agencyId), ...valid },
      }),
    );
  }

  async findIssuedUpload(uploadId: string): Promise<(IssuedUpload & { use?: UploadUse }) | undefined> {
    const { Item } = await this.#client.send(
      new GetCommand({
        TableName: this.#tableName,
        Key: issuedUploadItemKey(uploadId),
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    return {
      uploadId: String(Item.uploadId),
      caseId: String(Item.caseId),
      agencyId: String(Item.agencyId),
      issuedAt: String(Item.issuedAt),
      expiresAt: String(Item.expiresAt),
      ...(Item.linkTokenHash ? { linkTokenHash: String(Item.linkTokenHash) } : {}),
      ...(Item.usedBy ? { use: { usedBy: String(Item.usedBy), usedAt: String(Item.usedAt) } } : {}),
    };
  }

  async claimIssuedUpload(uploadId: string, use: UploadUse): Promise<UploadUse> {
    try {
      await this.#client.send(
        new UpdateCommand({
          TableName: this.#tableName,
          Key: issuedUploadItemKey(uploadId),
          UpdateExpression: 'SET usedBy = :usedBy, usedAt = if_not_exists(usedAt, :usedAt)',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(usedBy) OR usedBy = :usedBy)',
          ExpressionAttributeValues: { ':usedBy': use.usedBy, ':usedAt': use.usedAt },
        }),
      );
      const claimed = await this.findIssuedUpload(uploadId);
      return claimed?.use ?? { ...use };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const earlier = await this.findIssuedUpload(uploadId);
      if (!earlier) throw new StaleWriteError(`Upload ${uploadId} is not (or no longer) issued`);
      if (!earlier.use) throw new StaleWriteError(`Upload ${uploadId} changed while it was being claimed`);
      return earlier.use;
    }
  }

  #auditEvent(caseId: string, audit: AuditInput): AuditEvent {
    // Default ids start with the time so the trail reads in order straight from the table.
    const eventId = audit.eventId ?? `${audit.at}-${randomUUID()}`;
    return auditEvent.parse({ ...audit, caseId, eventId });
  }

  /** An audit event is only ever put, on the condition that it is new: never updated, never deleted. */
  #auditPut(event: AuditEvent) {
    return {
      Put: {
        TableName: this.#auditTableName,
        Item: { ...auditKey(event.caseId, event.eventId), ...event, writeOrder: nextWriteOrder() },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  #staleOrMissing(what: string, caseId: string) {
    return new StaleWriteError(`The ${what} ${caseId} changed since it was read, or does not exist`);
  }

  /**
   * Runs one transaction. The items at `auditIndexes` (or the last one) are audit events: when one fails its
   * condition, this very change was already written (a retry), which is a duplicate, not a
   * conflict. Any other failed condition is `onRecordConditionFailed`'s error.
   */
  async #transact(
    items: NonNullable<TransactWriteCommandInput['TransactItems']>,
    auditIndexes: readonly number[] | 'last',
    onRecordConditionFailed: () => Error,
  ): Promise<void> {
    try {
      await this.#client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const failed = reasons.map((reason) => reason.Code === 'ConditionalCheckFailed');
      if (!failed.some(Boolean)) throw error;
      const audits = auditIndexes === 'last' ? [items.length - 1] : auditIndexes;
      if (audits.some((index) => failed[index] === true)) {
        throw new DuplicateWriteError('This change was already recorded');
      }
      throw onRecordConditionFailed();
    }
  }
}

let store: { tableName: string; auditTableName: string; store: DynamoDbCaseStore } | undefined;

/** The case store on the tables the environment names, made once per container (and tables). */
export function caseStoreFromEnvironment(): CaseStore {
  const tableName = requireEnv('tableName');
  const auditTableName = requireEnv('auditTableName');
  if (store?.tableName !== tableName || store.auditTableName !== auditTableName)
    store = {
      tableName,
      auditTableName,
      store: new DynamoDbCaseStore(dynamoDocumentClient(), tableName, auditTableName),
    };
  return store.store;
}
