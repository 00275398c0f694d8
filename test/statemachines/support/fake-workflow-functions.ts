import type { Clock } from '../../../shared/clock.ts';
import type {
  ClimbLadderResult,
  PlanTimetableResult,
  ScheduleDecisionDeadlineResult,
} from '../../../shared/workflow/contracts.ts';

/** One invocation the state machine made, with the virtual time it happened at. */
export interface FunctionCall {
  functionName: string;
  /** What the task works on: the payload without the keys its log lines carry (`logKeys`). */
  payload: Record<string, unknown>;
  /** The execution's ARN and the state's name, which every task is handed for its log lines. */
  logKeys: { execution?: unknown; step?: unknown };
  at: Date;
}

/** How a fake answers: a result, or a thrown Error whose `name` is the error type Step Functions sees. */
export type FakeAnswer = (payload: Record<string, unknown>, call: FunctionCall) => unknown;

/** An Error named as a task function would throw it (`CaseNotFound`, `Lambda.TooManyRequestsException`). */
export function taskError(name: string, message = `${name} (invented for a test)`): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Throws `name` on the first `times` calls, then answers as `then` does. */
export function failing(
  name: string,
  times = Number.POSITIVE_INFINITY,
  then: FakeAnswer = () => ({}),
): FakeAnswer {
  let failures = 0;
  return (payload, call) => {
    if (failures < times) {
      failures++;
      throw taskError(name);
    }
    return then(payload, call);
  };
}

/** What the decision wait looks like on attempt `attempt`: Day 15 at close, then one more day per escalation. */
export function decisionDueAt(firstDueAt: string, attempt: number): string {
  return new Date(Date.parse(firstDueAt) + (attempt - 1) * 24 * 60 * 60 * 1000).toISOString();
}

/**
 * Stand-ins for the workflow functions of functions/catalogue.ts, answering as their contracts
 * (shared/workflow/contracts.ts) say: plan-timetable returns the given deadlines,
 * climb-ladder answers the next of the plan's rung times after now,
 * schedule-decision-deadline counts attempts and works out the timeout from the virtual clock,
 * every other task returns `{}`. A test replaces any answer with {@link answer}; every call is
 * recorded with the virtual time it was made.
 */
export class FakeWorkflowFunctions {
  readonly calls: FunctionCall[] = [];
  readonly #clock: Clock;
  readonly #answers = new Map<string, FakeAnswer>();

  constructor(
    clock: Clock,
    plan: { deadlines: PlanTimetableResult; rungTimes: readonly string[]; firstDecisionDueAt: string },
  ) {
    this.#clock = clock;
    this.#answers.set('plan-timetable', () => plan.deadlines);
    this.#answers.set('climb-ladder', (): ClimbLadderResult => {
      const now = this.#clock.now().getTime();
      const next = plan.rungTimes.find((at) => Date.parse(at) > now);
      return { nextRungAt: next ?? (plan.rungTimes.at(-1) as string), more: next !== undefined };
    });
    this.#answers.set('escalate-missing-decision', () => ({ outcome: 'escalated' }));
    this.#answers.set('schedule-decision-deadline', (payload): ScheduleDecisionDeadlineResult => {
      const attempt = Number(payload.previousAttempt) + 1;
      const dueAt = decisionDueAt(plan.firstDecisionDueAt, attempt);
      const timeoutSeconds = Math.max(1, Math.ceil((Date.parse(dueAt) - this.#clock.now().getTime()) / 1000));
      return { attempt, dueAt, timeoutSeconds };
    });
  }

  /** Makes `functionName` answer with `answer` from now on. */
  answer(functionName: string, answer: FakeAnswer): void {
    this.#answers.set(functionName, answer);
  }

  /** The `invokeFunction` the local Step Functions service calls. */
  readonly invoke = async (functionName: string, payload: unknown): Promise<unknown> => {
    const { execution, step, ...work } = structuredClone(payload) as Record<string, unknown>;
    const call: FunctionCall = {
      functionName,
      payload: work,
      logKeys: { execution, step },
      at: this.#clock.now(),
    };
    this.calls.push(call);
    const answer = this.#answers.get(functionName) ?? (() => ({}));
    return answer(call.payload, call);
  };

  /** The names of the functions called so far, in order. */
  names(): string[] {
    return this.calls.map((call) => call.functionName);
  }

  callsTo(functionName: string): FunctionCall[] {
    return this.calls.filter((call) => call.functionName === functionName);
  }

  /** The token of the latest await-decision call: what record-decision would read from the case. */
  latestDecisionToken(): string {
    const token = this.callsTo('await-decision').at(-1)?.payload.taskToken;
    if (typeof token !== 'string') throw new Error('await-decision has not been called with a task token');
    return token;
  }
}
