import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  GetExecutionHistoryCommand,
  type HistoryEvent,
  ListExecutionsCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { requireEnv } from '../env.ts';
import { sfnClient } from './clients/sfn.ts';
import { executionArnFor } from './review-workflow.ts';

/**
 * The operations pages' view of the workflow's executions (issue 12 part 4), through the Step
 * Functions API only (ListExecutions, DescribeExecution, GetExecutionHistory,
 * DescribeStateMachine), so the pages show the same against AWS and the local stack. It never
 * starts, stops or completes anything.
 */
export interface WorkflowExecutions {
  /** The state machine as deployed: its name and its definition (ASL, substitutions made). */
  stateMachine(): Promise<{ name: string; definition: string }>;
  /** Every execution, newest first (at most `MAX_EXECUTIONS`). */
  list(): Promise<ExecutionListing[]>;
  /** One execution by its name; undefined when there is none of that name. */
  describe(name: string): Promise<ExecutionDetail | undefined>;
  /**
   * Its history, oldest first; `latest` reads only the most recent events (enough for where it
   * is now, where it failed and what it waits for), still returned oldest first.
   */
  history(name: string, options?: { latest?: number }): Promise<ExecutionEvent[]>;
}

export interface ExecutionListing {
  name: string;
  /** RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED or PENDING_REDRIVE. */
  status: string;
  startDate: Date;
  stopDate?: Date;
}

export interface ExecutionDetail extends ExecutionListing {
  /** The execution's input as JSON text (the case id; state carries ids and timestamps only). */
  input?: string;
  error?: string;
  cause?: string;
  redriveCount: number;
}

/** One history event, flattened from Step Functions' `…EventDetails`. */
export interface ExecutionEvent {
  id: number;
  timestamp: Date;
  type: string;
  /** The state entered or left (`…StateEntered`, `…StateExited`). */
  state?: string;
  /** A state's input as it entered (JSON text), read for what a Wait waits until. */
  input?: string;
  error?: string;
  cause?: string;
}

/** More executions than this are not listed: the page would be too long to use anyway. */
export const MAX_EXECUTIONS = 1000;
const MAX_HISTORY_PAGES = 50;

/** An event's `…EventDetails`, whichever its type (there is one per event type). */
function detailsOf(event: HistoryEvent): Record<string, unknown> {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') {
      return value as Record<string, unknown>;
    }
  }
  return {};
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

export function flattenEvent(event: HistoryEvent): ExecutionEvent {
  const details = detailsOf(event);
  const type = event.type ?? 'Unknown';
  const inState = type.endsWith('StateEntered') || type.endsWith('StateExited');
  const state = inState ? text(details.name) : undefined;
  const input = type.endsWith('StateEntered') ? text(details.input) : undefined;
  const error = text(details.error);
  const cause = text(details.cause);
  return {
    id: event.id ?? 0,
    timestamp: event.timestamp ?? new Date(0),
    type,
    ...(state ? { state } : {}),
    ...(input ? { input } : {}),
    ...(error ? { error } : {}),
    ...(cause ? { cause } : {}),
  };
}

/** The workflow's executions on Step Functions: the rapid-review state machine. */
export class StepFunctionsExecutions implements WorkflowExecutions {
  readonly #sfn: SFNClient;
  readonly #stateMachineArn: () => string;

  constructor(sfn: SFNClient, stateMachineArn: () => string) {
    this.#sfn = sfn;
    this.#stateMachineArn = stateMachineArn;
  }

  async stateMachine(): Promise<{ name: string; definition: string }> {
    const machine = await this.#sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: this.#stateMachineArn() }),
    );
    return { name: machine.name ?? '', definition: machine.definition ?? '{}' };
  }

  async list(): Promise<ExecutionListing[]> {
    const listed: ExecutionListing[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.#sfn.send(
        new ListExecutionsCommand({ stateMachineArn: this.#stateMachineArn(), maxResults: 100, nextToken }),
      );
      for (const execution of page.executions ?? []) {
        listed.push({
          name: execution.name ?? '',
          status: execution.status ?? 'UNKNOWN',
          startDate: execution.startDate ?? new Date(0),
          ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
        });
      }
      nextToken = page.nextToken;
    } while (nextToken && listed.length < MAX_EXECUTIONS);
    return listed.slice(0, MAX_EXECUTIONS);
  }

  async describe(name: string): Promise<ExecutionDetail | undefined> {
    try {
      const execution = await this.#sfn.send(
        new DescribeExecutionCommand({ executionArn: executionArnFor(this.#stateMachineArn(), name) }),
      );
      return {
        name: execution.name ?? name,
        status: execution.status ?? 'UNKNOWN',
        startDate: execution.startDate ?? new Date(0),
        ...(execution.stopDate ? { stopDate: execution.stopDate } : {}),
        ...(execution.input ? { input: execution.input } : {}),
        ...(execution.error ? { error: execution.error } : {}),
        ...(execution.cause ? { cause: execution.cause } : {}),
        redriveCount: execution.redriveCount ?? 0,
      };
    } catch (error) {
      if ((error as Error).name === 'ExecutionDoesNotExist' || (error as Error).name === 'InvalidArn') {
        return undefined;
      }
      throw error;
    }
  }

  async history(name: string, options: { latest?: number } = {}): Promise<ExecutionEvent[]> {
    const executionArn = executionArnFor(this.#stateMachineArn(), name);
    const events: ExecutionEvent[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
      const answer = await this.#sfn.send(
        new GetExecutionHistoryCommand({
          executionArn,
          reverseOrder: options.latest !== undefined,
          maxResults: options.latest ?? 1000,
          // With the data: a Wait's input says until when it waits. State carries ids and
          // timestamps only (see the ASL's comment); the pages never show it.
          includeExecutionData: true,
          nextToken,
        }),
      );
      events.push(...(answer.events ?? []).map(flattenEvent));
      nextToken = answer.nextToken;
      if (!nextToken || options.latest !== undefined) break;
    }
    return options.latest !== undefined ? events.reverse() : events;
  }
}

let executions: WorkflowExecutions | undefined;

/** The executions of the state machine the environment names, read once per container. */
export function workflowExecutionsFromEnvironment(): WorkflowExecutions {
  executions ??= new StepFunctionsExecutions(sfnClient(), () => requireEnv('stateMachineArn'));
  return executions;
}
