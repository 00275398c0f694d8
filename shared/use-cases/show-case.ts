import type { WorkflowView } from '../adapters/review-workflow.ts';
import { type SafeguardingPartner, safeguardingPartnerNames } from '../config/partnership-profile.ts';
import { CaseNotFoundError, NotFoundError } from '../errors.ts';
import { logWarning } from '../log.ts';
import { type EscalationRungKind, escalationRungKind } from '../rapid-review-rules.ts';
import type {
  AgencyRemoval,
  AgencyRequest,
  AuditEvent,
  CaseRecord,
  CaseStatus,
  CaseWithdrawal,
  NotificationVersion,
  RrgMeeting,
  SignOffResolution,
} from '../schemas/case.ts';
import { caseId as caseIdSchema } from '../schemas/primitives.ts';
import { reportDocumentKeys } from '../schemas/report.ts';
import type { StaffMember } from '../schemas/roles.ts';
import { ladderOf, type TimetableMilestone } from '../schemas/timetable.ts';
import type { Service } from '../service.ts';
import type { CaseFile } from '../stores/case-store.ts';
import { type Clocks, clocksOf } from '../workflow/clocks-wording.ts';
import { executionNameOf } from '../workflow/execution-name.ts';
import { climbedRungs, stillMissing } from '../workflow/ladder.ts';
import { type SubmissionReadiness, submissionReadiness } from '../workflow/readiness.ts';
import { type ReportProgress, reportProgress } from './rapid-review-report.ts';
import { type PartnersDecision, partnersDecision } from './sign-off.ts';

export type { WorkflowView } from '../adapters/review-workflow.ts';

/** What showing a case touches. */
export type ShowCasePorts = Pick<Service, 'cases' | 'clock' | 'documents' | 'workflow'>;

/** How long a document link in the answer works. */
export const DOCUMENT_LINK_SECONDS = 15 * 60;

/** A document filed on a case, with a link that stops working after DOCUMENT_LINK_SECONDS. */
export interface CaseDocumentLink {
  name: string;
  key: string;
  downloadUrl: string;
  expiresAt: string;
}

/**
 * The documents a case may have, in the order people read them. Later steps write them at these
 * keys; any other document an audit event names under the case's folder is listed too. The
 * notification's own document (JSON, the service's record) is never offered: people read it on
 * the case page and print it as a PDF (GET /cases/{caseId}/notification.pdf).
 */
export function expectedCaseDocuments(record: CaseRecord): { name: string; key: string }[] {
  const folder = `cases/${record.caseId}`;
  return [
    { name: 'Collated report', key: `${folder}/collated-report.pdf` },
    { name: 'Decision', key: `${folder}/decision.pdf` },
    { name: 'Covering letter', key: `${folder}/covering-letter.pdf` },
    // The rapid review report, once complete (issue 9 part 5).
    { name: 'Rapid review report (PDF)', key: reportDocumentKeys.pdf(record.caseId) },
    { name: 'Rapid review report (Word)', key: reportDocumentKeys.docx(record.caseId) },
    // What the partnership team uploaded (issue 9 part 4): the meeting's minutes, the Panel's letter.
    ...(record.meeting?.minutes
      ? [{ name: 'Rapid Review Group meeting minutes', key: record.meeting.minutes.key }]
      : []),
    ...(record.panelReply?.letterDocumentKey
      ? [{ name: 'The Panel’s letter', key: record.panelReply.letterDocumentKey }]
      : []),
    // The local authority's notification to the Panel, as its notifier uploaded it (issue 10 part 5).
    ...(record.panelNotificationDocument
      ? [
          {
            name: 'The local authority’s notification to the Panel',
            key: record.panelNotificationDocument.key,
          },
        ]
      : []),
  ];
}

/** `cases/<id>/agency-returns-summary.pdf` → "Agency returns summary". */
function nameFromKey(key: string): string {
  const base = (key.split('/').pop() ?? key).replace(/\.[^.]+$/, '').replace(/[-_]+/g, ' ');
  return base.charAt(0).toUpperCase() + base.slice(1);
}

