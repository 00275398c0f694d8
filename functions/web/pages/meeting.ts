import { CaseNotFoundError, type InvalidField, InvalidInputError } from '../../../shared/errors.ts';
import { attendanceAnswers, type CaseRecord } from '../../../shared/schemas/case.ts';
import { caseId as caseIdSchema } from '../../../shared/schemas/primitives.ts';
import {
  meetingDateLabel,
  meetingOn,
  notScheduledRefusal,
  panelLetterRefusal,
  recordAttendance,
  STAFF_UPLOAD_MAX_BYTES,
  type StaffUpload,
  scheduleMeeting,
  scheduleRefusal,
  uploadMinutes,
  uploadPanelLetter,
} from '../../../shared/use-cases/rrg-meeting.ts';
import { meetingWhen } from '../../../shared/workflow/emails.ts';
import { fieldId, formErrors } from '../forms.ts';
import {
  notFound,
  type Page,
  type PageResult,
  redirect,
  render,
  staffOnly,
  todayOf,
  type WebRequest,
} from '../page.ts';
import { problemPage, questionFlowPages, refusalPage } from '../question-flow.ts';
import { londonDateTime } from './london.ts';
import { dateFromParts, type FieldWords, namedMessage } from './notify/answers.ts';

/**
 * The Rapid Review Group meeting (issue 9 part 4), for the partnership team. Each runs the same
 * use case as its API route (shared/use-cases/rrg-meeting.ts).
 *
 *   /cases/{caseId}/meeting                  schedule or change the meeting: question, check, confirm
 *   /cases/{caseId}/meeting/confirmation     "Meeting scheduled"
 *   /cases/{caseId}/meeting/attendance       who attended (rows, "Add another attendee"), check, confirm
 *   /cases/{caseId}/meeting/attendance/confirmation
 *   /cases/{caseId}/meeting/minutes          upload the minutes (a multipart form) → …/minutes/uploaded
 *   /cases/{caseId}/panel-reply/letter       upload the Panel's letter → …/panel-reply/letter/uploaded
 */

const teamOnly = staffOnly('partnership-team');

async function loadCase(request: WebRequest): Promise<CaseRecord | undefined> {
  const parsed = caseIdSchema.safeParse(request.params.caseId);
  if (!parsed.success) return undefined;
  try {
    return await request.service.cases.getCase(parsed.data);
  } catch (error) {
    if (error instanceof CaseNotFoundError) return undefined;
    throw error;
  }
}

const refusedPage = (record: CaseRecord, refused: { title: string; message: string }) =>
  problemPage(record.caseId, { status: 409, title: refused.title, detail: refused.message });

// ── Schedule or change the meeting ─────────────────────────────────────────────────────────

export interface MeetingPageAnswers {
  'date-day': string;
  'date-month': string;
  'date-year': string;
  time: string;
  where: string;
  place: string;
  callLink: string;
}

const meetingAnswerNames: (keyof MeetingPageAnswers)[] = [
  'date-day',
  'date-month',
  'date-year',
  'time',
  'where',
  'place',
  'callLink',
];

const meetingWords: Record<string, FieldWords> = {
  date: { label: meetingDateLabel, enter: 'the date of the meeting' },
  place: { label: 'The place', enter: 'the place' },
  callLink: { label: 'The call link', enter: 'the call link' },
};

function meetingAnswersFrom(form: URLSearchParams): MeetingPageAnswers {
  return Object.fromEntries(
    meetingAnswerNames.map((name) => [name, form.get(name) ?? '']),
  ) as unknown as MeetingPageAnswers;
}

/** The page's answers filled from the meeting as scheduled, for "change the meeting". */
function answersOfMeeting(record: CaseRecord): MeetingPageAnswers {
  const meeting = record.meeting;
  if (!meeting) return meetingAnswersFrom(new URLSearchParams());
  const [year = '', month = '', day = ''] = meeting.date.split('-');
  return {
    'date-day': String(Number(day)),
    'date-month': String(Number(month)),
    'date-year': year,
    time: meeting.time,
    where: meeting.place ? 'place' : 'call',
    place: meeting.place ?? '',
    callLink: meeting.callLink ?? '',
  };
}

