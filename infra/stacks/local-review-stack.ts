import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
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

/** The local review's workflow definition (issue 13): the only one there is, loaded as it is. */
export const LOCAL_REVIEW_ASL_PATH = fileURLToPath(
  new URL('../../statemachines/local-review.asl.json', import.meta.url),
);

/** What the local review stack is given by the data and API stacks and by the deployment's configuration. */
export interface LocalReviewStackProps extends StackProps {
  readonly dataKey: kms.IKey;
  readonly caseTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
  readonly caseDocumentBucket: s3.IBucket;
  readonly agencySummaryUploadBucket: s3.IBucket;
  readonly email: EmailSending;
  readonly configuration: ServiceConfiguration;
  /**
   * The state machine's name: the API's functions and the machine itself (which starts the
   * watch over a review's minimum period of publication as an execution of its own) refer to it
   * by the ARN this name determines.
   */
  readonly localReviewStateMachineName: string;
}

/** The functions this stack runs: every one the catalogue says the local-review state machine invokes. */
export const localReviewWorkflowFunctionNames = (Object.keys(functionCatalogue) as FunctionName[]).filter(
  (name) => functionCatalogue[name].trigger === 'local-review-workflow',
);

/**
 * The local-review state machine, defined by `statemachines/local-review.asl.json`, and the
 * Lambda functions it invokes, each with its own least-privilege role: the Rapid Review's
 * workflow stack's pattern, for the second workflow.
 */
export class LocalReviewStack extends Stack {
  public readonly stateMachine: sfn.StateMachine;
  public readonly functions: ReadonlyMap<FunctionName, ServiceFunction>;
  /** The `definitionSubstitutions` given to the ASL file. */
  public readonly definitionSubstitutions: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: LocalReviewStackProps) {
    super(scope, id, props);

    const byName = sfn.StateMachine.fromStateMachineName(
      this,
      'LocalReviewStateMachineByName',
      props.localReviewStateMachineName,
    );
    const functions = new Map<FunctionName, ServiceFunction>();
    for (const name of localReviewWorkflowFunctionNames) {
      functions.set(
        name,
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
            localReviewStateMachine: byName,
          },
        }),
      );
    }

    const definitionSubstitutions = {
      ...Object.fromEntries(
        [...functions].map(([name, fn]) => [functionArnPlaceholder(name), fn.functionArn]),
      ),
      LocalReviewStateMachineArn: byName.stateMachineArn,
    };

    const logGroup = new logs.LogGroup(this, 'LocalReviewLogGroup', {
      logGroupName: `/aws/vendedlogs/states/${props.localReviewStateMachineName}`,
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.dataKey,
    });

    const stateMachine = new sfn.StateMachine(this, 'LocalReviewStateMachine', {
      stateMachineName: props.localReviewStateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromFile(LOCAL_REVIEW_ASL_PATH),
      definitionSubstitutions,
      comment:
        'Local Child Safeguarding Practice Review; one execution per review, named by its id, and one for its minimum period of publication',
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
    // The review's watch over its minimum period of publication: an execution of this same machine.
    stateMachine.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [byName.stateMachineArn] }),
    );
    Validations.of(stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Step Functions log delivery (logs:CreateLogDelivery and the rest) and X-Ray tracing support no resource-level permissions; CDK adds exactly these for logging and tracing.',
    });
    acknowledgeFindings(
      stateMachine,
      ['AwsSolutions-SF1'],
      'It logs at ERROR level on purpose, as the Rapid Review does: every failure with its cause, nothing of the steps that went well. Step Functions keeps each execution’s full history for 90 days.',
    );
    acknowledgeFindings(
      stateMachine.role,
      ['NIST.800.53.R5-IAMNoInlinePolicy'],
      'The role is this state machine’s alone; CDK writes its grants (invoking its own functions, starting its own watch, logging, tracing) as the role’s own policy. A managed policy would be no narrower.',
    );

    this.stateMachine = stateMachine;
    this.functions = functions;
    this.definitionSubstitutions = definitionSubstitutions;

    new CfnOutput(this, 'LocalReviewStateMachineArn', { value: stateMachine.stateMachineArn });
  }
}
