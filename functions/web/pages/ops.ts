import { ConflictError, InvalidInputError, NotFoundError } from '../../../shared/errors.ts';
import type { InvalidField } from '../../../shared/http/problem.ts';
import { staffActor } from '../../../shared/schemas/roles.ts';
import {
  type ExecutionRow,
  type OperationsService,
  showExecution,
  showOperations,
} from '../../../shared/use-cases/operations.ts';
import { resumeFailedCase } from '../../../shared/use-cases/resume-case.ts';
import { isFailedStatus } from '../../../shared/workflow/execution-history.ts';
import { caseIdOfExecution, executionNameOf } from '../../../shared/workflow/execution-name.ts';
import type { StateMachineGraph, StateMachineLayout } from '../../../shared/workflow/state-machine-graph.ts';
import rapidReviewLayout from '../../../statemachines/rapid-review.layout.json' with { type: 'json' };
import { formErrors } from '../forms.ts';
import {
  notFound,
  type Page,
  type PageResult,
  redirect,
  render,
  staffOnly,
  type WebService,
} from '../page.ts';
import { londonDateTime } from './london.ts';
import { opsMenuPage } from './menu.ts';
import { countInWords, drawStateMachine, type StateCount } from './ops-graph.ts';

/**
 * The operations pages (issue 12 part 4), for the engineer on call (the `operator` role): every
 * execution of the workflow with where it is (GET /ops), and one execution's way through the
 * graph with its history (GET /ops/executions/{name}), each with the state machine's graph drawn
 * as SVG from the layout computed at build time. The only pages that name states: the operator
 * reads them beside the Step Functions console. They name no child: a case by its reference only.
 */

/** The ports of the operations pages' function: the staff pages' and the workflow's executions. */
export type OpsWebService = WebService & OperationsService;

/** The layout the graph is drawn from (npm run ops:layout writes it from the ASL). */
const layout = rapidReviewLayout as StateMachineLayout;

/** The reason an operator gives for resuming, at most this long (it goes into the audit trail). */
export const RESUME_REASON_MAX = 2000;

const statusTags: Record<string, { text: string; classes: string }> = {
  RUNNING: { text: 'Running', classes: 'govuk-tag--blue' },
  SUCCEEDED: { text: 'Succeeded', classes: 'govuk-tag--green' },
  FAILED: { text: 'Failed', classes: 'govuk-tag--red' },
  TIMED_OUT: { text: 'Timed out', classes: 'govuk-tag--red' },
  ABORTED: { text: 'Stopped', classes: 'govuk-tag--orange' },
  PENDING_REDRIVE: { text: 'Resuming', classes: 'govuk-tag--yellow' },
};
const statusTag = (status: string) => statusTags[status] ?? { text: status, classes: 'govuk-tag--grey' };

/** Whether the graph was laid out from the definition as deployed: the same states and transitions. */
export function layoutMatches(graph: StateMachineGraph, laidOut: StateMachineLayout): boolean {
  const key = (ids: string[]) => [...ids].sort().join('\n');
  return (
    key(graph.states.map((s) => s.id)) === key(laidOut.states.map((s) => s.id)) &&
    key(graph.transitions.map((t) => t.id)) === key(laidOut.transitions.map((t) => t.id))
  );
}

/** "the case RR-2026-004", or the case id when no case of that id exists. */
const caseName = (row: Pick<ExecutionRow, 'reference' | 'caseId'>) => row.reference ?? `case ${row.caseId}`;

function rowView(row: ExecutionRow) {
  return {
    name: row.name,
    caseName: caseName(row),
    statusCode: row.status,
    resumed: row.resumedSince === true,
    status: statusTag(row.status),
    failed: isFailedStatus(row.status),
    current: row.current ?? '',
    failedIn: row.failedIn,
    started: londonDateTime(row.startDate),
    stopped: row.stopDate ? londonDateTime(row.stopDate) : undefined,
    waiting: row.waiting
      ? `${row.waiting.kind === 'clock' ? 'Until' : 'For a callback, until'} ${londonDateTime(row.waiting.until)}`
      : undefined,
    failure: row.failure,
  };
}

