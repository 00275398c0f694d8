import type { ExecutionDetail, ExecutionEvent, WorkflowExecutions } from '../adapters/workflow-executions.ts';
import { NotFoundError } from '../errors.ts';
import type { Service } from '../service.ts';
import {
  type ExecutionReading,
  isFailedStatus,
  readExecution,
  type StateCount,
} from '../workflow/execution-history.ts';
import { caseIdOfExecution, executionNameOf } from '../workflow/execution-name.ts';
import {
  type AslDefinition,
  type StateMachineGraph,
  stateMachineGraph,
} from '../workflow/state-machine-graph.ts';

/**
 * The operations pages' use cases (issue 12 part 4): every execution of the workflow with where
 * it is, and one execution's way through it. Read through the Step Functions API only; the case
 * store gives each execution's case reference, never anything about the child.
 */

/**
 * The case store, and the workflow's executions: a port only the operations pages' function has
 * (functions/ops-web), so it is not one of every Service's.
 */
export type OperationsService = Pick<Service, 'cases'> & { readonly executions: WorkflowExecutions };

/** One execution as the list shows it. */
export interface ExecutionRow extends ExecutionReading {
  name: string;
  status: string;
  startDate: Date;
  stopDate?: Date;
  /** The case it runs for (its name is the case id), and the case's reference when the case exists. */
  caseId: string;
  reference?: string;
  /** A later execution of the same case exists (it was resumed): this one is history. */
  resumedSince?: true;
}

export interface OperationsOverview {
  /** The state machine's name as deployed. */
  stateMachineName: string;
  /** Its graph, read from the definition as deployed. */
  graph: StateMachineGraph;
  /** Failed ones first, then running, then the rest; newest first within each. */
  executions: ExecutionRow[];
  /** By state: how many executions are in it now. */
  counts: Map<string, StateCount>;
}

export interface ExecutionDetailView {
  stateMachineName: string;
  graph: StateMachineGraph;
  execution: ExecutionRow & Pick<ExecutionDetail, 'redriveCount'>;
  /** The case failed in this execution, its latest, and has not been resumed: an operator may resume it. */
  resumable: boolean;
  /** Every event of its history, oldest first. */
  history: ExecutionEvent[];
}

/** Histories read at once while listing, so a long list does not flood the API. */
const CONCURRENT_READS = 8;
/** The latest events of a history are enough to say where an execution is and why it failed. */
const LATEST_EVENTS = 100;

/** Failures not yet resumed first, then running ones, then the rest. */
const rank = (row: ExecutionRow) =>
  isFailedStatus(row.status) && !row.resumedSince ? 0 : row.status === 'RUNNING' ? 1 : 2;

/**
 * Where each execution is now, counted by state: running, failed (where it failed), or ended.
 * An execution resumed since is not counted: its case is counted where its latest execution is.
 */
export function countByState(rows: readonly ExecutionRow[]): Map<string, StateCount> {
  const counts = new Map<string, StateCount>();
  const at = (state: string) => {
    const count = counts.get(state) ?? { running: 0, failed: 0, ended: 0 };
    counts.set(state, count);
    return count;
  };
  for (const row of rows) {
    if (row.resumedSince) continue;
    if (isFailedStatus(row.status)) {
      const state = row.failedIn ?? row.current;
      if (state) at(state).failed++;
    } else if (row.current) {
      if (row.status === 'SUCCEEDED') at(row.current).ended++;
      else at(row.current).running++;
    }
  }
  return counts;
}

async function inBatches<T, R>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  }
  return results;
}

async function deployedMachine(service: OperationsService) {
  const machine = await service.executions.stateMachine();
  const definition = JSON.parse(machine.definition) as AslDefinition;
  return { name: machine.name, definition, graph: stateMachineGraph(definition) };
}

/** The case id an execution runs for: the `caseId` of its input, or else from its name. */
function caseIdOf(name: string, input: string | undefined): string {
  try {
    const parsed = input ? (JSON.parse(input) as { caseId?: unknown }) : undefined;
    if (typeof parsed?.caseId === 'string') return parsed.caseId;
  } catch {
    // Not JSON: the name tells.
  }
  return caseIdOfExecution(name);
}

/** Every execution of the workflow, failures first, with where each is and the counts by state. */
export async function showOperations(service: OperationsService): Promise<OperationsOverview> {
  const [machine, listed, cases] = await Promise.all([
    deployedMachine(service),
    service.executions.list(),
    service.cases.listCases(),
  ]);
  const references = new Map(cases.map((record) => [record.caseId, record.reference]));
  const rows = await inBatches(listed, CONCURRENT_READS, async (execution): Promise<ExecutionRow> => {
    const events = await service.executions.history(execution.name, { latest: LATEST_EVENTS });
    const reading = readExecution(execution.status, events, machine.definition, machine.graph.transitions);
    const caseId = caseIdOfExecution(execution.name);
    const reference = references.get(caseId);
    return { ...execution, ...reading, caseId, ...(reference ? { reference } : {}) };
  });
  const latest = new Map<string, ExecutionRow>();
  for (const row of rows) {
    const seen = latest.get(row.caseId);
    if (!seen || row.startDate > seen.startDate) latest.set(row.caseId, row);
  }
  for (const row of rows) if (latest.get(row.caseId) !== row) row.resumedSince = true;
  rows.sort(
    (a, b) =>
      rank(a) - rank(b) || b.startDate.getTime() - a.startDate.getTime() || a.name.localeCompare(b.name),
  );
  return {
    stateMachineName: machine.name,
    graph: machine.graph,
    executions: rows,
    counts: countByState(rows),
  };
}

/** One execution: its whole history read against the graph; NotFoundError when there is none of that name. */
export async function showExecution(service: OperationsService, name: string): Promise<ExecutionDetailView> {
  const [machine, execution] = await Promise.all([
    deployedMachine(service),
    service.executions.describe(name),
  ]);
  if (!execution) throw new NotFoundError(`No execution named ${name}`);
  const history = await service.executions.history(name);
  const reading = readExecution(execution.status, history, machine.definition, machine.graph.transitions);
  const caseId = caseIdOf(execution.name, execution.input);
  const record = await service.cases.getCase(caseId);
  return {
    stateMachineName: machine.name,
    graph: machine.graph,
    resumable:
      isFailedStatus(execution.status) &&
      record?.failure !== undefined &&
      executionNameOf(record) === execution.name,
    execution: {
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
      redriveCount: execution.redriveCount,
      ...reading,
      caseId,
      ...(record ? { reference: record.reference } : {}),
    },
    history,
  };
}
