/**
 * The operations pages (issue 12 part 4) in-process, through the router, over a fake of the
 * workflow's executions (the port the Step Functions adapter implements) and the in-memory case
 * store: the list with failures first and the counts by state, one execution's path and failure,
 * and resuming a failed case with a reason.
 */
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Page } from '../../../functions/web/page.ts';
import { type OpsWebService, opsWebPages } from '../../../functions/web/pages/ops.ts';
import type { ReviewWorkflow } from '../../../shared/adapters/review-workflow.ts';
import type {
  ExecutionDetail,
  ExecutionEvent,
  ExecutionListing,
  WorkflowExecutions,
} from '../../../shared/adapters/workflow-executions.ts';
import type { StaffRole } from '../../../shared/schemas/roles.ts';
import { InMemoryCaseStore } from '../../support/in-memory-case-store.ts';
import { SettableClock } from '../api/support/api-fixtures.ts';
import { homeService, openedCase } from '../web/support/home-fixtures.ts';
import { signedIn, testUser, testWebApp, webEvent } from '../web/support/web-fixtures.ts';

const definition = readFileSync(
  new URL('../../../statemachines/rapid-review.asl.json', import.meta.url),
  'utf8',
);
const unescaped = (body: unknown) =>
  String(body).replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&#8217;', '’');

/** A history from its events' types and states, a minute apart from 10am on 20 March 2026. */
function history(
  ...steps: [type: string, details?: Partial<Omit<ExecutionEvent, 'id' | 'timestamp' | 'type'>>][]
): ExecutionEvent[] {
  return steps.map(([type, details], index) => ({
    id: index + 1,
    timestamp: new Date(Date.UTC(2026, 2, 20, 10, index)),
    type,
    ...details,
  }));
}

const entered = (type: string, state: string, input?: object) =>
  [`${type}StateEntered`, { state, ...(input ? { input: JSON.stringify(input) } : {}) }] as [
    string,
    Partial<ExecutionEvent>,
  ];
const exited = (type: string, state: string) =>
  [`${type}StateExited`, { state }] as [string, Partial<ExecutionEvent>];

/** Executions kept in memory, as the Step Functions API would answer them. */
class FakeExecutions implements WorkflowExecutions {
  readonly executions = new Map<string, { detail: ExecutionDetail; events: ExecutionEvent[] }>();
  add(listing: ExecutionListing & { input?: string }, events: ExecutionEvent[]) {
    this.executions.set(listing.name, { detail: { redriveCount: 0, ...listing }, events });
  }
  async stateMachine() {
    return { name: 'RapidReview', definition };
  }
  async list(): Promise<ExecutionListing[]> {
    return [...this.executions.values()].map(({ detail }) => detail);
  }
  async describe(name: string) {
    return this.executions.get(name)?.detail;
  }
  async history(name: string, options: { latest?: number } = {}) {
    const events = this.executions.get(name)?.events ?? [];
    return options.latest ? events.slice(-options.latest) : events;
  }
}

