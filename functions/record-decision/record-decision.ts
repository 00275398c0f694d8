import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { StaleWriteError } from '../../shared/errors.ts';
import type { ApiRequest, ApiResult } from '../../shared/http/api-handler.ts';
import { json, ProblemError, parseOrProblem } from '../../shared/http/problem.ts';
import { type CaseRecord, rapidReviewDecision } from '../../shared/schemas/case.ts';
import { caseId as caseIdSchema } from '../../shared/schemas/primitives.ts';
import type { Actor } from '../../shared/schemas/roles.ts';
import type { Service } from '../../shared/service.ts';
import { decisionRecordedOutput } from '../../shared/workflow/contracts.ts';

/** What recording a decision needs besides the service: the workflow to resume. */
export interface RecordDecisionPorts {
  stepFunctions: SFNClient;
}

/** A decision as saved on the case. */
export type RecordedDecision = NonNullable<CaseRecord['decision']>;

/** Another writer (the workflow) may change the case between our read and our write; re-read this many times. */
const SAVE_ATTEMPTS = 4;

const notFound = () => new ProblemError(404, 'Not found', 'There is no case with this id');

/** Refuses a decision the case cannot take now; answers undefined when it can. */
function refusal(record: CaseRecord | undefined): ProblemError | undefined {
  if (!record) return notFound();
  if (record.decision) {
    return new ProblemError(
      409,
      'Already decided',
      `The decision on case ${record.reference} was already recorded`,
    );
  }
  if (record.status !== 'awaiting-decision') {
    return new ProblemError(
      409,
      'Not awaiting a decision',
      `Case ${record.reference} is not waiting for a decision: its status is ${record.status}`,
    );
  }
  return undefined;
}

/** Saves the decision on the case with its audit event; a concurrent change is re-read and re-checked. */
async function saveDecision(service: Service, caseId: string, decision: RecordedDecision, actor: Actor) {
  for (let attempt = 1; ; attempt += 1) {
    const record = await service.cases.getCase(caseId);
    const refused = refusal(record);
    if (refused) throw refused;
    try {
      return await service.cases.updateCase(
        record!,
        { decision, status: 'decided' },
        {
          actor,
          at: decision.decidedAt,
          action: 'decision.recorded',
          reason: 'RRG chair recorded the decision',
          details: {
            commissionLocalReview: decision.commissionLocalReview,
            recommendNationalReview: decision.recommendNationalReview,
          },
        },
      );
    } catch (error) {
      if (!(error instanceof StaleWriteError) || attempt >= SAVE_ATTEMPTS) throw error;
    }
  }
}

/**
 * Completes the workflow's AwaitDecision callback. Without a stored token the workflow has not
 * started waiting yet; when it does, it finds the decision already saved.
 */
async function resumeWorkflow(
  service: Service,
  ports: RecordDecisionPorts,
  record: CaseRecord,
  decidedAt: string,
) {
  const token = await service.cases.getDecisionToken(record.caseId);
  if (!token) {
    console.info(
      JSON.stringify({ message: 'Decision saved before the workflow waited for it', caseId: record.caseId }),
    );
    return;
  }
  const output = decisionRecordedOutput.parse({ decidedAt });
  try {
    await ports.stepFunctions.send(
      new SendTaskSuccessCommand({ taskToken: token.taskToken, output: JSON.stringify(output) }),
    );
  } catch (error) {
    // The token is a credential for the execution: the error's name only, never its message.
    console.error(
      JSON.stringify({
        message: 'Could not resume the workflow',
        caseId: record.caseId,
        error: (error as Error).name,
      }),
    );
    throw new ProblemError(
      503,
      'Decision saved; workflow not yet resumed',
      `The decision on case ${record.reference} is saved. The workflow could not be told just now; ` +
        'it will pick the saved decision up when it next checks. Do not record the decision again.',
    );
  }
}

/**
 * POST /api/cases/{caseId}/decision (RRG chair): records whether a local review is commissioned
 * and whether a national review is recommended, each with its reason, then resumes the workflow.
 * Answers 201 with the decision; 409 when the case is not awaiting one or was already decided.
 */
export async function recordDecision(
  service: Service,
  ports: RecordDecisionPorts,
  request: ApiRequest,
): Promise<ApiResult> {
  if (!request.caller) throw new ProblemError(401, 'Unauthorized', 'Sign in to use this service');
  const parsedId = caseIdSchema.safeParse(request.pathParameters.caseId);
  if (!parsedId.success) throw notFound();
  const body = parseOrProblem(rapidReviewDecision, request.body, 'decision');
  const decision: RecordedDecision = {
    ...body,
    decidedAt: service.clock.now().toISOString(),
    decidedBy: request.caller.id,
  };
  const actor: Actor = { kind: 'staff', id: request.caller.id, role: 'rrg-chair' };
  const record = await saveDecision(service, parsedId.data, decision, actor);
  await resumeWorkflow(service, ports, record, decision.decidedAt);
  console.info(JSON.stringify({ message: 'Decision recorded', caseId: record.caseId }));
  return json(201, decision, { location: `/api/cases/${record.caseId}` });
}