function documentsNamedInAudit(record: CaseRecord, audit: AuditEvent[]): { name: string; key: string }[] {
  const folder = `cases/${record.caseId}/`;
  return audit.flatMap((event) =>
    Object.values(event.details ?? {})
      // A paper or a file, never one of the service's own JSON records.
      .filter(
        (value): value is string =>
          typeof value === 'string' && value.startsWith(folder) && !value.endsWith('.json'),
      )
      .map((key) => ({ name: nameFromKey(key), key })),
  );
}

/** Lists the documents that exist (each checked with a HEAD), each with a short-lived download link. */
async function caseDocuments(service: ShowCasePorts, file: CaseFile): Promise<CaseDocumentLink[]> {
  const candidates = [...expectedCaseDocuments(file.case), ...documentsNamedInAudit(file.case, file.audit)];
  const unique = candidates.filter(
    (candidate, index) => candidates.findIndex((c) => c.key === candidate.key) === index,
  );
  const documents = service.documents;
  const expiresAt = new Date(service.clock.now().getTime() + DOCUMENT_LINK_SECONDS * 1000).toISOString();
  const found = await Promise.all(
    unique.map(async ({ name, key }) => {
      try {
        await documents.head(key);
      } catch (error) {
        const missing = ['NotFound', 'NoSuchKey'].includes((error as Error).name);
        if (!missing) {
          logWarning('Could not check a document', {
            caseId: file.case.caseId,
            error: (error as Error).name,
          });
        }
        return undefined;
      }
      const fileName = key.split('/').pop();
      const downloadUrl = await documents.downloadUrl(key, DOCUMENT_LINK_SECONDS, fileName);
      return { name, key, downloadUrl, expiresAt };
    }),
  );
  return found.filter((document) => document !== undefined);
}

const acceptedUploadActions = ['summary.received', 'summary.received-late', 'summary.replaced'];

/** Whether any accepted agency file was recorded as not scanned for viruses (no scanner on this copy). */
function returnsNotScanned(audit: readonly AuditEvent[]): boolean {
  return audit.some(
    (event) => acceptedUploadActions.includes(event.action) && event.details?.scan === 'not-scanned',
  );
}

/** The agency's latest refused file, when no file was accepted after it: when, and why in plain words. */
function lastRefusal(
  audit: readonly AuditEvent[],
  agencyId: string,
): { at: string; reason: string } | undefined {
  const uploads = audit.filter(
    (event) =>
      event.details?.agencyId === agencyId &&
      (event.action === 'summary.rejected' || acceptedUploadActions.includes(event.action)),
  );
  const latest = uploads.at(-1);
  return latest?.action === 'summary.rejected' ? { at: latest.at, reason: latest.reason } : undefined;
}

/**
 * The escalation ladder for one agency (issue 10 part 4): the rungs it has climbed, and the next
 * one it will climb while it has not returned and the case still gathers the summaries.
 */
function ladderView(
  agency: AgencyRequest,
  record: Pick<CaseRecord, 'status' | 'timetable'>,
): Pick<CaseView['agencies'][number], 'ladder' | 'nextRung'> {
  const climbed = climbedRungs(agency);
  const order = escalationRungKind.options;
  const highest = Math.max(-1, ...climbed.map((rung) => order.indexOf(rung.kind)));
  const gathering = record.status === 'notified' || record.status === 'awaiting-summaries';
  const next =
    gathering && stillMissing(agency)
      ? ladderOf(record.timetable).find((rung) => order.indexOf(rung.kind) > highest)
      : undefined;
  return { ladder: climbed, ...(next ? { nextRung: { kind: next.kind, at: next.at } } : {}) };
}

