import { documentsFromEnvironment } from '../../shared/adapters/documents.ts';
import { mailerFromEnvironment } from '../../shared/adapters/mailer.ts';
import { NotSignedInError } from '../../shared/errors.ts';
import { apiHandler, type Endpoint } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { environmentService } from '../../shared/service.ts';
import { caseStoreFromEnvironment } from '../../shared/stores/case-store.ts';
import {
  type MeetingPorts,
  recordAttendance,
  scheduleMeeting,
  uploadMinutes,
  uploadPanelLetter,
} from '../../shared/use-cases/rrg-meeting.ts';
import { staffUploadFromBody } from '../../shared/use-cases/staff-upload-body.ts';

/**
 * The Rapid Review Group meeting (issue 9 part 4), for the partnership team:
 *   PUT  /api/cases/{caseId}/meeting             (ScheduleMeeting): 200 with the meeting
 *   PUT  /api/cases/{caseId}/meeting/attendance  (RecordMeetingAttendance): 200 with the meeting
 *   POST /api/cases/{caseId}/meeting/minutes     (UploadMeetingMinutes): 201 with the document
 *   POST /api/cases/{caseId}/panel-reply/letter  (UploadPanelLetter): 201 with the document
 * The uploads take `{"fileName", "contentBase64"}` (at most 4 MB, a PDF or a Word .docx).
 */
export function rrgMeetingEndpoints(service: MeetingPorts): {
  ScheduleMeeting: Endpoint;
  RecordMeetingAttendance: Endpoint;
  UploadMeetingMinutes: Endpoint;
  UploadPanelLetter: Endpoint;
} {
  return {
    async ScheduleMeeting(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const meeting = await scheduleMeeting(service, {
        caseId,
        meeting: request.body,
        scheduledBy: request.caller,
      });
      return json(200, meeting);
    },
    async RecordMeetingAttendance(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const meeting = await recordAttendance(service, {
        caseId,
        attendance: request.body,
        recordedBy: request.caller,
      });
      return json(200, meeting);
    },
    async UploadMeetingMinutes(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const document = await uploadMinutes(service, {
        caseId,
        upload: staffUploadFromBody(request.body),
        uploadedBy: request.caller,
      });
      return json(201, document, { location: `/api/cases/${caseId}` });
    },
    async UploadPanelLetter(request) {
      if (!request.caller) throw new NotSignedInError();
      const caseId = request.pathParameters.caseId ?? '';
      const document = await uploadPanelLetter(service, {
        caseId,
        upload: staffUploadFromBody(request.body),
        uploadedBy: request.caller,
      });
      return json(201, document, { location: `/api/cases/${caseId}` });
    },
  };
}

export const handler = apiHandler(
  'rrg-meeting',
  rrgMeetingEndpoints(
    environmentService({
      cases: caseStoreFromEnvironment,
      mailer: mailerFromEnvironment,
      documents: documentsFromEnvironment,
    }),
  ),
);
