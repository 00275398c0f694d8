import * as z from 'zod';
import type { StepFunctionsEngine } from './engine.ts';
import type { Operation } from './protocol.ts';
import { executionStatuses } from './store.ts';

/**
 * The Step Functions API subset the functions and the local tooling use, each request checked
 * by one zod schema (field names as in the AWS API reference; unknown fields are ignored).
 */

const arn = z.string().min(1).max(2048);
const maxResults = z.number().int().min(0).max(1000).optional();
const nextToken = z.string().min(1).max(1024).optional();
const taskToken = z.string().min(1).max(2048);

const startExecution = z.object({
  stateMachineArn: arn,
  name: z.string().optional(),
  input: z.string().optional(),
  traceHeader: z.string().optional(),
});
const executionArnOnly = z.object({ executionArn: arn });
const getExecutionHistory = z.object({
  executionArn: arn,
  maxResults,
  reverseOrder: z.boolean().optional(),
  nextToken,
  includeExecutionData: z.boolean().optional(),
});
const listExecutions = z.object({
  stateMachineArn: arn,
  statusFilter: z.enum(executionStatuses).optional(),
  maxResults,
  nextToken,
});
const stopExecution = z.object({
  executionArn: arn,
  error: z.string().max(256).optional(),
  cause: z.string().max(32768).optional(),
});
const sendTaskSuccess = z.object({ taskToken, output: z.string().max(256 * 1024) });
const sendTaskFailure = z.object({
  taskToken,
  error: z.string().max(256).optional(),
  cause: z.string().max(32768).optional(),
});
const sendTaskHeartbeat = z.object({ taskToken });
const stateMachineArnOnly = z.object({ stateMachineArn: arn });
const listStateMachines = z.object({ maxResults, nextToken });

/** Operation name (as in `X-Amz-Target: AWSStepFunctions.<name>`) → handler. */
export function stepFunctionsOperations(engine: StepFunctionsEngine): Record<string, Operation> {
  return {
    StartExecution: (body) => engine.startExecution(startExecution.parse(body)),
    DescribeExecution: (body) => engine.describeExecution(executionArnOnly.parse(body).executionArn),
    GetExecutionHistory: (body) => engine.getExecutionHistory(getExecutionHistory.parse(body)),
    ListExecutions: (body) => engine.listExecutions(listExecutions.parse(body)),
    StopExecution: (body) => engine.stopExecution(stopExecution.parse(body)),
    SendTaskSuccess: (body) => engine.sendTaskSuccess(sendTaskSuccess.parse(body)),
    SendTaskFailure: (body) => engine.sendTaskFailure(sendTaskFailure.parse(body)),
    SendTaskHeartbeat: (body) => engine.sendTaskHeartbeat(sendTaskHeartbeat.parse(body)),
    DescribeStateMachine: (body) =>
      engine.describeStateMachine(stateMachineArnOnly.parse(body).stateMachineArn),
    ListStateMachines: (body) => engine.listStateMachines(listStateMachines.parse(body)),
  };
}
