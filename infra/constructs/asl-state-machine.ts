import { Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { type FunctionName, functionArnPlaceholder } from '../../functions/catalogue.ts';
import { acknowledgeFindings } from '../nag.ts';
import {
  acknowledgeWildcardResource,
  constructIdOf,
  ServiceFunction,
  type ServiceFunctionProps,
} from './service-function.ts';

/** The functions a state machine invokes, each with its own least-privilege role, by catalogue name. */
export function workflowFunctions(
  scope: Construct,
  names: readonly FunctionName[],
  shared: Omit<ServiceFunctionProps, 'name'>,
): Map<FunctionName, ServiceFunction> {
  return new Map(
    names.map((name) => [name, new ServiceFunction(scope, constructIdOf(name), { name, ...shared })]),
  );
}

/** What a workflow's state machine is made of, besides the functions it invokes. */
export interface AslStateMachineProps {
  /** The construct ids' prefix: `<prefix>LogGroup`, `<prefix>StateMachine`. */
  readonly idPrefix: string;
  readonly stateMachineName: string;
  /** The ASL file: the only definition there is, loaded as it is. */
  readonly aslPath: string;
  readonly comment: string;
  readonly dataKey: kms.IKey;
  readonly functions: ReadonlyMap<FunctionName, ServiceFunction>;
  /** Placeholders beside the functions' ARNs (`${Name}` → value). */
  readonly moreSubstitutions?: Readonly<Record<string, string>>;
  /** Why it logs at ERROR level only (cdk-nag AwsSolutions-SF1). */
  readonly errorLevelReason: string;
  /** Why its role's grants are an inline policy (NIST.800.53.R5-IAMNoInlinePolicy). */
  readonly inlinePolicyReason: string;
}

/**
 * A workflow's Standard state machine from its ASL file, as both workflows have it: the ASL's
 * placeholders given each function's ARN; errors logged without execution data (which names
 * cases and people) to an encrypted vended-logs group (the name keeps Step Functions from adding
 * a CloudWatch Logs resource policy per group), kept three months; traced with X-Ray; allowed to
 * invoke its own functions only, with the findings that leaves acknowledged for their reasons.
 */
export function aslStateMachine(
  scope: Construct,
  props: AslStateMachineProps,
): { stateMachine: sfn.StateMachine; definitionSubstitutions: Record<string, string> } {
  const definitionSubstitutions = {
    ...Object.fromEntries(
      [...props.functions].map(([name, fn]) => [functionArnPlaceholder(name), fn.functionArn]),
    ),
    ...props.moreSubstitutions,
  };
  const logGroup = new logs.LogGroup(scope, `${props.idPrefix}LogGroup`, {
    logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
    retention: logs.RetentionDays.THREE_MONTHS,
    encryptionKey: props.dataKey,
  });
  const stateMachine = new sfn.StateMachine(scope, `${props.idPrefix}StateMachine`, {
    stateMachineName: props.stateMachineName,
    stateMachineType: sfn.StateMachineType.STANDARD,
    definitionBody: sfn.DefinitionBody.fromFile(props.aslPath),
    definitionSubstitutions,
    comment: props.comment,
    logs: { destination: logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
    tracingEnabled: true,
  });
  for (const fn of props.functions.values()) {
    fn.grantInvoke(stateMachine);
    acknowledgeWildcardResource(
      stateMachine.role,
      fn.functionArn,
      ':*',
      'grantInvoke covers the function and its versions and aliases (ARN:*), of these workflow functions only.',
    );
  }
  Validations.of(stateMachine.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'Step Functions log delivery (logs:CreateLogDelivery and the rest) and X-Ray tracing support no resource-level permissions; CDK adds exactly these for logging and tracing.',
  });
  acknowledgeFindings(stateMachine, ['AwsSolutions-SF1'], props.errorLevelReason);
  acknowledgeFindings(stateMachine.role, ['NIST.800.53.R5-IAMNoInlinePolicy'], props.inlinePolicyReason);
  return { stateMachine, definitionSubstitutions };
}
