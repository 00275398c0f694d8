import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type FunctionName,
  type FunctionSpec,
  functionArnPlaceholder,
  functionCatalogue,
} from '../../functions/catalogue.ts';
import type { BuiltApp } from '../../infra/build-app.ts';
import { RAPID_REVIEW_ASL_PATH, type WorkflowStack } from '../../infra/stacks/workflow-stack.ts';
import { envNames } from '../../shared/env.ts';
import {
  acknowledgementsIn,
  asString,
  buildTestApp,
  cdkMessages,
  logicalIdOf,
  nagFindings,
  policyStatements,
  type TemplateJson,
} from './app-under-test.ts';

const STATE_MACHINE_NAME = 'SafeguardingReviews-dev-RapidReview';
const STATE_MACHINE_ARN = `arn:aws:states:eu-west-2:111111111111:stateMachine:${STATE_MACHINE_NAME}`;

const workflowFunctionNames = (Object.keys(functionCatalogue) as FunctionName[]).filter(
  (name) => functionCatalogue[name].trigger === 'workflow',
);
/** Every function of the stack: the workflow's, and the one the rule on execution status changes invokes. */
const stackFunctionNames = (Object.keys(functionCatalogue) as FunctionName[]).filter(
  (name) =>
    functionCatalogue[name].trigger === 'workflow' || functionCatalogue[name].trigger === 'execution-status',
);

/** The placeholders `${...}` an ASL text uses. */
function placeholdersOf(asl: string): Set<string> {
  return new Set([...asl.matchAll(/\$\{([^}]*)\}/g)].map((match) => match[1] ?? ''));
}

/** Placeholders the ASL uses that CDK does not fill, and substitutions CDK passes that the ASL never uses. */
function substitutionMismatch(asl: string, substitutionKeys: readonly string[]) {
  const placeholders = placeholdersOf(asl);
  return {
    unfilledPlaceholders: [...placeholders].filter((name) => !substitutionKeys.includes(name)).sort(),
    unusedSubstitutions: substitutionKeys.filter((name) => !placeholders.has(name)).sort(),
  };
}

/** The environment variables a function's catalogue needs call for, written out independently of the construct. */
function expectedEnvironmentNames(spec: FunctionSpec): string[] {
  const { needs } = spec;
  return [
    ...(spec.trigger === 'upload-event' ? [] : [envNames.partnershipProfilePath]),
    envNames.publicBaseUrl,
    'NODE_OPTIONS',
    ...(needs.table ? [envNames.tableName, envNames.auditTableName] : []),
    ...(needs.documentBucket ? [envNames.documentBucket] : []),
    ...(needs.uploadBucket ? [envNames.uploadBucket] : []),
    ...(needs.email ? [envNames.sesConfigurationSet] : []),
    ...(needs.stateMachine ? [envNames.stateMachineArn] : []),
  ].sort();
}