const escapeHtml = (text: string) => text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** The execution's facts, as a summary list's rows: its failure's error and the kind of its cause, never the cause's words. */
function summaryRows(row: ReturnType<typeof rowView>, redriveCount: number) {
  const text = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  return [
    text('Case', row.caseName),
    {
      key: { text: 'Status' },
      value: {
        html: `<strong class="govuk-tag ${row.status.classes}">${escapeHtml(row.status.text)}</strong>`,
      },
    },
    row.failedIn ? text('Failed in', row.failedIn) : text('Current step', row.current || 'None yet'),
    text('Started', row.started),
    text('Stopped', row.stopped ?? 'Not stopped'),
    text('Waiting', row.waiting ?? 'Not waiting'),
    ...(row.failure
      ? [
          text('Error', row.failure.error),
          text(
            'Cause',
            row.failure.cause
              ? `${row.failure.cause} (its message is not shown: it may quote personal data)`
              : 'Not shown: it may quote personal data',
          ),
        ]
      : []),
    ...(redriveCount > 0
      ? [text('Redriven', `${redriveCount} ${redriveCount === 1 ? 'time' : 'times'}`)]
      : []),
    ...(row.resumed ? [text('Resumed', 'Yes: a later execution goes on with the review')] : []),
  ];
}

/** The states as a table, the graph's text equivalent. */
function stateRows(counts: ReadonlyMap<string, StateCount>) {
  return layout.states.map((state) => {
    const count = counts.get(state.id);
    return {
      id: state.id,
      type: state.type,
      running: count?.running ?? 0,
      failed: count?.failed ?? 0,
      ended: count?.ended ?? 0,
    };
  });
}

const transitionKinds = {
  next: 'Next',
  choice: 'Choice',
  default: 'Choice (otherwise)',
  catch: 'Caught error',
};

function transitionRows() {
  return layout.transitions.map((transition) => ({
    from: transition.from,
    to: transition.to,
    kind: transitionKinds[transition.kind],
    when: transition.kind === 'next' || transition.kind === 'default' ? '' : transition.when,
  }));
}

/** GET /ops: every execution, failures first, and the graph with how many are in each state. */
const overviewPage: Page<OpsWebService> = {
  ...opsMenuPage,
  async handle(request) {
    const overview = await showOperations(request.service);
    const rows = overview.executions.map(rowView);
    const totals = {
      failed: rows.filter((row) => row.failed && !row.resumed).length,
      running: overview.executions.filter((row) => row.status === 'RUNNING').length,
      all: rows.length,
    };
    const graphSvg = drawStateMachine(layout, {
      title: `The ${overview.stateMachineName} workflow, with how many executions are in each state now`,
      description: `Every state and transition. ${[...overview.counts]
        .map(([state, count]) => `${state}: ${countInWords(count)}`)
        .join(
          '. ',
        )}${overview.counts.size ? '.' : 'No execution is in any state.'} The table after the graph lists every state and its counts.`,
      idPrefix: 'ops-graph',
      counts: overview.counts,
    });
    return render('ops/overview.njk', {
      pageTitle: 'Operations',
      stateMachineName: overview.stateMachineName,
      rows,
      totals,
      graphSvg,
      layoutIsCurrent: layoutMatches(overview.graph, layout),
      states: stateRows(overview.counts),
      transitions: transitionRows(),
    });
  },
};

/** How one history event reads in the timeline: what happened, and where. */
function eventView(event: { timestamp: Date; type: string; state?: string; error?: string; id: number }) {
  return {
    id: event.id,
    at: londonDateTime(event.timestamp),
    what: event.type.replace(/([a-z])([A-Z])/g, '$1 $2'),
    state: event.state ?? '',
    error: event.error ?? '',
  };
}

