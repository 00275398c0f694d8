import { fileURLToPath } from 'node:url';
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { type FunctionName, functionCatalogue } from '../../functions/catalogue.ts';
import { aslStateMachine, workflowFunctions } from '../constructs/asl-state-machine.ts';
import type { EmailSending, ServiceConfiguration, ServiceFunction } from '../constructs/service-function.ts';

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
    const functions = workflowFunctions(this, localReviewWorkflowFunctionNames, {
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
    });
    const { stateMachine, definitionSubstitutions } = aslStateMachine(this, {
      idPrefix: 'LocalReview',
      stateMachineName: props.localReviewStateMachineName,
      aslPath: LOCAL_REVIEW_ASL_PATH,
      comment:
        'Local Child Safeguarding Practice Review; one execution per review, named by its id, and one for its minimum period of publication',
      dataKey: props.dataKey,
      functions,
      moreSubstitutions: { LocalReviewStateMachineArn: byName.stateMachineArn },
      errorLevelReason:
        'It logs at ERROR level on purpose, as the Rapid Review does: every failure with its cause, nothing of the steps that went well. Step Functions keeps each execution’s full history for 90 days.',
      inlinePolicyReason:
        'The role is this state machine’s alone; CDK writes its grants (invoking its own functions, starting its own watch, logging, tracing) as the role’s own policy. A managed policy would be no narrower.',
    });
    // The review's watch over its minimum period of publication: an execution of this same machine.
    stateMachine.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [byName.stateMachineArn] }),
    );

    this.stateMachine = stateMachine;
    this.functions = functions;
    this.definitionSubstitutions = definitionSubstitutions;

    new CfnOutput(this, 'LocalReviewStateMachineArn', { value: stateMachine.stateMachineArn });
  }
}
