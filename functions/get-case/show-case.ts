import { DescribeExecutionCommand, GetExecutionHistoryCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { CaseNotFoundError } from '../../shared/errors.ts';
import type { ApiRequest, ApiResult } from '../../shared/http/api-handler.ts';
import { json, ProblemError } from '../../shared/http/problem.ts';
import type { AgencyRequest, AuditEvent, CaseRecord } from '../../shared/schemas/case.ts';
import { caseId as caseIdSchema } from '../../shared/schemas/primitives.ts';
import type { Service } from '../../shared/service.ts';
import type { CaseFile } from '../../shared/stores/case-store.ts';

/** What the case page needs besides the service: the workflow to ask where the review stands. */
export interface ShowCasePorts {
  stepFunctions: SFNClient;
  stateMachineArn: () => string;
}

/** How long a document link in the answer works. */
export const DOCUMENT_LINK_SECONDS = 15 * 60;
/** The case page must answer even when Step Functions does not; it waits this long for it. */
const WORKFLOW_QUERY_MILLISECONDS = 3000;

/** A document filed on a case, with a link that stops working after DOCUMENT_LINK_SECONDS. */
export interface CaseDocumentLink {
  name: string;
  key: string;
  downloadUrl: string;
  expiresAt: string;
}

/** Where the review's execution stands: Step Functions' status and the state it last entered. */
export interface WorkflowView {
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED, PENDING_REDRIVE; NOT_STARTED; or UNKNOWN when Step Functions could not be asked. */
  status: string;
  currentStep?: string;
}

/**
 * The documents a case may have, in the order people read them. Later steps write them at these
 * keys; any other document an audit event names under the case's folder is listed too.
 */
export function expectedCaseDocuments(record: CaseRecord): { name: string; key: string }[] {
  const folder = `cases/${record.caseId}`;
  return [
    { name: 'Notification', key: record.notificationDocumentKey },
    { name: 'Collated report', key: `${folder}/collated-report.pdf` },
    { name: 'Decision', key: `${folder}/decision.pdf` },
    { name: 'Covering letter', key: `${folder}/covering-letter.pdf` },
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
      .filter((value): value is string => typeof value === 'string' && value.startsWith(folder))
      .map((key) => ({ name: nameFromKey(key), key })),
  );
}

/** Lists the documents that exist (each checked with a HEAD), each with a short-lived download link. */
async function caseDocuments(service: Service, file: CaseFile): Promise<CaseDocumentLink[]> {
  const candidates = [...expectedCaseDocuments(file.case), ...documentsNamedInAudit(file.case, file.audit)];
  const unique = candidates.filter(
    (candidate, index) => candidates.findIndex((c) => c.key === candidate.key) === index,
  );
  const documents = service.documents();
  const expiresAt = new Date(service.clock.now().getTime() + DOCUMENT_LINK_SECONDS * 1000).toISOString();
  const found = await Promise.all(
    unique.map(async ({ name, key }) => {
      try {
        await documents.head(key);
      } catch (error) {
        const missing = ['NotFound', 'NoSuchKey'].includes((error as Error).name);
        if (!missing) {
          console.warn(
            JSON.stringify({
              message: 'Could not check a document',
              caseId: file.case.caseId,
              error: (error as Error).name,
            }),
          );
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

/**
 * The execution of a case's review: named by the case id on the rapid-review state machine.
 * `arn:aws:states:eu-west-2:123:stateMachine:RapidReview` → `arn:aws:states:eu-west-2:123:execution:RapidReview:<caseId>`.
 */
export function executionArnFor(stateMachineArn: string, caseId: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length < 7 || parts[5] !== 'stateMachine') {
    throw new Error(
      'The state machine ARN is not in the form arn:<partition>:states:<region>:<account>:stateMachine:<name>',
    );
  }
  return [...parts.slice(0, 5), 'execution', parts[6], caseId].join(':');
}

/** Asks Step Functions where the review stands; never throws, so the case page always answers. */
async function workflowView(ports: ShowCasePorts, caseId: string): Promise<WorkflowView> {
  let executionArn: string;
  try {
    executionArn = executionArnFor(ports.stateMachineArn(), caseId);
  } catch (error) {
    console.error(
      JSON.stringify({ message: 'Cannot name the execution', caseId, error: (error as Error).name }),
    );
    return { status: 'UNKNOWN' };
  }
  const options = () => ({ abortSignal: AbortSignal.timeout(WORKFLOW_QUERY_MILLISECONDS) });
  let status: string;
  try {
    const execution = await ports.stepFunctions.send(
      new DescribeExecutionCommand({ executionArn }),
      options(),
    );
    status = execution.status ?? 'UNKNOWN';
  } catch (error) {
    if ((error as Error).name === 'ExecutionDoesNotExist') return { status: 'NOT_STARTED' };
    console.warn(
      JSON.stringify({ message: 'Could not describe the execution', caseId, error: (error as Error).name }),
    );
    return { status: 'UNKNOWN' };
  }
  try {
    const history = await ports.stepFunctions.send(
      new GetExecutionHistoryCommand({
        executionArn,
        reverseOrder: true,
        maxResults: 100,
        includeExecutionData: false,
      }),
      options(),
    );
    const entered = (history.events ?? []).find((event) => event.type?.endsWith('StateEntered'));
    const currentStep = entered?.stateEnteredEventDetails?.name;
    return currentStep ? { status, currentStep } : { status };
  } catch (error) {
    console.warn(
      JSON.stringify({
        message: 'Could not read the execution history',
        caseId,
        error: (error as Error).name,
      }),
    );
    return { status };
  }
}

function agencyView(agency: AgencyRequest, showContacts: boolean) {
  return {
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
  };
}

const notFound = () => new ProblemError(404, 'Not found', 'There is no case with this id');

/**
 * GET /api/cases/{caseId}: the case page. Status, timetable, each agency's return, the documents
 * with short-lived links, the decision and any failure, where the workflow stands, and the audit
 * trail. An unknown or malformed id answers 404.
 */
export async function showCase(
  service: Service,
  ports: ShowCasePorts,
  request: ApiRequest,
): Promise<ApiResult> {
  const parsedId = caseIdSchema.safeParse(request.pathParameters.caseId);
  if (!parsedId.success) throw notFound();
  let file: CaseFile;
  try {
    file = await service.cases.getCaseFile(parsedId.data);
  } catch (error) {
    if (error instanceof CaseNotFoundError) throw notFound();
    throw error;
  }
  const record = file.case;
  const showContacts = request.caller?.roles.includes('partnership-team') ?? false;
  const [documents, workflow] = await Promise.all([
    caseDocuments(service, file),
    workflowView(ports, record.caseId),
  ]);
  return json(200, {
    caseId: record.caseId,
    reference: record.reference,
    status: record.status,
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
    // In the order the notification listed them.
    agencies: [...file.agencies]
      .sort((a, b) => record.agencyIds.indexOf(a.agencyId) - record.agencyIds.indexOf(b.agencyId))
      .map((agency) => agencyView(agency, showContacts)),
    documents,
    decision: record.decision,
    failure: record.failure,
    workflow,
    audit: file.audit.map(({ at, actor, action, reason }) => ({ at, actor, action, reason })),
  });
}
