import { createHash, randomUUID } from 'node:crypto';
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { openCase } from '../../shared/cases/open-case.ts';
import { DuplicateWriteError } from '../../shared/errors.ts';
import type { ApiRequest, ApiResult, Caller } from '../../shared/http/api-handler.ts';
import { json, ProblemError, parseOrProblem } from '../../shared/http/problem.ts';
import { type Route, routes } from '../../shared/routes.ts';
import type { CaseRecord } from '../../shared/schemas/case.ts';
import {
  type SeriousIncidentNotification,
  seriousIncidentNotification,
} from '../../shared/schemas/notification.ts';
import type { Actor, StaffRole } from '../../shared/schemas/roles.ts';
import type { Service } from '../../shared/service.ts';
import type { IdempotencyKeys } from '../../shared/stores/case-store.ts';

/** What intake needs besides the service: where idempotency keys live and the workflow to start. */
export interface IntakePorts {
  idempotency: IdempotencyKeys;
  stepFunctions: SFNClient;
  /** Read when first needed, so a missing setting fails that request clearly. */
  stateMachineArn: () => string;
}

/** The roles that may submit a notification, from the route table; the first one the caller holds is audited. */
const SUBMITTING_ROLES: readonly StaffRole[] = (() => {
  const route = (routes as readonly Route[]).find((candidate) => candidate.id === 'SubmitNotification');
  return route?.access.kind === 'staff' ? route.access.roles : [];
})();

/** Keys are the client's own; printable ASCII, like the IETF draft's examples (UUIDs, random strings). */
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

/** Where the notification is kept: the children's details live here, never in the table or the workflow. */
export function notificationDocumentKey(caseId: string): string {
  return `cases/${caseId}/notification.json`;
}

/** JSON with object keys sorted, so two equal bodies hash the same whatever order their fields came in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function submitter(caller: Caller | undefined): Actor & { kind: 'staff' } {
  if (!caller) throw new ProblemError(401, 'Unauthorized', 'Sign in to use this service');
  const role = caller.roles.find((held) => SUBMITTING_ROLES.includes(held));
  if (!role)
    throw new ProblemError(403, 'Forbidden', `This needs one of these roles: ${SUBMITTING_ROLES.join(', ')}`);
  return { kind: 'staff', id: caller.id, role };
}

/** The client's Idempotency-Key, scoped to the caller so two people's keys can never collide. */
function scopedIdempotencyKey(request: ApiRequest, caller: Actor & { kind: 'staff' }): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    throw new ProblemError(400, 'Invalid request', 'The Idempotency-Key header is not valid', [
      {
        field: 'Idempotency-Key',
        message: 'Use 1 to 255 printable characters without spaces, such as a UUID',
      },
    ]);
  }
  return sha256(`${caller.id}\n${key}`);
}

function created(record: CaseRecord): ApiResult {
  return json(
    201,
    { caseId: record.caseId, reference: record.reference },
    { location: `/api/cases/${record.caseId}` },
  );
}

/**
 * Starts the case's Rapid Review. The execution is named by the case id, so a second start
 * finds the first: Step Functions answers ExecutionAlreadyExists, which means it is running.
 */
async function startReview(ports: IntakePorts, caseId: string): Promise<void> {
  try {
    await ports.stepFunctions.send(
      new StartExecutionCommand({
        stateMachineArn: ports.stateMachineArn(),
        name: caseId,
        input: JSON.stringify({ caseId }),
      }),
    );
  } catch (error) {
    if ((error as Error).name === 'ExecutionAlreadyExists') return;
    console.error(
      JSON.stringify({ message: 'Could not start the Rapid Review', caseId, error: (error as Error).name }),
    );
    throw new ProblemError(
      503,
      'Review not started yet',
      `The notification is saved as case ${caseId}, but its Rapid Review could not be started just now. ` +
        'Send the same request again with the same Idempotency-Key to start it.',
    );
  }
}

/**
 * Saves the notification document, then the case with its agency requests and a 'case.opened'
 * audit event. The document goes first so a case never exists without it; a case that already
 * exists (a retry, or a concurrent twin of this request) is read back instead.
 */
async function saveCase(
  service: Service,
  caseId: string,
  notification: SeriousIncidentNotification,
  actor: Actor,
): Promise<CaseRecord> {
  const documentKey = notificationDocumentKey(caseId);
  await service.documents().put(documentKey, JSON.stringify(notification, null, 2), 'application/json');
  const receivedAt = service.clock.now();
  const rules = service.profile().rules;
  const { record, agencies } = openCase({
    caseId,
    notification,
    receivedAt,
    notificationDocumentKey: documentKey,
    ...(rules ? { rules } : {}),
  });
  try {
    return await service.cases.createCase(record, agencies, {
      actor,
      at: receivedAt.toISOString(),
      action: 'case.opened',
      reason: 'Serious incident notification received',
      details: { reference: record.reference, agencies: agencies.length },
    });
  } catch (error) {
    if (!(error instanceof DuplicateWriteError)) throw error;
    const existing = await service.cases.getCase(caseId);
    if (!existing) throw error;
    return existing;
  }
}

/**
 * POST /api/notifications: validates a serious incident notification (every bad field named,
 * nothing saved on rejection), opens the case and starts its Rapid Review.
 *
 * With an Idempotency-Key header, the same key and the same body answer the same 201 again
 * without a second case (and start the review if an earlier attempt could not); the same key
 * with a different body is refused with 422.
 */
export async function submitNotification(
  service: Service,
  ports: IntakePorts,
  request: ApiRequest,
): Promise<ApiResult> {
  const actor = submitter(request.caller);
  const idempotencyKey = scopedIdempotencyKey(request, actor);
  const notification = parseOrProblem(seriousIncidentNotification, request.body, 'notification');

  let caseId: string = randomUUID();
  if (idempotencyKey) {
    const requestHash = sha256(canonicalJson(notification));
    const holder = await ports.idempotency.claimIdempotencyKey(idempotencyKey, {
      requestHash,
      caseId,
      claimedAt: service.clock.now().toISOString(),
    });
    if (holder.requestHash !== requestHash) {
      throw new ProblemError(
        422,
        'Idempotency-Key reused',
        'This Idempotency-Key was already used for a different notification. Use a new key for a new notification.',
      );
    }
    caseId = holder.caseId;
  }

  // A retry whose first attempt got as far as saving the case only needs the review started.
  const saved = idempotencyKey ? await service.cases.getCase(caseId) : undefined;
  const record = saved ?? (await saveCase(service, caseId, notification, actor));
  await startReview(ports, record.caseId);
  console.info(JSON.stringify({ message: 'Notification accepted', caseId: record.caseId }));
  return created(record);
}
