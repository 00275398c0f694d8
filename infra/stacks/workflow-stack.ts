import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { type FunctionName, functionArnPlaceholder, functionCatalogue } from '../../functions/catalogue.ts';
import {
  acknowledgeWildcardResource,
  constructIdOf,
  type EmailSending,
  type ServiceConfiguration,
  ServiceFunction,
} from '../constructs/service-function.ts';
import { acknowledgeFindings } from '../nag.ts';

/** The workflow definition: the only one there is (ARCHITECTURE §2), loaded as it is. */
export const RAPID_REVIEW_ASL_PATH = fileURLToPath(
  new URL('../../statemachines/rapid-review.asl.json', import.meta.url),
);

/** What the workflow stack is given by the data and API stacks and by the deployment's configuration. */
export interface WorkflowStackProps extends StackProps {
  readonly dataKey: kms.IKey;
  readonly caseTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
  readonly caseDocumentBucket: s3.IBucket;
  readonly agencySummaryUploadBucket: s3.IBucket;
  /** The SES identities and TLS-requiring configuration set the workflow's emails go through. */
  readonly email: EmailSending;
  readonly configuration: ServiceConfiguration;
  /**
   * The state machine's name. Other stacks (and the workflow's own functions) refer to the
   * machine by the ARN this name determines, not by a reference to the resource: a function
   * the machine invokes cannot also take the machine's ARN from it without a dependency cycle.
   */
  readonly rapidReviewStateMachineName: string;
}

/** The functions this stack runs: every one the catalogue says the state machine invokes. */
export const workflowFunctionNames = (Object.keys(functionCatalogue) as FunctionName[]).filter(
  (name) => functionCatalogue[name].trigger === 'workflow',
);

/**
 * The functions the rule on the state machine's execution status changes invokes: each records a
 * failed, timed-out or aborted execution on its case, even one no Catch saw.
 */
export const executionStatusFunctionNames = (Object.keys(functionCatalogue) as FunctionName[]).filter(
  (name) => functionCatalogue[name].trigger === 'execution-status',
);

/** The execution statuses the rule passes on: every way an execution ends without completing the review. */
export const FAULT_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'];

/**
 * The rapid-review state machine, defined by `statemachines/rapid-review.asl.json`, and the
 * Lambda functions it invokes, each with its own least-privilege role.
 */
export class WorkflowStack extends Stack {
  public readonly stateMachine: sfn.StateMachine;
  /** The workflow's functions by catalogue name, and the function the rule on execution status changes invokes. */
  public readonly functions: ReadonlyMap<FunctionName, ServiceFunction>;
  /** Sends every FAILED, TIMED_OUT or ABORTED execution of the state machine to record-execution-fault. */
  public readonly executionFaultRule: events.Rule;
  /** The `definitionSubstitutions` given to the ASL file: placeholder → function ARN. */
  public readonly definitionSubstitutions: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);

    const rapidReviewByName = sfn.StateMachine.fromStateMachineName(
      this,
      'RapidReviewStateMachineByName',
      props.rapidReviewStateMachineName,
    );
    const serviceFunction = (name: FunctionName) =>
      new ServiceFunction(this, constructIdOf(name), {
        name,
        dataKey: props.dataKey,
        configuration: props.configuration,
        resources: {
          caseTable: props.caseTable,
          auditTable: props.auditTable,
          caseDocumentBucket: props.caseDocumentBucket,
          agencySummaryUploadBucket: props.agencySummaryUploadBucket,
          email: props.email,
          rapidReviewStateMachine: rapidReviewByName,
        },
      });
    const functions = new Map<FunctionName, ServiceFunction>();
    for (const name of workflowFunctionNames) functions.set(name, serviceFunction(name));

    const definitionSubstitutions = Object.fromEntries(
      [...functions].map(([name, fn]) => [functionArnPlaceholder(name), fn.functionArn]),
    );

    // Vended-logs names keep Step Functions from adding a CloudWatch Logs resource policy per group.
    const logGroup = new logs.LogGroup(this, 'RapidReviewLogGroup', {
      logGroupName: `/aws/vendedlogs/states/${props.rapidReviewStateMachineName}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.dataKey,
    });

    const stateMachine = new sfn.StateMachine(this, 'RapidReviewStateMachine', {
      stateMachineName: props.rapidReviewStateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(RAPID_REVIEW_ASL_PATH),
      definitionSubstitutions,
      comment: 'Rapid Review of one serious incident notification; one execution per case, named by case id',
      // Errors only, and without execution data: the logs say which step failed and why, never a
      // payload (which names cases and people); the execution history keeps the rest for 90 days.
      logs: { destination: logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
      tracingEnabled: true,
    });
    for (const fn of functions.values()) {
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

    acknowledgeFindings(
      stateMachine,
      ['AwsSolutions-SF1'],
      'It logs at ERROR level on purpose: every failure with its cause, nothing of the steps that went well. Step Functions keeps each execution’s full history for 90 days, and the operations page reads it from there.',
    );
    acknowledgeFindings(
      stateMachine.role,
      ['NIST.800.53.R5-IAMNoInlinePolicy'],
      'The role is this state machine’s alone; CDK writes its grants (invoking its own functions, logging, tracing) as the role’s own policy. A managed policy would be no narrower.',
    );

    // Runtime errors no Catch sees (a bad path, a bad result selector), a failure whose own
    // recording failed, a timeout or a stop: the case records them all (ARCHITECTURE §2).
    const executionFaultRule = new events.Rule(this, 'RapidReviewExecutionFaultRule', {
      description:
        'Records on the case every rapid-review execution that failed, timed out or was aborted, even where no Catch saw it',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { stateMachineArn: [stateMachine.stateMachineArn], status: FAULT_STATUSES },
      },
    });
    const allFunctions = new Map(functions);
    for (const name of executionStatusFunctionNames) {
      const fn = serviceFunction(name);
      allFunctions.set(name, fn);
      // An event EventBridge could not deliver goes to the function's own dead-letter queue.
      executionFaultRule.addTarget(
        new eventTargets.LambdaFunction(fn.function, {
          retryAttempts: 4,
          deadLetterQueue: fn.deadLetterQueue,
        }),
      );
    }

    this.stateMachine = stateMachine;
    this.functions = allFunctions;
    this.executionFaultRule = executionFaultRule;
    this.definitionSubstitutions = definitionSubstitutions;

    new CfnOutput(this, 'RapidReviewStateMachineArn', { value: stateMachine.stateMachineArn });
  }
}
