import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { type FunctionName, functionCatalogue } from '../../functions/catalogue.ts';
import { aslStateMachine, workflowFunctions } from '../constructs/asl-state-machine.ts';
import type { EmailSending, ServiceConfiguration, ServiceFunction } from '../constructs/service-function.ts';

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
    const sharedProps = {
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
    };
    const functions = workflowFunctions(this, workflowFunctionNames, sharedProps);
    const { stateMachine, definitionSubstitutions } = aslStateMachine(this, {
      idPrefix: 'RapidReview',
      stateMachineName: props.rapidReviewStateMachineName,
      aslPath: RAPID_REVIEW_ASL_PATH,
      comment: 'Rapid Review of one serious incident notification; one execution per case, named by case id',
      dataKey: props.dataKey,
      functions,
      errorLevelReason:
        'It logs at ERROR level on purpose: every failure with its cause, nothing of the steps that went well. Step Functions keeps each execution’s full history for 90 days, and the operations page reads it from there.',
      inlinePolicyReason:
        'The role is this state machine’s alone; CDK writes its grants (invoking its own functions, logging, tracing) as the role’s own policy. A managed policy would be no narrower.',
    });

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
    for (const [name, fn] of workflowFunctions(this, executionStatusFunctionNames, sharedProps)) {
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
