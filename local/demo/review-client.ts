import { reportSectionKeys } from '../../shared/schemas/report.ts';
import type { Clocks } from '../../shared/workflow/clocks-wording.ts';
/**
 * A client that knows only the service's HTTP API (issue 3) plus the local stack's extras
 * (token, clock, SES inbox). The demo and the whole-review integration test both drive a
 * Rapid Review through it, as a partnership would.
 */

import { pollUntil } from '../free-port.ts';

export interface InboxEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[] };
  subject: string;
  body: { text?: string };
  attachments: Array<{ filename?: string; contentType: string; content: string }>;
  at: number;
}

export interface CaseView {
  caseId: string;
  reference: string;
  status: string;
  timetable: Array<{ day: number; name: string; date: string; startsAt?: string; dueAt?: string }>;
  agencies: Array<{
    agencyId: string;
    name: string;
    status: string;
    late: boolean;
    receivedAt?: string;
    ladder?: Array<{ kind: string; at: string }>;
  }>;
  documents: Array<{ name: string; downloadUrl?: string }>;
  workflow: { status: string; currentStep?: string };
  audit: Array<{ at: string; action: string; reason: string; actor: unknown }>;
  /** The two clocks: the Panel's date, the partnership's own Day 15, which governs (README, the API). */
  clocks: Clocks;
  /** The rapid review report's progress. */
  report: { sectionsDone: number; sectionsTotal: number; complete: boolean; completedAt?: string };
}

export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  readonly status: number;
  readonly problem: unknown;
  constructor(what: string, status: number, problem: unknown) {
    super(`${what} answered ${status}: ${JSON.stringify(problem)}`);
    this.status = status;
    this.problem = problem;
  }
}

export class ReviewClient {
  readonly apiUrl: string;
  readonly sesUrl: string;
  readonly #tokens = new Map<string, string>();