function agencyView(
  agency: AgencyRequest,
  showContacts: boolean,
  audit: readonly AuditEvent[] = [],
  record?: Pick<CaseRecord, 'status' | 'timetable'>,
): CaseView['agencies'][number] {
  const refused = lastRefusal(audit, agency.agencyId);
  return {
    ...(refused ? { lastRefusal: refused } : {}),
    ...(record ? ladderView(agency, record) : {}),
    agencyId: agency.agencyId,
    name: agency.agencyName,
    status: agency.status,
    late: agency.late,
    requestedAt: agency.requestedAt,
    remindedAt: agency.remindedAt,
    escalatedAt: agency.escalatedAt,
    receivedAt: agency.receivedAt,
    // SPOC contact details are for the partnership team, who chase returns; the RRG needs only the status.
    ...(showContacts ? { spoc: agency.spoc } : {}),
    // Removed by the partnership team (issue 10 part 3): when and why, by name (never an id).
    ...(agency.removal
      ? {
          removal: {
            reason: agency.removal.reason,
            removedAt: agency.removal.removedAt,
            ...(agency.removal.removedByName ? { removedByName: agency.removal.removedByName } : {}),
          },
        }
      : {}),
    ...(agency.uploadedByTeam ? { uploadedByTeam: agency.uploadedByTeam } : {}),
  };
}

/** The sign-offs and the partners' decision as the case view shows them: names, never ids. */
export function signOffView(record: CaseRecord): Pick<CaseView, 'signOffs' | 'partnersDecision'> {
  const resolution = record.signOffResolution;
  return {
    signOffs: (record.signOffs ?? []).map(({ partner, agrees, reasons, signedAt, signedByName }) => ({
      partner,
      partnerName: safeguardingPartnerNames[partner],
      agrees,
      ...(reasons ? { reasons } : {}),
      signedAt,
      signedByName,
    })),
    partnersDecision: {
      ...partnersDecision(record),
      ...(resolution
        ? {
            resolution: {
              outcome: resolution.outcome,
              reasons: resolution.reasons,
              resolvedAt: resolution.resolvedAt,
              resolvedByName: resolution.resolvedByName,
            },
          }
        : {}),
    },
  };
}

const notFound = () => new NotFoundError('There is no case with this id');

/** The meeting as the case view shows it: when and where, who attended, whether there are minutes. */
export interface MeetingView {
  date: string;
  time: string;
  place?: string;
  callLink?: string;
  /** 1, or more when it was changed. */
  version: number;
  scheduledAt: string;
  attendees: RrgMeeting['attendees'] & {};
  attendanceRecordedAt?: string;
  minutes: { present: false } | { present: true; fileName: string; uploadedAt: string };
}

/** The meeting on a case, as the view shows it (no staff ids). */
export function meetingView(record: CaseRecord): MeetingView | undefined {
  const meeting = record.meeting;
  if (!meeting) return undefined;
  return {
    date: meeting.date,
    time: meeting.time,
    ...(meeting.place ? { place: meeting.place } : {}),
    ...(meeting.callLink ? { callLink: meeting.callLink } : {}),
    version: meeting.version,
    scheduledAt: meeting.scheduledAt,
    attendees: meeting.attendees ?? [],
    ...(meeting.attendanceRecordedAt ? { attendanceRecordedAt: meeting.attendanceRecordedAt } : {}),
    minutes: meeting.minutes
      ? { present: true, fileName: meeting.minutes.fileName, uploadedAt: meeting.minutes.uploadedAt }
      : { present: false },
  };
}