describe('the operations pages (issue 12 part 4)', () => {
  let store: InMemoryCaseStore;
  let executions: FakeExecutions;
  let resumed: { caseId: string; executionName: string; resumeFrom: string }[];
  let app: ReturnType<typeof testWebApp>;
  let running: { caseId: string; reference: string };
  let failed: { caseId: string; reference: string };
  let done: { caseId: string; reference: string };
  const operator = testUser('operator');
  const visit = (path: string, role: StaffRole = 'operator') =>
    app(webEvent({ path, cookies: signedIn(role === 'operator' ? operator : testUser(role)).cookies }));
  const post = (path: string, form: Record<string, string>) => {
    const browser = signedIn(operator);
    return app(
      webEvent({ method: 'POST', path, cookies: browser.cookies, form, csrfToken: browser.csrfToken }),
    );
  };

  beforeEach(async () => {
    store = new InMemoryCaseStore();
    const clock = new SettableClock('2026-03-24T12:00:00Z');
    const base = homeService(store, clock);
    executions = new FakeExecutions();
    resumed = [];
    const workflow: Partial<ReviewWorkflow> = {
      async resume(caseId, executionName, resumeFrom) {
        resumed.push({ caseId, executionName, resumeFrom });
        return 'started';
      },
    };
    const service = Object.create(base, {
      executions: { value: executions },
      workflow: { value: workflow },
    }) as OpsWebService;
    app = testWebApp(opsWebPages as unknown as Page[], { service });

    running = await openedCase(base, store, { status: 'awaiting-summaries' });
    failed = await openedCase(base, store, {
      status: 'awaiting-summaries',
      changes: { failure: { step: 'CollateReport', error: 'Error', at: '2026-03-20T10:06:00.000Z' } },
    });
    done = await openedCase(base, store, { status: 'completed' });

    executions.add(
      { name: running.caseId, status: 'RUNNING', startDate: new Date('2026-03-20T10:00:00Z') },
      history(
        ['ExecutionStarted'],
        entered('Task', 'PlanTimetable'),
        exited('Task', 'PlanTimetable'),
        entered('Choice', 'ResumeAtFailedStep'),
        exited('Choice', 'ResumeAtFailedStep'),
        entered('Task', 'RequestAgencySummaries'),
        exited('Task', 'RequestAgencySummaries'),
        entered('Wait', 'WaitForFirstRung', {
          caseId: running.caseId,
          deadlines: { firstRungAt: '2026-03-27T17:00:00.000Z' },
        }),
      ),
    );
    executions.add(
      { name: failed.caseId, status: 'FAILED', startDate: new Date('2026-03-19T10:00:00Z') },
      history(
        ['ExecutionStarted'],
        entered('Task', 'PlanTimetable'),
        exited('Task', 'PlanTimetable'),
        entered('Choice', 'ResumeAtFailedStep'),
        exited('Choice', 'ResumeAtFailedStep'),
        entered('Wait', 'WaitForCollationDay'),
        exited('Wait', 'WaitForCollationDay'),
        entered('Task', 'CollateReport'),
        [
          'TaskFailed',
          {
            error: 'Error',
            cause: JSON.stringify({
              errorType: 'RangeError',
              errorMessage: 'Child A (invented) has no summary',
            }),
          },
        ],
        exited('Task', 'CollateReport'),
        entered('Task', 'RecordFailure'),
        exited('Task', 'RecordFailure'),
        entered('Fail', 'ReviewFailed'),
        ['ExecutionFailed', { error: 'ReviewFailed' }],
      ),
    );
    executions.add(
      { name: done.caseId, status: 'SUCCEEDED', startDate: new Date('2026-03-18T10:00:00Z') },
      history(['ExecutionStarted'], entered('Succeed', 'ReviewComplete'), ['ExecutionSucceeded']),
    );
  });

  it('lists every execution, failures first, with its case reference, step, start and wait in London words', async () => {
    // Act
    const result = await visit('/ops');

    // Assess
    expect(result.statusCode).toBe(200);
    const html = unescaped(result.body);
    const table = html.slice(html.indexOf('id="ops-executions"'), html.indexOf('id="graph"'));
    const order = [...table.matchAll(/data-execution="([^"]+)"/g)].map((match) => match[1]);
    expect(order).toEqual([failed.caseId, running.caseId, done.caseId]);
    expect(table).toContain(failed.reference);
    expect(table).toContain('Failed in CollateReport: Error');
    expect(table).toContain('WaitForFirstRung');
    expect(table).toContain('Until 5pm on Friday 27 March 2026');
    expect(table).toContain('10am on Friday 20 March 2026');
    // The cause's message may quote the child: never shown.
    expect(html).not.toContain('Child A');
    expect(html).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });

  it('draws the graph with how many executions are in each state, the failed one red, and the same counts as a table', async () => {
    // Act
    const html = unescaped((await visit('/ops')).body);

    // Assess: the SVG, accessible, with a box per state of the ASL.
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg).toMatch(/role="img" aria-labelledby="ops-graph-title ops-graph-desc"/);
    expect(svg).toContain('<title id="ops-graph-title">');
    const states = Object.keys((JSON.parse(definition) as { States: object }).States);
    expect([...svg.matchAll(/data-state="([^"]+)"/g)].map((match) => match[1]).sort()).toEqual(
      [...states].sort(),
    );
    const countOf = (state: string) =>
      Number(new RegExp(`data-state="${state}" data-count="(\\d+)"`).exec(svg)?.[1]);
    expect(countOf('WaitForFirstRung')).toBe(1);
    expect(countOf('CollateReport')).toBe(1);
    expect(countOf('ReviewComplete')).toBe(1);
    expect(countOf('PlanTimetable')).toBe(0);
    expect(svg).toMatch(
      /class="app-ops-graph__state app-ops-graph__state--failed" data-state="CollateReport"/,
    );
    expect(svg).not.toMatch(/app-ops-graph__state--failed" data-state="WaitForFirstRung"/);
    // The text equivalent.
    const row = (state: string) =>
      html
        .slice(html.indexOf('>', html.indexOf(`data-state="${state}"`, html.indexOf('id="ops-states"'))) + 1)
        .split('</tr>')[0]
        ?.replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    expect(row('WaitForFirstRung')).toBe('WaitForFirstRung Wait 1 0 0');
    expect(row('CollateReport')).toBe('CollateReport Task 0 1 0');
    expect(row('ReviewComplete')).toBe('ReviewComplete Succeed 0 0 1');
    expect(html).toMatch(/<strong>1<\/strong> failed and not resumed/);
    expect(html).toMatch(/<strong>3<\/strong> executions in all/);
  });

  it('shows one failed execution: its path through the graph, where it failed in red, the error and the kind of its cause, its history, and Resume', async () => {
    // Act
    const result = await visit(`/ops/executions/${failed.caseId}`);

    // Assess
    expect(result.statusCode).toBe(200);
    const html = unescaped(result.body);
    expect(html).toContain(`Execution for ${failed.reference}`);
    expect(html).toContain('RangeError (its message is not shown: it may quote personal data)');
    expect(html).not.toContain('Child A');
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg).toMatch(/app-ops-graph__state--failed[^"]*" data-state="CollateReport"/);
    expect(svg).toContain('data-transition="CollateReport:RecordFailure:catch0"');
    expect(svg).toMatch(
      /app-ops-graph__transition--taken" data-transition="CollateReport:RecordFailure:catch0"/,
    );
    expect(svg).toMatch(
      /app-ops-graph__transition--taken" data-transition="PlanTimetable:ResumeAtFailedStep:next0"/,
    );
    expect(svg).not.toMatch(/app-ops-graph__transition--taken" data-transition="RequestAgencySummaries/);
    const path = html.slice(
      html.indexOf('id="execution-path"'),
      html.indexOf('</ol>', html.indexOf('id="execution-path"')),
    );
    expect(path.match(/<li>/g)).toHaveLength(6);
    expect(html).toContain('Task Failed');
    expect(html).toContain(`href="/ops/executions/${failed.caseId}/resume"`);
  });

  it('offers no Resume on a running execution, and answers 404 for an execution that does not exist', async () => {
    const html = unescaped((await visit(`/ops/executions/${running.caseId}`)).body);
    expect(html).toContain('app-ops-graph__state--current');
    expect(html).not.toContain('/resume"');

    expect((await visit('/ops/executions/not-an-execution')).statusCode).toBe(404);
  });

  it('asks why before resuming, naming the field when no reason is given, and resumes nothing then', async () => {
    // Act
    const result = await post(`/ops/executions/${failed.caseId}/resume`, { reason: '  ' });

    // Assess
    expect(result.statusCode).toBe(400);
    const html = unescaped(result.body);
    expect(html).toContain('govuk-error-summary');
    expect(html).toContain('<a href="#reason">Enter why you are resuming this review</a>');
    expect(resumed).toEqual([]);
  });

  it('resumes a failed review from the step that failed, audits it with the operator and the reason, and shows the new execution', async () => {
    // Act
    const result = await post(`/ops/executions/${failed.caseId}/resume`, {
      reason: 'The collation bug is fixed (invented)',
    });

    // Assess
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe(`/ops/executions/${failed.caseId}-resume-1?resumed=1`);
    expect(resumed).toEqual([
      {
        caseId: failed.caseId,
        executionName: `${failed.caseId}-resume-1`,
        resumeFrom: 'WaitForCollationDay',
      },
    ]);
    const file = await store.getCaseFile(failed.caseId);
    expect(file.case.failure).toBeUndefined();
    const event = file.audit.find((entry) => entry.action === 'case.resumed');
    expect(event).toMatchObject({
      actor: { kind: 'staff', id: operator.id, role: 'operator' },
      reason: 'The collation bug is fixed (invented)',
    });
  });

  it('lets only the operator in', async () => {
    for (const role of ['partnership-team', 'rrg-chair', 'scrutineer'] as const) {
      expect((await visit('/ops', role)).statusCode, role).toBe(403);
      expect((await visit(`/ops/executions/${failed.caseId}`, role)).statusCode, role).toBe(403);
    }
  });
});