function meetingDate(answers: MeetingPageAnswers) {
  // The parts read as a date; "not in the past" is the use case's rule (meetingOn), so no "today" here.
  return dateFromParts(new URLSearchParams({ ...answers }), 'date', meetingWords.date as FieldWords, {
    today: '9999-12-31',
    required: true,
  });
}

/** The JSON body PUT /api/cases/{caseId}/meeting takes, from the page's answers. */
export function meetingBody(answers: MeetingPageAnswers, date: string | undefined) {
  const time = answers.time.trim().replace('.', ':');
  return {
    date,
    time: /^\d:\d\d$/.test(time) ? `0${time}` : time,
    ...(answers.where === 'place' ? { place: answers.place } : {}),
    ...(answers.where === 'call' ? { callLink: answers.callLink } : {}),
  };
}

function meetingPageMessages(fields: readonly InvalidField[], answers: MeetingPageAnswers): InvalidField[] {
  return fields.map(({ field, message }) => {
    if (field === 'place' && !answers.where)
      return { field: 'where', message: 'Select where the meeting is' };
    if (field === 'place' && message.startsWith('Give either')) {
      return answers.where === 'call'
        ? { field: 'callLink', message: 'Enter the call link' }
        : { field: 'place', message: 'Enter the place' };
    }
    return { field, message: namedMessage(message, meetingWords[field]) };
  });
}