describe('WorkflowStack', () => {
  let built: BuiltApp;
  let stack: WorkflowStack;
  let template: Template;
  let stateMachineProperties: Record<string, unknown> & { DefinitionSubstitutions: Record<string, unknown> };
  let stateMachineRoleId: string;
  let functionIds: Map<FunctionName, string>;
  /** The data stack's key ARN as this stack's template refers to it. */
  let dataKeyArn: unknown;

  beforeAll(() => {
    built = buildTestApp();
    stack = built.workflowStack;
    template = Template.fromStack(stack);
    const [properties] = Object.values(template.findResources('AWS::StepFunctions::StateMachine')).map(
      (resource) => resource.Properties,
    );
    stateMachineProperties = properties;
    stateMachineRoleId = logicalIdOf(stack.stateMachine.role);
    dataKeyArn = stack.resolve(built.dataStack.dataKey.keyArn);
    functionIds = new Map(
      [...stack.functions].map(([name, fn]) => [name, logicalIdOf(fn.function)] as [FunctionName, string]),
    );
  });

  function functionProperties(name: FunctionName): Record<string, TemplateJson> {
    const id = functionIds.get(name);
    if (!id) throw new Error(`No function ${name} in the workflow stack`);
    return template.toJSON().Resources[id].Properties;
  }

  describe('state machine', () => {
    it('is the one Standard state machine, named for the stage', () => {
      template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
      expect(stateMachineProperties).toMatchObject({
        StateMachineName: STATE_MACHINE_NAME,
        StateMachineType: 'STANDARD',
      });
    });

    it('is defined by statemachines/rapid-review.asl.json, byte for byte', () => {
      const { Key } = stateMachineProperties.DefinitionS3Location as { Key: string };
      const deployedDefinition = readFileSync(join(built.app.outdir, `asset.${Key}`), 'utf8');

      expect(stateMachineProperties.DefinitionString).toBeUndefined();
      expect(deployedDefinition).toBe(readFileSync(RAPID_REVIEW_ASL_PATH, 'utf8'));
    });

    it('logs errors only, without execution data, to a log group encrypted with the data key', () => {
      const logGroupId = Object.keys(
        template.findResources('AWS::Logs::LogGroup', {
          Properties: { LogGroupName: `/aws/vendedlogs/states/${STATE_MACHINE_NAME}` },
        }),
      )[0];

      expect(stateMachineProperties.LoggingConfiguration).toEqual({
        Level: 'ERROR',
        IncludeExecutionData: false,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
      });
      expect(template.toJSON().Resources[logGroupId as string].Properties).toMatchObject({
        KmsKeyId: dataKeyArn,
        RetentionInDays: 90,
      });
    });

    it('is traced with X-Ray', () => {
      expect(stateMachineProperties.TracingConfiguration).toEqual({ Enabled: true });
    });
  });

  describe('definition substitutions', () => {
    it('fill every placeholder of the ASL file, and the ASL file uses every one of them', () => {
      const asl = readFileSync(RAPID_REVIEW_ASL_PATH, 'utf8');
      const substitutionKeys = Object.keys(stateMachineProperties.DefinitionSubstitutions);

      expect(placeholdersOf(asl).size).toBeGreaterThan(0);
      expect(substitutionMismatch(asl, substitutionKeys)).toEqual({
        unfilledPlaceholders: [],
        unusedSubstitutions: [],
      });
    });

    it('would report a placeholder left unfilled and a substitution left unused', () => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ASL placeholders, not a template literal
      const asl = '{ "A": "${PlanTimetableFunctionArn}", "B": "${MisspeltFunctionArn}" }';

      expect(substitutionMismatch(asl, ['PlanTimetableFunctionArn', 'NotifyOutcomeFunctionArn'])).toEqual({
        unfilledPlaceholders: ['MisspeltFunctionArn'],
        unusedSubstitutions: ['NotifyOutcomeFunctionArn'],
      });
    });

    it("put each workflow function's ARN under its catalogue placeholder", () => {
      expect(Object.keys(stateMachineProperties.DefinitionSubstitutions).sort()).toEqual(
        workflowFunctionNames.map(functionArnPlaceholder).sort(),
      );
      for (const name of workflowFunctionNames) {
        expect(stateMachineProperties.DefinitionSubstitutions[functionArnPlaceholder(name)], name).toEqual({
          'Fn::GetAtt': [functionIds.get(name), 'Arn'],
        });
      }
    });
  });

  describe('functions', () => {
    it('keep their logs, as the state machine does, for 3 months, as the privacy notice says', () => {
      const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));

      expect(logGroups.length).toBeGreaterThan(workflowFunctionNames.length);
      expect(new Set(logGroups.map((group) => group.Properties.RetentionInDays))).toEqual(new Set([90]));
    });

    it('are the workflow functions of the catalogue and the execution fault recorder, and only those', () => {
      expect([...stack.functions.keys()].sort()).toEqual([...stackFunctionNames].sort());
      expect(stackFunctionNames).toContain('record-execution-fault');
      template.resourceCountIs('AWS::Lambda::Function', stackFunctionNames.length);
    });

    it('run Node.js 24 on arm64, traced, logging JSON to a log group of their own encrypted with the data key', () => {
      const logGroupIds = new Set<unknown>();
      for (const name of stackFunctionNames) {
        const properties = functionProperties(name);
        expect(properties, name).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogFormat: 'JSON' },
          KmsKeyArn: dataKeyArn,
          Timeout: (functionCatalogue[name] as FunctionSpec).timeoutSeconds ?? 30,
        });
        logGroupIds.add(JSON.stringify(properties.LoggingConfig.LogGroup));
      }
      expect(logGroupIds.size).toBe(stackFunctionNames.length);
      // One log group per function and one for the state machine, all encrypted with the data key.
      template.resourceCountIs('AWS::Logs::LogGroup', stackFunctionNames.length + 1);
      template.allResourcesProperties('AWS::Logs::LogGroup', { KmsKeyId: dataKeyArn });
    });

    it('each have a role of their own, shared with no other function', () => {
      const roles = stackFunctionNames.map((name) => JSON.stringify(functionProperties(name).Role));

      expect(new Set(roles).size).toBe(stackFunctionNames.length);
    });

    it('are told exactly the variables their catalogue needs call for', () => {
      for (const name of stackFunctionNames) {
        expect(Object.keys(functionProperties(name).Environment.Variables).sort(), name).toEqual(
          expectedEnvironmentNames(functionCatalogue[name]),
        );
      }
    });

    it('that use the state machine are told its ARN, which names the state machine this stack creates', () => {
      const users = stackFunctionNames.filter((name) => 'stateMachine' in functionCatalogue[name].needs);

      expect(users.length).toBeGreaterThan(0);
      for (const name of users) {
        expect(asString(functionProperties(name).Environment.Variables[envNames.stateMachineArn]), name).toBe(
          STATE_MACHINE_ARN,
        );
      }
    });

    it('let await-decision answer callback tasks and record-failure read executions, of this state machine only', () => {
      const statementsOf = (name: FunctionName) => {
        const role = (functionProperties(name).Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
        return policyStatements(template).filter((statement) => statement.roles.includes(role));
      };
      const stateMachineResources = (name: FunctionName, action: string) =>
        statementsOf(name)
          .filter((statement) => statement.actions.includes(action))
          .flatMap((statement) => statement.resources.map(asString));

      expect(stateMachineResources('await-decision', 'states:SendTaskSuccess')).toEqual([STATE_MACHINE_ARN]);
      expect(stateMachineResources('record-failure', 'states:DescribeExecution')).toEqual([
        `arn:aws:states:eu-west-2:111111111111:execution:${STATE_MACHINE_NAME}:*`,
      ]);
      expect(stateMachineResources('plan-timetable', 'states:SendTaskSuccess')).toEqual([]);
    });

    it('send every failed, timed-out or aborted execution of this state machine to record-execution-fault, by an EventBridge rule', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        State: 'ENABLED',
        EventPattern: {
          source: ['aws.states'],
          'detail-type': ['Step Functions Execution Status Change'],
          detail: {
            stateMachineArn: [{ Ref: logicalIdOf(stack.stateMachine) }],
            status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          },
        },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [functionIds.get('record-execution-fault'), 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 4 },
          }),
        ],
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionIds.get('record-execution-fault'), 'Arn'] },
        Principal: 'events.amazonaws.com',
      });
      template.resourceCountIs('AWS::Events::Rule', 1);
    });

    it('may be invoked by the state machine, which may invoke nothing else', () => {
      const invoked = policyStatements(template)
        .filter((statement) => statement.roles.includes(stateMachineRoleId))
        .filter((statement) => statement.actions.some((action) => action.startsWith('lambda:')))
        .flatMap((statement) => statement.resources);

      expect(invoked).toHaveLength(workflowFunctionNames.length * 2);
      for (const name of workflowFunctionNames) {
        const arn = { 'Fn::GetAtt': [functionIds.get(name), 'Arn'] };
        expect(invoked).toContainEqual(arn);
        expect(invoked).toContainEqual({ 'Fn::Join': ['', [arn, ':*']] });
      }
    });
  });

  describe('least privilege', () => {
    it('grants on resource "*" only what X-Ray tracing and Step Functions log delivery need', () => {
      const unavoidable = new Set([
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
      ]);
      const onAnything = policyStatements(template).filter((statement) => statement.resources.includes('*'));

      expect(onAnything.length).toBeGreaterThan(0);
      for (const statement of onAnything) {
        expect(
          statement.actions.filter((action) => !unavoidable.has(action)),
          statement.policy,
        ).toEqual([]);
      }
    });

    it('sends email only as the sender, through the TLS-requiring configuration set', () => {
      const sending = policyStatements(template).filter((statement) =>
        statement.actions.includes('ses:SendEmail'),
      );
      const senders = stackFunctionNames.filter((name) => 'email' in functionCatalogue[name].needs);
      const ses = 'arn:aws:ses:eu-west-2:111111111111';

      expect(new Set(sending.map((statement) => statement.policy)).size).toBe(senders.length);
      for (const statement of sending) {
        expect(statement.resources.map(asString).sort(), statement.policy).toEqual(
          [
            `${ses}:configuration-set/${asString(stack.resolve(built.apiStack.configurationSet.configurationSetName))}`,
            `${ses}:identity/${asString(stack.resolve(built.apiStack.senderDomainIdentity.emailIdentityName))}`,
            `${ses}:identity/rapid-reviews@example.org`,
          ].sort(),
        );
      }
    });
  });

  it('raises no CDK warnings or errors', () => {
    expect(cdkMessages(stack)).toEqual([]);
  });

  describe('cdk-nag (AwsSolutions)', () => {
    it('has no unacknowledged finding', () => {
      expect(nagFindings(stack)).toEqual([]);
    });

    it('would report a wildcard resource a function was given beyond its needs, so the check above can fail', () => {
      const probe = buildTestApp();
      const collateReport = probe.workflowStack.functions.get('collate-report');
      collateReport?.role.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::another-bucket/*'] }),
      );

      expect(() => Template.fromStack(probe.workflowStack)).toThrow(
        /AwsSolutions-IAM5\[Resource::arn:aws:s3:::another-bucket\/\*\]/,
      );
      expect(nagFindings(probe.workflowStack)).toEqual([
        expect.stringMatching(
          /^error AwsSolutions-IAM5\[Resource::arn:aws:s3:::another-bucket\/\*\] at .*\/CollateReport\/Role\/DefaultPolicy\//,
        ),
      ]);
    });

    it('carries a written reason with every acknowledgement, in the template as an audit trail', () => {
      const acknowledgements = acknowledgementsIn(template);

      expect(acknowledgements).toContainEqual(
        expect.objectContaining({
          id: expect.stringMatching(/^AwsSolutions-IAM5\[Resource::.*\/index\/\*\]$/),
        }),
      );
      expect(acknowledgements).toContainEqual(
        expect.objectContaining({
          logicalId: expect.stringMatching(/^RapidReviewStateMachineRoleDefaultPolicy/),
          id: 'AwsSolutions-IAM5[Resource::*]',
        }),
      );
      for (const { logicalId, id, reason } of acknowledgements) {
        expect(reason.trim().length, `reason for ${id} on ${logicalId}`).toBeGreaterThanOrEqual(20);
      }
    });
  });
});