/** A case as the partnership team and the Rapid Review Group see it (GET /api/cases/{caseId} answers it as JSON). */
export interface CaseView {
  caseId: string;
  reference: string;
  status: CaseStatus;
  receivedAt: string;
  notifyingLocalAuthority: string;
  incidentKind: CaseRecord['incidentKind'];
  panelReference: string;
  timetable: Pick<TimetableMilestone, 'key' | 'day' | 'name' | 'date' | 'startsAt' | 'dueAt'>[];
  /**
   * The two clocks (the Panel's date and the partnership's own Day 15, dates YYYY-MM-DD), which
   * one the review works to, and whether the notifications came on time. A case planned before
   * the two clocks reads as governed by its local timetable (`clocksCompared` false).
   */
  clocks: Clocks;
  /** In the order the notification listed them. */
  agencies: {
    agencyId: string;
    name: string;
    status: AgencyRequest['status'];
    late: boolean;
    requestedAt?: string;
    remindedAt?: string;
    escalatedAt?: string;
    receivedAt?: string;
    /** The agency's single point of contact: for the partnership team only, who chase returns. */
    spoc?: { name: string; email: string };
    /** Its latest file was refused (a virus found, the wrong type…) and none accepted since. */
    lastRefusal?: { at: string; reason: string };
    // ── The escalation ladder (issue 10 part 4).
    /** The rungs it has climbed, in order, and when. */
    ladder?: { kind: EscalationRungKind; at: string }[];
    /** The rung it climbs next, and when, while it has not returned and the summaries are being gathered. */
    nextRung?: { kind: EscalationRungKind; at: string };
    /** Removed from the review by the partnership team: why, when, by whom (by name). */
    removal?: Omit<AgencyRemoval, 'removedBy'>;
    /** Its file was uploaded by the partnership team for it: when, by whom (by name). */
    uploadedByTeam?: { at: string; byName?: string };
  }[];
  documents: CaseDocumentLink[];
  /** Some agency file was accepted without a virus scan: this copy of the service has no scanner. */
  returnsNotScanned: boolean;
  decision?: CaseRecord['decision'];
  failure?: CaseRecord['failure'];
  /** The rapid review report: sections with text, of how many, and whether it is complete. */
  report: ReportProgress;
  /** The Panel's reply, once the partnership team has recorded it (issue 9 part 6). */
  panelReply?: CaseRecord['panelReply'];
  /** The Panel asked for a local review: one is to be commissioned. */
  localReviewToCommission?: boolean;
  /** The local authority's notification to the Panel, once uploaded (issue 10 part 5). */
  panelNotificationDocument?: { fileName: string; uploadedAt: string; uploadedByName?: string };
  /** The Rapid Review Group meeting, once scheduled (issue 9 part 4). */
  meeting?: MeetingView;
  workflow: WorkflowView;
  /** Each safeguarding partner's sign-off on the chair's decision, by name (never an id). */
  signOffs: {
    partner: SafeguardingPartner;
    partnerName: string;
    agrees: boolean;
    reasons?: string;
    signedAt: string;
    signedByName: string;
  }[];
  /** Whether the partners' decision is complete, and the Executive Board chair's resolution of any disagreement. */
  partnersDecision: PartnersDecision & {
    resolution?: Omit<SignOffResolution, 'resolvedBy'>;
  };
  audit: Pick<AuditEvent, 'at' | 'actor' | 'action' | 'reason'>[];
  // ── The late path, the closure and the submission's readiness (issue 9 parts 3, 5 and 6) ──
  /** What the submission to the Panel still waits for (the chair's decision, the sign-offs, the report). */
  submission: SubmissionReadiness;
  /** The governing date passed without a submission: when it was due, when the Panel was told, and the team's reason (by name, never an id). */
  late?: Omit<NonNullable<CaseRecord['late']>, 'reasonRecordedBy'>;
  /** Closed as notification only: why, when, and by whom (by name, never an id). */
  closure?: Omit<NonNullable<CaseRecord['closure']>, 'closedBy'>;
  /** A looked-after child's or care leaver's death: the only kind of case that can be closed as notification only. */
  lookedAfterOrCareLeaverDeath?: boolean;
  // ── end of the late path and the closure ──
  /** Withdrawn by the partnership team (issue 10 part 3): why, when, and by whom (by name, never an id). */
  withdrawal?: Omit<CaseWithdrawal, 'withdrawnBy'>;
  /** Each change to the notification (issue 10 part 3): when, by whom (by name), why, which fields. */
  notificationVersions?: Omit<NotificationVersion, 'changedBy' | 'documentKey'>[];
}

/** The late path and the closure as the view shows them: names, never ids. */
function lateAndClosureView(
  record: CaseRecord,
): Pick<
  CaseView,
  'late' | 'closure' | 'lookedAfterOrCareLeaverDeath' | 'withdrawal' | 'notificationVersions'