  constructor(options: { apiUrl: string; sesUrl: string }) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
    this.sesUrl = options.sesUrl.replace(/\/+$/, '');
  }

  async #call<T>(
    what: string,
    path: string,
    init: RequestInit & { role?: string; partner?: string } = {},
  ): Promise<T> {
    const headers = new Headers(init.headers);
    if (init.role) headers.set('authorization', `Bearer ${await this.token(init.role, init.partner)}`);
    if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
    const response = await fetch(path.startsWith('http') ? path : `${this.apiUrl}${path}`, {
      ...init,
      headers,
    });
    const text = await response.text();
    const body = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new ApiProblem(what, response.status, body);
    return body as T;
  }

  /** A bearer token for an invented user of the role (local stack only); a safeguarding partner's names its partner. */
  async token(role: string, partner?: string): Promise<string> {
    const key = partner ? `${role}:${partner}` : role;
    const known = this.#tokens.get(key);
    if (known) return known;
    const { token } = await this.#call<{ token: string }>('POST /local/token', '/local/token', {
      method: 'POST',
      body: JSON.stringify(partner ? { role, partner } : { role }),
    });
    this.#tokens.set(key, token);
    return token;
  }

  /**
   * Notifies the incident. The demo and the tests send the same invented notification many times
   * on one stack, so a possible duplicate (409) is sent again at once, acknowledged with a reason
   * that says so, as a notifier would after checking; `acknowledgeDuplicates: false` answers the 409.
   */
  async submitNotification(
    notification: unknown,
    idempotencyKey: string,
    options: { acknowledgeDuplicates?: boolean } = {},
  ) {
    const send = (body: unknown) =>
      this.#call<{ caseId: string; reference: string }>('POST /api/notifications', '/api/notifications', {
        method: 'POST',
        role: 'notifier',
        headers: { 'idempotency-key': idempotencyKey },
        body: JSON.stringify(body),
      });
    try {
      return await send(notification);
    } catch (error) {
      const duplicateOf =
        error instanceof ApiProblem && error.status === 409 && options.acknowledgeDuplicates !== false
          ? /\/cases\/([0-9a-f-]{36})/.exec(
              String((error.problem as { detail?: unknown })?.detail ?? ''),
            )?.[1]
          : undefined;
      if (!duplicateOf) throw error;
      return send({
        ...(notification as object),
        possibleDuplicate: {
          caseId: duplicateOf,
          reason: 'The same invented notification, sent again for a demonstration or a test',
        },
      });
    }
  }

  getCase(caseId: string, role = 'partnership-team') {
    return this.#call<CaseView>('GET /api/cases/{caseId}', `/api/cases/${caseId}`, { role });
  }

  recordDecision(caseId: string, decision: unknown) {
    return this.#call<unknown>('POST /api/cases/{caseId}/decision', `/api/cases/${caseId}/decision`, {
      method: 'POST',
      role: 'rrg-chair',
      body: JSON.stringify(decision),
    });
  }

  /** Saves one section of the rapid review report, as the partnership team. */
  saveReportSection(caseId: string, section: string, text: string) {
    return this.#call<{ section: string; progress: { sectionsDone: number; complete: boolean } }>(
      'PUT /api/cases/{caseId}/report/sections/{section}',
      `/api/cases/${caseId}/report/sections/${encodeURIComponent(section)}`,
      { method: 'PUT', role: 'partnership-team', body: JSON.stringify({ text }) },
    );
  }

  /** Marks the rapid review report complete, as the partnership team; answers its documents' keys. */
  completeReport(caseId: string) {
    return this.#call<{ completedAt: string; documents: { pdf: string; docx: string } }>(
      'POST /api/cases/{caseId}/report/complete',
      `/api/cases/${caseId}/report/complete`,
      { method: 'POST', role: 'partnership-team' },
    );
  }

  /** One safeguarding partner's sign-off of the chair's decision, as that partner's invented delegate. */
  signOff(caseId: string, partner: 'local-authority' | 'police' | 'health', answer: unknown) {
    return this.#call<unknown>('POST /api/cases/{caseId}/sign-offs', `/api/cases/${caseId}/sign-offs`, {
      method: 'POST',
      role: 'safeguarding-partner',
      partner,
      body: JSON.stringify(answer),
    });
  }

  /** The Executive Board chair resolves a partner's disagreement. */
  resolveSignOffs(caseId: string, answer: unknown) {
    return this.#call<unknown>(
      'POST /api/cases/{caseId}/sign-offs/resolution',
      `/api/cases/${caseId}/sign-offs/resolution`,
      { method: 'POST', role: 'executive-board', body: JSON.stringify(answer) },
    );
  }

  /** Every partner agrees with the decision, in the usual order. */
  async allPartnersAgree(caseId: string): Promise<void> {
    for (const partner of ['local-authority', 'police', 'health'] as const) {
      await this.signOff(caseId, partner, { agrees: true });
    }
  }

  /** Writes every section of the rapid review report with invented text, then marks it complete. */
  async writeReport(caseId: string): Promise<void> {
    for (const section of reportSectionKeys) {
      await this.saveReportSection(caseId, section, `Invented text for the ${section} section (demo).`);
    }
    await this.completeReport(caseId);
  }

  /** Records why the review is late and when the partnership now expects to submit, as the partnership team. */
  recordLateReason(caseId: string, answer: unknown) {
    return this.#call<unknown>('POST /api/cases/{caseId}/late-reason', `/api/cases/${caseId}/late-reason`, {
      method: 'POST',
      role: 'partnership-team',
      body: JSON.stringify(answer),
    });
  }

  /** Records the Panel's reply (issue 9 part 6), as the partnership team. */
  recordPanelReply(caseId: string, reply: unknown) {
    return this.#call<unknown>('POST /api/cases/{caseId}/panel-reply', `/api/cases/${caseId}/panel-reply`, {
      method: 'POST',
      role: 'partnership-team',
      body: JSON.stringify(reply),
    });
  }

  /** Schedules (or changes) the Rapid Review Group meeting (issue 9 part 4), as the partnership team. */
  scheduleMeeting(caseId: string, meeting: unknown) {
    return this.#call<{ date: string; time: string; version: number }>(
      'PUT /api/cases/{caseId}/meeting',
      `/api/cases/${caseId}/meeting`,
      { method: 'PUT', role: 'partnership-team', body: JSON.stringify(meeting) },
    );
  }

  /** Records who attended the meeting, each with their declarations, as the partnership team. */
  recordMeetingAttendance(caseId: string, attendance: unknown) {
    return this.#call<{ attendees: unknown[] }>(
      'PUT /api/cases/{caseId}/meeting/attendance',
      `/api/cases/${caseId}/meeting/attendance`,
      { method: 'PUT', role: 'partnership-team', body: JSON.stringify(attendance) },
    );
  }

  clock() {
    return this.#call<{ now: string; pending: Array<{ at: string; label?: string }> }>(
      'GET /local/clock',
      '/local/clock',
    );
  }

  /** Moves the virtual clock to `at` (an ISO instant after now), waking every wait due by then, in order. */
  advanceTo(at: string) {
    return this.#call<{ now: string }>('POST /local/clock/advance', '/local/clock/advance', {
      method: 'POST',
      body: JSON.stringify({ to: at }),
    });
  }

  /** Jumps the virtual clock to the next pending wait or timeout; answers the new time. */
  advanceToNext() {
    return this.#call<{ now: string }>('POST /local/clock/advance', '/local/clock/advance', {
      method: 'POST',
      body: JSON.stringify({ to: 'next' }),
    });
  }

  /**
   * Waits until the workflow has nothing to do but wait for the clock or a person; answers the
   * clock. Throws an ApiProblem (503 "Still busy") when it had not settled within the stack's
   * settle timeout.
   */
  settle() {
    return this.#call<{ now: string; pending: Array<{ at: string; label?: string }> }>(
      'POST /local/settle',
      '/local/settle',
      { method: 'POST' },
    );
  }

  async emails(): Promise<InboxEmail[]> {
    const response = await fetch(`${this.sesUrl}/store`);
    if (!response.ok) throw new Error(`The SES inbox answered ${response.status}`);
    return ((await response.json()) as { emails: InboxEmail[] }).emails;
  }

  /** Polls the inbox until `count` emails match, or fails after the deadline. */
  async waitForEmails(
    what: string,
    matches: (email: InboxEmail) => boolean,
    { count = 1, timeoutMs = 20_000 } = {},
  ): Promise<InboxEmail[]> {
    return pollUntil(
      `${count} email(s): ${what}`,
      async () => (await this.emails()).filter(matches),
      (found) => found.length >= count,
      { timeoutMs, describe: (found) => `${found.length} found` },
    );
  }

  /** Polls the case until `ready` holds, or fails after the deadline. */
  async waitForCase(caseId: string, what: string, ready: (view: CaseView) => boolean, timeoutMs = 20_000) {
    return pollUntil(`the case: ${what}`, () => this.getCase(caseId), ready, {
      timeoutMs,
      describe: (view) => `status ${view.status}, step ${view.workflow.currentStep}`,
    });
  }

  /** What the agency's capability link says: what to return and by when. */
  agencyRequest(link: string) {
    return this.#call<{ agency: string; caseReference: string; dueAt: string; status: string }>(
      'GET /api/agency/{token}',
      link,
    );
  }

  /** Sends the agency's structured return (issue 10 part 2) through its link: "no involvement", or its involvement. */
  submitStructuredReturn(link: string, answers: unknown) {
    return this.#call<{ version: number; kind: string; receivedAt: string }>(
      'PUT /api/agency/{token}/return',
      `${link}/return`,
      { method: 'PUT', body: JSON.stringify(answers) },
    );
  }

  /** Adds an agency to a running case, as the partnership team (issue 10 part 3). */
  addAgency(caseId: string, body: unknown) {
    return this.#call<unknown>('POST /api/cases/{caseId}/agencies', `/api/cases/${caseId}/agencies`, {
      method: 'POST',
      role: 'partnership-team',
      body: JSON.stringify(body),
    });
  }

  /** Takes in an agency's late return after collation, as the partnership team: an addendum goes to the group. */
  takeInLateReturn(caseId: string, agencyId: string, body: unknown) {
    return this.#call<unknown>(
      'POST /api/cases/{caseId}/agencies/{agencyId}/late-return',
      `/api/cases/${caseId}/agencies/${encodeURIComponent(agencyId)}/late-return`,
      { method: 'POST', role: 'partnership-team', body: JSON.stringify(body) },
    );
  }

  /** Uploads a summary through the link's pre-signed POST, as the upload page does. */
  async uploadSummary(link: string, file: { name: string; type: string; bytes: Uint8Array }) {
    const form = await this.#call<{ url: string; fields: Record<string, string> }>(
      'POST /api/agency/{token}/uploads',
      `${link}/uploads`,
      {
        method: 'POST',
        body: JSON.stringify({ fileName: file.name, contentType: file.type, size: file.bytes.length }),
      },
    );
    const body = new FormData();
    for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
    body.append('file', new Blob([file.bytes], { type: file.type }), file.name);
    const response = await fetch(form.url, { method: 'POST', body });
    if (!response.ok) throw new Error(`The upload answered ${response.status}: ${await response.text()}`);
  }
}

/**
 * The API link behind the capability link in an agency request email: the email links to the
 * agency's page (`<base>/agency/<token>`); the same token works at `<base>/api/agency/<token>`.
 */
export function agencyLinkIn(email: InboxEmail): string {
  const match = /(https?:\/\/\S+?)\/agency\/([A-Za-z0-9_-]{43})/.exec(email.body.text ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`No agency link in the email "${email.subject}"`);
  return `${match[1]}/api/agency/${match[2]}`;
}
