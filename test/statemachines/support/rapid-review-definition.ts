import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type FunctionName,
  functionArnPlaceholder,
  functionCatalogue,
} from '../../../functions/catalogue.ts';

/** The ASL file exactly as CDK and the local stack load it. */
export const rapidReviewAslPath = fileURLToPath(
  new URL('../../../statemachines/rapid-review.asl.json', import.meta.url),
);

export function readRapidReviewAsl(): string {
  return readFileSync(rapidReviewAslPath, 'utf8');
}

/** The fields of an ASL state these tests look at. */
export interface AslState {
  Type: string;
  Comment?: string;
  Resource?: string;
  Parameters?: { FunctionName?: string; Payload?: Record<string, unknown> } & Record<string, unknown>;
  ResultSelector?: Record<string, string>;
  ResultPath?: string | null;
  TimestampPath?: string;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Retry?: Array<{
    ErrorEquals: string[];
    IntervalSeconds?: number;
    MaxAttempts?: number;
    BackoffRate?: number;
    MaxDelaySeconds?: number;
    JitterStrategy?: string;
  }>;
  Catch?: Array<{ ErrorEquals: string[]; ResultPath?: string | null; Next: string }>;
  Choices?: Array<Record<string, unknown>>;
  Default?: string;
  Next?: string;
}

export interface AslDefinition {
  Comment?: string;
  StartAt: string;
  States: Record<string, AslState>;
}

export function parseRapidReviewAsl(): AslDefinition {
  return JSON.parse(readRapidReviewAsl()) as AslDefinition;
}

/** The workflow functions, the ones the state machine invokes. */
export const workflowFunctionNames = (Object.keys(functionCatalogue) as FunctionName[]).filter(
  (name) => functionCatalogue[name].trigger === 'workflow',
);

/** Invented ARNs for the local service, one per workflow function, keyed by ASL placeholder; the service hands the fakes the bare function name. */
export function fakeSubstitutions(): Record<string, string> {
  return Object.fromEntries(
    workflowFunctionNames.map((name) => [
      functionArnPlaceholder(name),
      `arn:aws:lambda:eu-west-2:000000000000:function:${name}`,
    ]),
  );
}
