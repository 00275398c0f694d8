import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, functionCatalogue } from '../../functions/catalogue.ts';
import { type BuiltApp, buildApp } from '../../infra/build-app.ts';
import { isInvokedAsynchronously, type ServiceFunction } from '../../infra/constructs/service-function.ts';
import { nagPacks } from '../../infra/nag.ts';
import type { MonitoringStack } from '../../infra/stacks/monitoring-stack.ts';
import {
  buildTestApp,
  cdkJsonContext,
  cdkMessages,
  nagFindings,
  skipBundling,
  type TemplateJson,
} from './app-under-test.ts';

const EXAMPLE_PROFILE = new URL('../../infra/profiles/example.json', import.meta.url);

/** Every alarm of a template: its logical id and properties. */
function alarmsOf(template: Template): { id: string; properties: TemplateJson }[] {
  return Object.entries(template.findResources('AWS::CloudWatch::Alarm')).map(([id, resource]) => ({
    id,
    properties: resource.Properties,
  }));
}

/** The alarms on one metric (namespace and name) whose dimension `name` is `value` (as this stack's template writes it). */
function alarmsOn(
  template: Template,
  namespace: string,
  metricName: string,
  dimension?: { name: string; value: unknown },
): TemplateJson[] {
  return alarmsOf(template)
    .map((alarm) => alarm.properties)
    .filter(
      (properties) =>
        properties.Namespace === namespace &&
        properties.MetricName === metricName &&
        (!dimension ||
          (properties.Dimensions as { Name: string; Value: unknown }[]).some(
            (entry) =>
              entry.Name === dimension.name &&
              JSON.stringify(entry.Value) === JSON.stringify(dimension.value),
          )),
    );
}