export function meetingErrors(answers: MeetingPageAnswers, today: string): InvalidField[] {
  const date = meetingDate(answers);
  const errors: InvalidField[] = date.error ? [{ field: 'date', message: date.error.message }] : [];
  const parsed = meetingOn(today).safeParse(meetingBody(answers, date.value ?? today));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({
      field: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    errors.push(...meetingPageMessages(fields, answers).filter((e) => !(date.error && e.field === 'date')));
  }
  const order = ['date', 'time', 'where', 'place', 'callLink'];
  return errors.sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
}

function meetingQuestion(record: CaseRecord, answers: MeetingPageAnswers, errors?: InvalidField[]) {
  const summary = errors?.length ? formErrors(errors) : undefined;
  if (summary) for (const item of summary.errorList) if (item.href === '#date') item.href = '#date-day';
  return render(
    'meeting/question.njk',
    {
      pageTitle: record.meeting
        ? 'Change the Rapid Review Group meeting'
        : 'Schedule the Rapid Review Group meeting',
      record,
      answers,
      ...(summary ? { errors: summary } : {}),
    },
    errors?.length ? 400 : 200,
  );
}

const meetingFlow = questionFlowPages<CaseRecord, MeetingPageAnswers>({
  path: '/cases/{caseId}/meeting',
  access: teamOnly,
  async load(request) {
    const record = await loadCase(request);
    if (!record) return { result: notFound() };
    const refused = scheduleRefusal(record);
    if (refused) return { result: refusedPage(record, refused) };
    return { context: record };
  },
  answersFrom: meetingAnswersFrom,
  question(request, record, answers, errors) {
    // The first visit to "change the meeting" shows the meeting as it is.
    const given = request.method === 'GET' ? answersOfMeeting(record) : answers;
    return meetingQuestion(record, given, errors);
  },
  check(request, record, answers) {
    const errors = meetingErrors(answers, todayOf(request));
    const date = meetingDate(answers).value;
    if (errors.length || !date) return meetingQuestion(record, answers, errors);
    const body = meetingBody(answers, date);
    return render('meeting/check.njk', {
      pageTitle: 'Check the meeting before you send the invitations',
      record,
      answers,
      answerNames: meetingAnswerNames,
      when: meetingWhen({ date, time: body.time }),
      changed: record.meeting !== undefined,
    });
  },
  async confirm(request, record, answers) {
    const date = meetingDate(answers);
    if (date.error) return meetingQuestion(record, answers, meetingErrors(answers, todayOf(request)));
    try {
      await scheduleMeeting(request.service, {
        caseId: record.caseId,
        meeting: meetingBody(answers, date.value),
        scheduledBy: request.user ?? { id: '', roles: [] },
      });
    } catch (error) {
      return refusalPage(error, record.caseId, (fields) =>
        meetingQuestion(record, answers, meetingPageMessages(fields, answers)),
      );
    }
    return redirect(`/cases/${record.caseId}/meeting/confirmation`);
  },
});

// ── Who attended ─────────────────────────────────────────────────────────────────────────

export interface AttendeeRow {
  name: string;
  agency: string;
  role: string;
  conflicts: string;
  confidentialityAgreed: string;
}

const rowFields: (keyof AttendeeRow)[] = ['name', 'agency', 'role', 'conflicts', 'confidentialityAgreed'];
const rowName = (index: number, field: keyof AttendeeRow) => `attendees-${index}-${field}`;
const blankRow = (): AttendeeRow => ({
  name: '',
  agency: '',
  role: '',
  conflicts: '',
  confidentialityAgreed: '',
});
const isBlank = (row: AttendeeRow) => rowFields.every((field) => row[field].trim() === '');

/** The rows as posted, in order; "Add another attendee" adds a blank one. */
export function attendanceRowsFrom(form: URLSearchParams): AttendeeRow[] {
  const indexes = new Set<number>();
  for (const name of form.keys()) {
    const match = /^attendees-(\d{1,3})-/.exec(name);
    if (match) indexes.add(Number(match[1]));
  }
  const rows = [...indexes]
    .sort((a, b) => a - b)
    .map((index) =>
      Object.fromEntries(rowFields.map((field) => [field, form.get(rowName(index, field)) ?? ''])),
    ) as unknown as AttendeeRow[];
  if (form.get('action') === 'add') rows.push(blankRow());
  return rows;
}

/** The JSON body PUT /api/cases/{caseId}/meeting/attendance takes: the rows given (blank rows left out). */
export function attendanceBody(rows: readonly AttendeeRow[]) {
  return {
    attendees: rows
      .filter((row) => !isBlank(row))
      .map((row) => ({
        name: row.name,
        agency: row.agency,
        role: row.role,
        conflicts: row.conflicts,
        confidentialityAgreed: row.confidentialityAgreed === 'yes',
      })),
  };
}

const attendeeWords: Record<string, FieldWords> = {
  name: { label: 'Their name', enter: 'their name' },
  agency: { label: 'Their agency', enter: 'their agency' },
  role: { label: 'Their role', enter: 'their role' },
  conflicts: { label: 'Their declaration', enter: 'their declaration of conflicts of interest, or ‘none’' },
};

/** The page's words for the use case's messages; the row numbers are the kept rows' (blank rows left out). */
function attendanceMessages(fields: readonly InvalidField[], rows: readonly AttendeeRow[]): InvalidField[] {
  // The body leaves blank rows out: map each kept row's index back to its place on the page.
  const kept = rows.flatMap((row, index) => (isBlank(row) ? [] : [index]));
  return fields.map(({ field, message }) => {
    const match = /^attendees\.(\d+)\.(\w+)$/.exec(field);
    if (!match) {
      return { field: 'attendees.0.name', message };
    }
    const pageIndex = kept[Number(match[1])] ?? Number(match[1]);
    const name = match[2] as string;
    const words =
      name === 'confidentialityAgreed'
        ? `Attendee ${pageIndex + 1} must agree to keep the meeting confidential`
        : `Attendee ${pageIndex + 1}: ${namedMessage(message, attendeeWords[name])}`;
    return { field: `attendees.${pageIndex}.${name}`, message: words };
  });
}

function attendanceQuestion(record: CaseRecord, rows: AttendeeRow[], errors?: InvalidField[]) {
  const summary = errors?.length ? formErrors(errors) : undefined;
  return render(
    'meeting/attendance.njk',
    {
      pageTitle: 'Who attended the Rapid Review Group meeting',
      record,
      when: record.meeting ? meetingWhen(record.meeting) : undefined,
      rows: (rows.length ? rows : [blankRow()]).map((row, index) => ({
        ...row,
        index,
        number: index + 1,
        ids: Object.fromEntries(rowFields.map((field) => [field, fieldId(`attendees.${index}.${field}`)])),
        names: Object.fromEntries(rowFields.map((field) => [field, rowName(index, field)])),
      })),
      ...(summary ? { errors: summary } : {}),
    },
    errors?.length ? 400 : 200,
  );
}

function rowsOfMeeting(record: CaseRecord): AttendeeRow[] {
  return (record.meeting?.attendees ?? []).map((attendee) => ({
    name: attendee.name,
    agency: attendee.agency,
    role: attendee.role,
    conflicts: attendee.conflicts,
    confidentialityAgreed: attendee.confidentialityAgreed ? 'yes' : '',
  }));
}

async function meetingCase(request: WebRequest): Promise<{ context: CaseRecord } | { result: PageResult }> {
  const record = await loadCase(request);
  if (!record) return { result: notFound() };
  const refused = notScheduledRefusal(record);
  if (refused) return { result: refusedPage(record, refused) };
  return { context: record };
}

const attendanceFlow = questionFlowPages<CaseRecord, AttendeeRow[]>({
  path: '/cases/{caseId}/meeting/attendance',
  access: teamOnly,
  load: meetingCase,
  answersFrom: attendanceRowsFrom,
  question(request, record, rows, errors) {
    return attendanceQuestion(record, request.method === 'GET' ? rowsOfMeeting(record) : rows, errors);
  },
  check(_request, record, rows) {
    const body = attendanceBody(rows);
    const parsed = attendanceAnswers.safeParse(body);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => ({
        field: issue.path.map(String).join('.'),
        message: issue.message,
      }));
      return attendanceQuestion(record, rows, attendanceMessages(fields, rows));
    }
    const kept = rows.filter((row) => !isBlank(row));
    return render('meeting/attendance-check.njk', {
      pageTitle: 'Check who attended before you record it',
      record,
      rows: kept.map((row, index) => ({
        ...row,
        names: Object.fromEntries(rowFields.map((field) => [field, rowName(index, field)])),
      })),
      rowFields,
    });
  },
  async confirm(request, record, rows) {
    try {
      await recordAttendance(request.service, {
        caseId: record.caseId,
        attendance: attendanceBody(rows),
        recordedBy: request.user ?? { id: '', roles: [] },
      });
    } catch (error) {
      return refusalPage(error, record.caseId, (fields) =>
        attendanceQuestion(record, rows, attendanceMessages(fields, rows)),
      );
    }
    return redirect(`/cases/${record.caseId}/meeting/attendance/confirmation`);
  },
});