/** The execution's page, or the service's 404 page when there is none of that name. */
async function executionPage(
  request: { params: Record<string, string>; service: OpsWebService },
  template: string,
  extra: Record<string, unknown> = {},
  status = 200,
): Promise<PageResult> {
  let view: Awaited<ReturnType<typeof showExecution>>;
  try {
    view = await showExecution(request.service, request.params.name ?? '');
  } catch (error) {
    if (error instanceof NotFoundError) return notFound();
    throw error;
  }
  const { execution } = view;
  const row = rowView(execution);
  const graphSvg = drawStateMachine(layout, {
    title: `The way the execution for ${row.caseName} went through the ${view.stateMachineName} workflow`,
    description: `The states it went through are dark${
      execution.current ? `; it is ${row.failed ? 'stopped' : 'now'} at ${execution.current}` : ''
    }${execution.failedIn ? `; it failed at ${execution.failedIn}, drawn red` : ''}. The list after the graph gives every state it entered, in order.`,
    idPrefix: 'execution-graph',
    path: {
      states: execution.entered,
      transitions: execution.taken,
      ...(execution.current ? { current: execution.current } : {}),
      ...(execution.failedIn ? { failedIn: execution.failedIn } : {}),
    },
  });
  return render(
    template,
    {
      pageTitle: `Execution for ${row.caseName}`,
      stateMachineName: view.stateMachineName,
      execution: { ...row, redriveCount: execution.redriveCount, caseId: execution.caseId },
      summaryRows: summaryRows(row, execution.redriveCount),
      canResume: view.resumable,
      graphSvg,
      layoutIsCurrent: layoutMatches(view.graph, layout),
      path: view.history
        .filter((event) => event.type.endsWith('StateEntered') && event.state)
        .map((event) => ({ state: event.state, at: londonDateTime(event.timestamp) })),
      timeline: view.history.map(eventView),
      reasonMax: RESUME_REASON_MAX,
      ...extra,
    },
    status,
  );
}

/** GET /ops/executions/{name}: one execution's path through the graph, its history, and its failure. */
const executionDetailPage: Page<OpsWebService> = {
  method: 'GET',
  path: '/ops/executions/{name}',
  access: staffOnly('operator'),
  handle: (request) =>
    executionPage(request, 'ops/execution.njk', { resumed: request.query.get('resumed') === '1' }),
};

/** The reason field's errors, named for the field, or none. */
export function resumeReasonErrors(reason: string): { field: string; message: string }[] {
  if (!reason.trim()) return [{ field: 'reason', message: 'Enter why you are resuming this review' }];
  if (reason.length > RESUME_REASON_MAX) {
    return [{ field: 'reason', message: `The reason must be ${RESUME_REASON_MAX} characters or fewer` }];
  }
  return [];
}

/** GET /ops/executions/{name}/resume: are you sure, and why (the reason goes into the case's audit trail). */
const resumeConfirmPage: Page<OpsWebService> = {
  method: 'GET',
  path: '/ops/executions/{name}/resume',
  access: staffOnly('operator'),
  handle: (request) => executionPage(request, 'ops/resume.njk', { values: { reason: '' } }),
};

/** POST /ops/executions/{name}/resume: resumes the failed case from the step that failed, audited with the reason. */
const resumePage: Page<OpsWebService> = {
  method: 'POST',
  path: '/ops/executions/{name}/resume',
  access: staffOnly('operator'),
  async handle(request) {
    const reason = request.form.get('reason') ?? '';
    const again = (fields: readonly InvalidField[], status: number) =>
      executionPage(request, 'ops/resume.njk', { values: { reason }, errors: formErrors(fields) }, status);
    const problems = resumeReasonErrors(reason);
    if (problems.length > 0) return again(problems, 400);
    const caseId = caseIdOfExecution(request.params.name ?? '');
    try {
      await resumeFailedCase(request.service, {
        caseId,
        actor: staffActor(request.user!, 'operator'),
        reason,
      });
    } catch (error) {
      if (error instanceof InvalidInputError) return again(error.fields, 400);
      if (error instanceof NotFoundError) return notFound();
      if (error instanceof ConflictError) {
        return again(
          [{ field: 'reason', message: 'This review has not failed, or has been resumed already' }],
          409,
        );
      }
      throw error;
    }
    const record = await request.service.cases.getCase(caseId);
    const resumed = record ? executionNameOf(record) : (request.params.name ?? '');
    return redirect(`/ops/executions/${encodeURIComponent(resumed)}?resumed=1`);
  },
};

/** Every operations page, served by functions/ops-web through the OpsPages routes of shared/routes.ts. */
export const opsWebPages: Page<OpsWebService>[] = [
  overviewPage,
  executionDetailPage,
  resumeConfirmPage,
  resumePage,
];