describe('MonitoringStack', () => {
  let built: BuiltApp;
  let stack: MonitoringStack;
  let template: Template;
  let apiTemplate: Template;
  let topicRef: unknown;
  let allFunctions: Map<FunctionName, ServiceFunction>;

  beforeAll(() => {
    built = buildTestApp();
    stack = built.monitoringStack;
    template = Template.fromStack(stack);
    apiTemplate = Template.fromStack(built.apiStack);
    topicRef = stack.resolve(stack.alarmTopic.topicArn);
    allFunctions = new Map([
      ...built.apiStack.functions,
      ...built.workflowStack.functions,
      ...built.localReviewStack.functions,
    ]);
  });

  describe('who is told', () => {
    it('is one SNS topic, encrypted with a rotated key CloudWatch may use, refusing requests without TLS', () => {
      template.resourceCountIs('AWS::SNS::Topic', 1);
      const [topic] = Object.values(template.findResources('AWS::SNS::Topic'));
      const keyId = topic?.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
      template.hasResource('AWS::KMS::Key', {
        Properties: Match.objectLike({
          EnableKeyRotation: true,
          KeyPolicy: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Principal: { Service: 'cloudwatch.amazonaws.com' },
                Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              }),
            ]),
          },
        }),
      });
      expect(Object.keys(template.findResources('AWS::KMS::Key'))).toEqual([keyId]);
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '111111111111' } }),
            }),
          ]),
        },
      });
    });

    it('emails each of the profile’s operations.alarmEmails, and no one else', () => {
      const profile = JSON.parse(readFileSync(EXAMPLE_PROFILE, 'utf8'));
      const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription')).map(
        (resource) => resource.Properties,
      );

      expect(profile.operations.alarmEmails.length).toBeGreaterThan(0);
      expect(subscriptions).toEqual(
        profile.operations.alarmEmails.map((address: string) =>
          expect.objectContaining({ Protocol: 'email', Endpoint: address, TopicArn: topicRef }),
        ),
      );
    });

    it('subscribes no one when the profile names no one, and still raises every alarm', () => {
      const { operations: _ignored, ...profile } = JSON.parse(readFileSync(EXAMPLE_PROFILE, 'utf8'));
      const path = join(mkdtempSync(join(tmpdir(), 'monitoring-profile-')), 'profile.json');
      writeFileSync(path, JSON.stringify(profile));

      const quiet = Template.fromStack(buildTestApp({ profile: path }).monitoringStack);

      quiet.resourceCountIs('AWS::SNS::Subscription', 0);
      quiet.resourceCountIs('AWS::CloudWatch::Alarm', alarmsOf(template).length);
    });

    it('refuses a profile whose alarm email is not an email address, naming the field', () => {
      const profile = JSON.parse(readFileSync(EXAMPLE_PROFILE, 'utf8'));
      profile.operations = { alarmEmails: ['on-call.engineer@example.org', 'not an address'] };
      const path = join(mkdtempSync(join(tmpdir(), 'monitoring-profile-')), 'profile.json');
      writeFileSync(path, JSON.stringify(profile));

      expect(() => buildTestApp({ profile: path })).toThrow(/Context "profile".*operations\.alarmEmails/s);
    });

    it('sends every alarm to the topic when it fires and when it clears, on one or more in five minutes', () => {
      const alarms = alarmsOf(template);

      expect(alarms.length).toBeGreaterThan(Object.keys(functionCatalogue).length * 2);
      for (const { id, properties } of alarms) {
        expect(properties, id).toMatchObject({
          AlarmActions: [topicRef],
          OKActions: [topicRef],
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
          EvaluationPeriods: 1,
          TreatMissingData: 'notBreaching',
          Period: 300,
        });
        expect(String(properties.AlarmDescription).length, id).toBeGreaterThan(30);
        expect(String(properties.AlarmDescription), id).toMatch(/^[\x20-\x7e\xa0-\xff]+$/);
      }
    });
  });

  describe('alarms', () => {
    it('on executions failed, timed out, aborted and throttled, of the rapid-review state machine', () => {
      const stateMachineArn = stack.resolve(built.workflowStack.stateMachine.stateMachineArn);
      for (const metricName of [
        'ExecutionsFailed',
        'ExecutionsTimedOut',
        'ExecutionsAborted',
        'ExecutionThrottled',
      ]) {
        expect(
          alarmsOn(template, 'AWS/States', metricName, { name: 'StateMachineArn', value: stateMachineArn }),
          metricName,
        ).toEqual([expect.objectContaining({ Statistic: 'Sum' })]);
      }
    });

    it('on executions failed, timed out and aborted, of the local-review state machine', () => {
      const stateMachineArn = stack.resolve(built.localReviewStack.stateMachine.stateMachineArn);
      for (const metricName of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
        expect(
          alarmsOn(template, 'AWS/States', metricName, { name: 'StateMachineArn', value: stateMachineArn }),
          metricName,
        ).toEqual([expect.objectContaining({ Statistic: 'Sum' })]);
      }
    });

    it('each show on the dashboard, in status widgets of at most 100 alarms each', () => {
      const alarmCount = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length;
      const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
      // The body is a Fn::Join of its JSON and each alarm's Fn::GetAtt; split it at each widget.
      const body = JSON.stringify(dashboard?.Properties.DashboardBody);
      const widgets = body
        .split('\\"type\\":')
        .filter((widget) => widget.startsWith('\\"alarm\\"'))
        .map(
          (widget) => (widget.match(/"Fn::GetAtt":\["[A-Za-z0-9]+Alarm[A-Za-z0-9]*","Arn"\]/g) ?? []).length,
        );
      expect(alarmCount).toBeGreaterThan(100);
      expect(widgets.length).toBe(Math.ceil(alarmCount / 100));
      for (const shown of widgets) expect(shown).toBeLessThanOrEqual(100);
      expect(widgets.reduce((sum, shown) => sum + shown, 0)).toBe(alarmCount);
    });

    it('on errors and throttles of every function of the catalogue', () => {
      for (const name of Object.keys(functionCatalogue) as FunctionName[]) {
        const fn = allFunctions.get(name);
        expect(fn, name).toBeDefined();
        const functionName = { name: 'FunctionName', value: stack.resolve(fn?.function.functionName) };
        expect(alarmsOn(template, 'AWS/Lambda', 'Errors', functionName), `${name} errors`).toHaveLength(1);
        expect(alarmsOn(template, 'AWS/Lambda', 'Throttles', functionName), `${name} throttles`).toHaveLength(
          1,
        );
      }
    });

    it('on the HTTP API’s server errors', () => {
      const apiId = stack.resolve(built.apiStack.httpApi.apiId);
      expect(alarmsOn(template, 'AWS/ApiGateway', '5xx', { name: 'ApiId', value: apiId })).toEqual([
        expect.objectContaining({ Statistic: 'Sum' }),
      ]);
    });

    it('on any message visible in any dead-letter queue: the upload scan results’ and each asynchronous function’s', () => {
      const queues = [
        ...[...built.apiStack.uploadMalwareProtections.values()].map(
          (protection) => protection.scanResultDeadLetterQueue,
        ),
        ...[...allFunctions.values()].flatMap((fn) => (fn.deadLetterQueue ? [fn.deadLetterQueue] : [])),
      ];

      expect(queues.length).toBeGreaterThanOrEqual(3);
      for (const queue of queues) {
        expect(
          alarmsOn(template, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', {
            name: 'QueueName',
            value: stack.resolve(queue.queueName),
          }),
          queue.node.path,
        ).toEqual([expect.objectContaining({ Statistic: 'Maximum' })]);
      }
    });

    it('on bounced and complained-of email, counted by SES’s event destination on the configuration set', () => {
      const configurationSetName = stack.resolve(built.apiStack.configurationSet.configurationSetName);
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: configurationSetName,
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: Match.arrayWith(['send', 'delivery', 'bounce', 'complaint']),
          CloudWatchDestination: {
            DimensionConfigurations: [
              {
                DimensionName: 'ses:configuration-set',
                DimensionValueSource: 'messageTag',
                DefaultDimensionValue: 'none',
              },
            ],
          },
        },
      });
      for (const metricName of ['Bounce', 'Complaint']) {
        expect(
          alarmsOn(template, 'AWS/SES', metricName, {
            name: 'ses:configuration-set',
            value: configurationSetName,
          }),
          metricName,
        ).toHaveLength(1);
      }
    });
  });

  describe('dead-letter queues', () => {
    it('keep, for every function invoked asynchronously, what failed after Lambda’s retries, in an encrypted queue refusing requests without TLS', () => {
      const asynchronous = (Object.keys(functionCatalogue) as FunctionName[]).filter((name) =>
        isInvokedAsynchronously(functionCatalogue[name]),
      );
      expect(asynchronous).toEqual(expect.arrayContaining(['sweep-orphans', 'publish-review-gauges']));

      for (const name of asynchronous) {
        const fn = allFunctions.get(name) as ServiceFunction;
        const fnStack = Stack.of(fn);
        const fnTemplate = fnStack === built.apiStack ? apiTemplate : Template.fromStack(fnStack);
        const queueId = fnStack.getLogicalId(fn.deadLetterQueue?.node.defaultChild as never);
        const functionId = fnStack.getLogicalId(fn.function.node.defaultChild as never);

        expect(fnTemplate.toJSON().Resources[functionId].Properties.DeadLetterConfig, name).toEqual({
          TargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        });
        expect(fnTemplate.toJSON().Resources[queueId].Properties, name).toMatchObject({
          SqsManagedSseEnabled: true,
          MessageRetentionPeriod: 14 * 24 * 3600,
        });
        fnTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: queueId }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    it('give no function invoked synchronously (API, workflow, SQS-polled) a queue of its own', () => {
      for (const [name, fn] of allFunctions) {
        if (isInvokedAsynchronously(fn.spec)) continue;
        expect(fn.deadLetterQueue, name).toBeUndefined();
      }
    });

    it('keep the upload handler’s scan results it could not record, and those EventBridge could not queue', () => {
      for (const protection of built.apiStack.uploadMalwareProtections.values()) {
        const dlqId = built.apiStack.getLogicalId(
          protection.scanResultDeadLetterQueue.node.defaultChild as never,
        );
        const queueId = built.apiStack.getLogicalId(protection.scanResultQueue.node.defaultChild as never);
        expect(apiTemplate.toJSON().Resources[queueId].Properties.RedrivePolicy).toEqual({
          deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] },
          maxReceiveCount: 288,
        });
        expect(apiTemplate.toJSON().Resources[dlqId].Properties).toMatchObject({
          SqsManagedSseEnabled: true,
        });
        apiTemplate.hasResourceProperties('AWS::Events::Rule', {
          EventPattern: Match.objectLike({ source: ['aws.guardduty'] }),
          Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } } })],
        });
      }
    });

    it('take from each schedule what EventBridge could not deliver', () => {
      const scheduled = (Object.keys(functionCatalogue) as FunctionName[]).filter(
        (name) => functionCatalogue[name].trigger === 'schedule',
      );
      for (const name of scheduled) {
        const fn = allFunctions.get(name) as ServiceFunction;
        const functionId = built.apiStack.getLogicalId(fn.function.node.defaultChild as never);
        const queueId = built.apiStack.getLogicalId(fn.deadLetterQueue?.node.defaultChild as never);
        apiTemplate.hasResourceProperties('AWS::Events::Rule', {
          Targets: [
            Match.objectLike({
              Arn: { 'Fn::GetAtt': [functionId, 'Arn'] },
              DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
              RetryPolicy: { MaximumRetryAttempts: 2 },
            }),
          ],
        });
      }
    });
  });

  describe('the review gauges', () => {
    it('are published hourly by publish-review-gauges, which may only read the cases', () => {
      const fn = built.apiStack.functions.get('publish-review-gauges') as ServiceFunction;
      const functionId = built.apiStack.getLogicalId(fn.function.node.defaultChild as never);
      apiTemplate.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0 * * * ? *)',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] } })],
      });
    });
  });

  describe('the dashboard', () => {
    it('shows executions by status, reviews by step, deadlines due, Lambda errors and durations, emails sent and bounced', () => {
      const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
      const body = JSON.stringify(stack.resolve(dashboard?.Properties.DashboardBody));

      for (const title of [
        'Executions by status',
        'Open reviews by step',
        'Deadlines due in the next five working days',
        'Lambda errors',
        'Lambda duration',
        'Emails sent and bounced',
        'Alarms',
      ]) {
        expect(body, title).toContain(title);
      }
      for (const metric of [
        'ExecutionsStarted',
        'ExecutionsSucceeded',
        'ExecutionsFailed',
        'ExecutionsTimedOut',
        'ExecutionsAborted',
        'Errors',
        'Duration',
        'Send',
        'Bounce',
        'DeadlinesDueWithinFiveWorkingDays',
      ]) {
        expect(body, metric).toContain(`\\"${metric}\\"`);
      }
      // The business metrics another part of the service emits, found whatever their dimensions.
      for (const metric of [
        'ReviewsAtStep',
        'NotificationsReceived',
        'ReturnsReceived',
        'Escalations',
        'DecisionsRecorded',
        'PanelEmailsSent',
        'ReviewFailures',
      ]) {
        expect(body, metric).toMatch(
          new RegExp(`SEARCH\\('[^']*MetricName=\\\\\\\\\\\\"${metric}\\\\\\\\\\\\"`),
        );
      }
      expect(body).toContain("SEARCH('{SafeguardingReviews,Step}");
    });
  });

  it('raises no CDK warnings or errors', () => {
    expect(cdkMessages(stack)).toEqual([]);
  });
});