// ── The uploads: the minutes and the Panel's letter ──────────────────────────────────────────

interface UploadPageSpec {
  path: string;
  title: string;
  what: string;
  /** The case, or the refusal to show instead. */
  refusal(record: CaseRecord): { title: string; message: string } | undefined;
  upload(request: WebRequest, record: CaseRecord, upload: StaffUpload): Promise<unknown>;
  done: { title: string; text: string };
}

function uploadPages(spec: UploadPageSpec): Page[] {
  const load = async (request: WebRequest): Promise<{ record: CaseRecord } | { result: PageResult }> => {
    const record = await loadCase(request);
    if (!record) return { result: notFound() };
    const refused = spec.refusal(record);
    return refused ? { result: refusedPage(record, refused) } : { record };
  };
  const form = (record: CaseRecord, errors?: InvalidField[]) =>
    render(
      'meeting/upload.njk',
      {
        pageTitle: spec.title,
        record,
        what: spec.what,
        action: spec.path.replace('{caseId}', record.caseId),
        maxMegabytes: STAFF_UPLOAD_MAX_BYTES / (1024 * 1024),
        ...(errors?.length ? { errors: formErrors(errors) } : {}),
      },
      errors?.length ? 400 : 200,
    );
  return [
    {
      method: 'GET',
      path: spec.path,
      access: teamOnly,
      async handle(request) {
        const found = await load(request);
        return 'result' in found ? found.result : form(found.record);
      },
    },
    {
      method: 'POST',
      path: spec.path,
      access: teamOnly,
      async handle(request) {
        const found = await load(request);
        if ('result' in found) return found.result;
        const file = request.files?.get('file');
        if (!file) return form(found.record, [{ field: 'file', message: `Select ${spec.what}` }]);
        try {
          await spec.upload(request, found.record, { fileName: file.fileName, content: file.content });
        } catch (error) {
          if (error instanceof InvalidInputError) return form(found.record, error.fields);
          return refusalPage(error, found.record.caseId, (fields) => form(found.record, fields));
        }
        return redirect(`${spec.path.replace('{caseId}', found.record.caseId)}/uploaded`);
      },
    },
    {
      method: 'GET',
      path: `${spec.path}/uploaded`,
      access: teamOnly,
      async handle(request) {
        const record = await loadCase(request);
        if (!record) return notFound();
        return render('meeting/confirmation.njk', {
          pageTitle: spec.done.title,
          record,
          text: spec.done.text,
        });
      },
    },
  ];
}

