import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { reviewWorkflowFromEnvironment } from '../../shared/adapters/review-workflow.ts';
import { duplicateCheckKeyFromEnvironment } from '../../shared/env.ts';
import { NotSignedInError } from '../../shared/errors.ts';
import { type ApiRequest, apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import type { StaffMember } from '../../shared/schemas/roles.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import {
  addAgency,
  removeAgency,
  replaceAgencyContact,
  resendAgencyLink,
  type SteerAgenciesPorts,
  type WithdrawCasePorts,
  withdrawCase,
} from '../../shared/use-cases/steer-agencies.ts';
import {
  type CloseAsNotificationOnlyPorts,
  closeAsNotificationOnly,
  type RecordLateReasonPorts,
  recordLateReason,
} from '../../shared/use-cases/steer-case.ts';
import {
  type AcceptLateReturnPorts,
  acceptLateReturn,
  returnOnBehalf,
} from '../../shared/use-cases/team-returns.ts';
import { editNotificationEndpoints } from './edit-notification.ts';

/** The signed-in caller and the case's id: the routes admit the partnership team only. */
function callerAndCase(request: ApiRequest): { member: StaffMember; caseId: string } {
  if (!request.caller) throw new NotSignedInError();
  return { member: request.caller, caseId: request.pathParameters.caseId ?? '' };
}

/**
 * The partnership team's controls on a running case:
 * POST /api/cases/{caseId}/late-reason (RecordLateReason),
 * POST /api/cases/{caseId}/notification-only (CloseAsNotificationOnly),
 * POST /api/cases/{caseId}/agencies (AddAgency),
 * PUT  /api/cases/{caseId}/agencies/{agencyId}/contact (ReplaceAgencyContact),
 * POST /api/cases/{caseId}/agencies/{agencyId}/resend (ResendAgencyLink),
 * POST /api/cases/{caseId}/agencies/{agencyId}/remove (RemoveAgency),
 * PUT  /api/cases/{caseId}/agencies/{agencyId}/return (ReturnOnBehalf),
 * POST /api/cases/{caseId}/agencies/{agencyId}/late-return (AcceptLateReturn) and
 * POST /api/cases/{caseId}/withdraw (WithdrawCase). A contact replaced or a link resent with the
 * same Idempotency-Key header again changes nothing and sends nothing. A withdrawal sent again
 * (after a 503) finishes telling whoever was not told and stopping the workflow: 200, no one told twice.
 */
export function steerCaseEndpoints(
  service: RecordLateReasonPorts &
    CloseAsNotificationOnlyPorts &
    SteerAgenciesPorts &
    WithdrawCasePorts &
    AcceptLateReturnPorts,
): {
  RecordLateReason: Endpoint;
  CloseAsNotificationOnly: Endpoint;
  AddAgency: Endpoint;
  ReplaceAgencyContact: Endpoint;
  ResendAgencyLink: Endpoint;
  RemoveAgency: Endpoint;
  ReturnOnBehalf: Endpoint;
  AcceptLateReturn: Endpoint;
  WithdrawCase: Endpoint;
} {
  const agencyOf = (request: ApiRequest) => ({
    ...callerAndCase(request),
    agencyId: request.pathParameters.agencyId ?? '',
    answer: request.body,
    ...(request.headers['idempotency-key'] ? { requestKey: request.headers['idempotency-key'] } : {}),
  });
  return {
    async RecordLateReason(request) {
      const { member, caseId } = callerAndCase(request);
      const late = await recordLateReason(service, { caseId, answer: request.body, member });
      return json(200, late, { location: `/api/cases/${caseId}` });
    },
    async CloseAsNotificationOnly(request) {
      const { member, caseId } = callerAndCase(request);
      const { closure, repeated } = await closeAsNotificationOnly(service, {
        caseId,
        answer: request.body,
        member,
      });
      return json(repeated ? 200 : 201, closure, { location: `/api/cases/${caseId}` });
    },
    async AddAgency(request) {
      const { member, caseId } = callerAndCase(request);
      const agency = await addAgency(service, { caseId, answer: request.body, member });
      return json(
        201,
        {
          agencyId: agency.agencyId,
          agencyName: agency.agencyName,
          spoc: agency.spoc,
          status: agency.status,
        },
        { location: `/api/cases/${caseId}` },
      );
    },
    async ReplaceAgencyContact(request) {
      const submission = agencyOf(request);
      return json(200, await replaceAgencyContact(service, submission), {
        location: `/api/cases/${submission.caseId}`,
      });
    },
    async ResendAgencyLink(request) {
      const submission = agencyOf(request);
      return json(200, await resendAgencyLink(service, submission), {
        location: `/api/cases/${submission.caseId}`,
      });
    },
    async RemoveAgency(request) {
      const submission = agencyOf(request);
      return json(200, await removeAgency(service, submission), {
        location: `/api/cases/${submission.caseId}`,
      });
    },
    async ReturnOnBehalf(request) {
      const submission = agencyOf(request);
      return json(200, await returnOnBehalf(service, submission), {
        location: `/api/cases/${submission.caseId}`,
      });
    },
    async AcceptLateReturn(request) {
      const submission = agencyOf(request);
      return json(201, await acceptLateReturn(service, submission), {
        location: `/api/cases/${submission.caseId}`,
      });
    },
    async WithdrawCase(request) {
      const { member, caseId } = callerAndCase(request);
      const { withdrawal, repeated } = await withdrawCase(service, { caseId, answer: request.body, member });
      return json(repeated ? 200 : 201, withdrawal, { location: `/api/cases/${caseId}` });
    },
  };
}

const service = environmentService({
  cases: caseStoreFromEnvironment,
  mailer: mailerFromEnvironment,
  workflow: reviewWorkflowFromEnvironment,
  documents: documentsFromEnvironment,
  duplicateCheckKey: duplicateCheckKeyFromEnvironment,
});

export const handler = apiHandler('steer-case', {
  ...steerCaseEndpoints(service),
  // The notification's correction (issue 10 part 3), in a module of its own.
  ...editNotificationEndpoints(service),
});