describe('cdk-nag: the AWS Solutions, NIST 800-53 rev 5 and Serverless packs', () => {
  it('run on every synth, and the whole app synthesises with every finding fixed or acknowledged', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'monitoring-nag-'));
    const { app } = buildApp({
      appProps: { outdir, context: { ...cdkJsonContext, ...skipBundling } },
      env: { account: '111111111111', region: 'eu-west-2' },
    });

    const assembly = app.synth();

    expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual([
      'SafeguardingReviews-dev-Api',
      'SafeguardingReviews-dev-Data',
      'SafeguardingReviews-dev-LocalReview',
      'SafeguardingReviews-dev-Monitoring',
      'SafeguardingReviews-dev-Workflow',
    ]);
  });

  it('leave no unacknowledged error or warning on any stack', () => {
    const built = buildTestApp();
    for (const stack of [built.dataStack, built.apiStack, built.workflowStack, built.monitoringStack]) {
      // Synthesis resolves the cross-stack names some acknowledgements are written against.
      Template.fromStack(stack);
      expect(nagFindings(stack, nagPacks(undefined, { verbose: true })), stack.stackName).toEqual([]);
    }
  });

  it('would report what each pack looks for, so the checks above can fail', () => {
    const probe = buildTestApp();
    const stack = new Stack(probe.app, 'Probe', { env: { account: '111111111111', region: 'eu-west-2' } });
    new sns.Topic(stack, 'PlainTopic');
    new lambda.Function(stack, 'PlainFunction', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = () => {};'),
    });

    const findings = nagFindings(stack, nagPacks(undefined));

    expect(findings).toContainEqual(expect.stringMatching(/^error AwsSolutions-SNS3 at Probe\/PlainTopic\//));
    expect(findings).toContainEqual(
      expect.stringMatching(/^error NIST\.800\.53\.R5-LambdaConcurrency at Probe\/PlainFunction\//),
    );
    expect(findings).toContainEqual(
      expect.stringMatching(/^error Serverless-LambdaDLQ at Probe\/PlainFunction\//),
    );
  });
});