const minutesPages = uploadPages({
  path: '/cases/{caseId}/meeting/minutes',
  title: 'Upload the minutes of the Rapid Review Group meeting',
  what: 'the minutes',
  refusal: notScheduledRefusal,
  upload: (request, record, upload) =>
    uploadMinutes(request.service, {
      caseId: record.caseId,
      upload,
      uploadedBy: request.user ?? { id: '', roles: [] },
    }),
  done: {
    title: 'Minutes uploaded',
    text: 'The minutes are filed with the case’s documents. Those signed in to the service can open them from the case page.',
  },
});

const letterPages = uploadPages({
  path: '/cases/{caseId}/panel-reply/letter',
  title: 'Upload the Panel’s letter',
  what: 'the Panel’s letter',
  refusal: panelLetterRefusal,
  upload: (request, record, upload) =>
    uploadPanelLetter(request.service, {
      caseId: record.caseId,
      upload,
      uploadedBy: request.user ?? { id: '', roles: [] },
    }),
  done: {
    title: 'Panel letter uploaded',
    text: 'The Panel’s letter is filed with the case’s documents, beside its reply.',
  },
});

export const meetingPages: Page[] = [
  ...meetingFlow,
  {
    method: 'GET',
    path: '/cases/{caseId}/meeting/confirmation',
    access: teamOnly,
    async handle(request) {
      const record = await loadCase(request);
      if (!record) return notFound();
      if (!record.meeting) return redirect(`/cases/${record.caseId}/meeting`);
      const meeting = record.meeting;
      return render('meeting/confirmation.njk', {
        pageTitle: meeting.version > 1 ? 'Meeting changed' : 'Meeting scheduled',
        record,
        text: `The Rapid Review Group meeting is at ${meetingWhen(meeting)}, ${meeting.place ? `at ${meeting.place}` : 'by call'}. The chair, the deputy chairs and the members have been emailed ${meeting.version > 1 ? 'that it changed' : 'an invitation'}, with the papers or word of when they follow. Scheduled ${londonDateTime(meeting.scheduledAt)}.`,
      });
    },
  },
  ...attendanceFlow,
  {
    method: 'GET',
    path: '/cases/{caseId}/meeting/attendance/confirmation',
    access: teamOnly,
    async handle(request) {
      const record = await loadCase(request);
      if (!record) return notFound();
      const count = record.meeting?.attendees?.length ?? 0;
      return render('meeting/confirmation.njk', {
        pageTitle: 'Attendance recorded',
        record,
        text: `You recorded ${count} ${count === 1 ? 'attendee' : 'attendees'}, each with their declaration of conflicts of interest and their agreement to confidentiality.`,
      });
    },
  },
  ...minutesPages,
  ...letterPages,
];