> {
  const view: Pick<
    CaseView,
    'late' | 'closure' | 'lookedAfterOrCareLeaverDeath' | 'withdrawal' | 'notificationVersions'
  > = {};
  if (record.notificationVersions?.length) {
    view.notificationVersions = record.notificationVersions.map(
      ({ changedBy: _changedBy, documentKey: _documentKey, ...version }) => version,
    );
  }
  if (record.late) {
    const { reasonRecordedBy: _recordedBy, ...late } = record.late;
    view.late = late;
  }
  if (record.closure) {
    const { closedBy: _closedBy, ...closure } = record.closure;
    view.closure = closure;
  }
  if (record.lookedAfterOrCareLeaverDeath) view.lookedAfterOrCareLeaverDeath = true;
  if (record.withdrawal) {
    const { withdrawnBy: _withdrawnBy, ...withdrawal } = record.withdrawal;
    view.withdrawal = withdrawal;
  }
  return view;
}

/**
 * One case: status, timetable, each agency's return, the documents with short-lived links, the
 * decision and any failure, where the workflow stands, and the audit trail. SPOC contact details
 * only for the partnership team, who chase returns.
 *
 * @throws NotFoundError for an unknown or malformed case id.
 */
export async function showCase(
  service: ShowCasePorts,
  query: { caseId: string; viewer: StaffMember },
): Promise<CaseView> {
  const parsedId = caseIdSchema.safeParse(query.caseId);
  if (!parsedId.success) throw notFound();
  let file: CaseFile;
  try {
    file = await service.cases.getCaseFile(parsedId.data);
  } catch (error) {
    if (error instanceof CaseNotFoundError) throw notFound();
    throw error;
  }
  const record = file.case;
  const showContacts = query.viewer.roles.includes('partnership-team');
  const [documents, workflow, report] = await Promise.all([
    caseDocuments(service, file),
    service.workflow.progress(record.caseId, executionNameOf(record)),
    service.cases.getReport(record.caseId),
  ]);
  return {
    caseId: record.caseId,
    reference: record.reference,
    // The fault flag shows as the status its readers know: the review stopped.
    status: record.failure ? 'failed' : record.status,
    receivedAt: record.receivedAt,
    notifyingLocalAuthority: record.notifyingLocalAuthority,
    incidentKind: record.incidentKind,
    panelReference: record.panelReference,
    timetable: record.timetable.milestones.map(({ key, day, name, date, startsAt, dueAt }) => ({
      key,
      day,
      name,
      date,
      startsAt,
      dueAt,
    })),
    clocks: clocksOf(record.timetable),
    // In the order the notification listed them.
    agencies: [...file.agencies]
      .sort((a, b) => record.agencyIds.indexOf(a.agencyId) - record.agencyIds.indexOf(b.agencyId))
      .map((agency) => agencyView(agency, showContacts, file.audit, record)),
    documents,
    returnsNotScanned: returnsNotScanned(file.audit),
    decision: record.decision,
    failure: record.failure,
    report: reportProgress(report),
    // The Panel's reply (issue 9 part 6).
    ...(record.panelReply ? { panelReply: record.panelReply } : {}),
    ...(record.localReviewToCommission ? { localReviewToCommission: true } : {}),
    ...(record.panelNotificationDocument
      ? {
          panelNotificationDocument: {
            fileName: record.panelNotificationDocument.fileName,
            uploadedAt: record.panelNotificationDocument.uploadedAt,
            ...(record.panelNotificationDocument.uploadedByName
              ? { uploadedByName: record.panelNotificationDocument.uploadedByName }
              : {}),
          },
        }
      : {}),
    // The Rapid Review Group meeting (issue 9 part 4).
    ...(record.meeting ? { meeting: meetingView(record) } : {}),
    workflow,
    ...signOffView(record),
    audit: file.audit.map(({ at, actor, action, reason }) => ({ at, actor, action, reason })),
    // The late path, the closure and the submission's readiness (issue 9 parts 3, 5 and 6).
    submission: submissionReadiness(record, report),
    ...lateAndClosureView(record),
  };
}
