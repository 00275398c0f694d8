import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, functionCatalogue } from '../../functions/catalogue.ts';
import type { BuiltApp } from '../../infra/build-app.ts';
import type { ApiStack } from '../../infra/stacks/api-stack.ts';
import { agencyUploadKey, parseAgencyUploadKey } from '../../shared/agency-links.ts';
import { envNames } from '../../shared/env.ts';
import { type Route, routes } from '../../shared/routes.ts';
import { staffRole } from '../../shared/schemas/roles.ts';
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

const STATE_MACHINE_ARN =
  'arn:aws:states:eu-west-2:111111111111:stateMachine:SafeguardingReviews-dev-RapidReview';
const apiFunctionNames = (Object.keys(functionCatalogue) as FunctionName[]).filter(
  (name) =>
    functionCatalogue[name].trigger !== 'workflow' &&
    functionCatalogue[name].trigger !== 'local-review-workflow' &&
    functionCatalogue[name].trigger !== 'execution-status',
);
const staffRoutes = (routes as readonly Route[]).filter((route) => route.access.kind === 'staff');
const capabilityRoutes = (routes as readonly Route[]).filter(
  (route) => route.access.kind === 'capability-link',
);
const webRoutes = (routes as readonly Route[]).filter((route) => route.access.kind === 'web');

/** A profile file in a fresh temporary folder, for the deployment settings tests. */
function writeProfile(content: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'partnership-profile-')), 'profile.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

const exampleProfile = JSON.parse(
  readFileSync(new URL('../../infra/profiles/example.json', import.meta.url), 'utf8'),
);

describe('ApiStack', () => {
  let built: BuiltApp;
  let stack: ApiStack;
  let template: Template;
  let resources: Record<string, { Type: string; Properties: Record<string, TemplateJson> }>;
  let functionIds: Map<FunctionName, string>;

  beforeAll(() => {
    built = buildTestApp();
    stack = built.apiStack;
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources;
    functionIds = new Map(
      [...stack.functions].map(([name, fn]) => [name, logicalIdOf(fn.function)] as [FunctionName, string]),
    );
  });

  function functionProperties(name: FunctionName): Record<string, TemplateJson> {
    const id = functionIds.get(name);
    if (!id) throw new Error(`No function ${name} in the API stack`);
    return resources[id]?.Properties ?? {};
  }

  function routeFor(route: Route): Record<string, TemplateJson> {
    const found = Object.values(
      template.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: `${route.method} ${route.path}` },
      }),
    );
    expect(found, `${route.method} ${route.path}`).toHaveLength(1);
    return found[0]?.Properties ?? {};
  }

  describe('routes', () => {
    it('are the routes of shared/routes.ts, and no other', () => {
      const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
        (resource) => resource.Properties.RouteKey,
      );

      expect(routeKeys.sort()).toEqual(routes.map((route) => `${route.method} ${route.path}`).sort());
    });

    it('put staff routes behind the Cognito JWT authorizer', () => {
      const [authorizerId] = Object.keys(template.findResources('AWS::ApiGatewayV2::Authorizer'));

      expect(staffRoutes.length).toBeGreaterThan(0);
      for (const route of staffRoutes) {
        expect(routeFor(route), route.id).toMatchObject({
          AuthorizationType: 'JWT',
          AuthorizerId: { Ref: authorizerId },
        });
      }
    });

    it('leave capability-link routes open: the token in the path is the authorisation', () => {
      expect(capabilityRoutes.length).toBeGreaterThan(0);
      for (const route of capabilityRoutes) {
        const properties = routeFor(route);
        expect(properties.AuthorizationType, route.id).toBe('NONE');
        expect(properties.AuthorizerId, route.id).toBeUndefined();
      }
    });

    it('leave the web pages open: the web function signs people in and checks its session itself', () => {
      expect(webRoutes.length).toBeGreaterThan(0);
      for (const route of webRoutes) {
        const properties = routeFor(route);
        expect(properties.AuthorizationType, route.id).toBe('NONE');
        expect(properties.AuthorizerId, route.id).toBeUndefined();
      }
    });

    it('each reach the function the route table names', () => {
      for (const route of routes as readonly Route[]) {
        const target = asString(routeFor(route).Target);
        const integrationId = /^integrations\/\{"Ref":"([^"]+)"\}$/.exec(target)?.[1];
        const integration = resources[integrationId ?? '']?.Properties;

        expect(integration?.IntegrationUri, route.id).toEqual({
          'Fn::GetAtt': [functionIds.get(route.functionName as FunctionName), 'Arn'],
        });
        expect(integration?.PayloadFormatVersion, route.id).toBe('2.0');
      }
    });
  });

  describe('staff sign-in', () => {
    it('accepts only tokens the staff user pool issued to its app client', () => {
      const userPoolId = logicalIdOf(stack.userPool);
      const clientId = logicalIdOf(stack.userPoolClient);

      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: clientId }],
          Issuer: { 'Fn::Join': ['', ['https://cognito-idp.eu-west-2.amazonaws.com/', { Ref: userPoolId }]] },
        },
      });
    });

    it('has a group for each staff role, and nothing else grants a role', () => {
      const groups = Object.values(template.findResources('AWS::Cognito::UserPoolGroup')).map(
        (resource) => resource.Properties.GroupName,
      );

      expect(groups.sort()).toEqual([...staffRole.options].sort());
    });

    it('requires MFA, strong passwords and an account the partnership team created', () => {
      template.hasResource('AWS::Cognito::UserPool', {
        Properties: Match.objectLike({
          MfaConfiguration: 'ON',
          EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
          AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
          Policies: {
            PasswordPolicy: Match.objectLike({
              MinimumLength: 14,
              RequireLowercase: true,
              RequireUppercase: true,
              RequireNumbers: true,
              RequireSymbols: true,
            }),
          },
          UserPoolTier: 'PLUS',
          DeletionProtection: 'ACTIVE',
        }),
        DeletionPolicy: 'Retain',
      });
    });
  });

  describe('stage', () => {
    it('throttles every route and logs every request to an encrypted log group', () => {
      const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
      const logGroupId = /"Fn::GetAtt":\["([^"]+)"/.exec(
        JSON.stringify(stage?.Properties.AccessLogSettings),
      )?.[1];

      expect(stage?.Properties).toMatchObject({
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50 },
      });
      expect(resources[logGroupId ?? '']?.Properties).toMatchObject({
        KmsKeyId: stack.resolve(built.dataStack.dataKey.keyArn),
      });
    });

    it('logs route keys, never paths, which carry agencies’ capability tokens', () => {
      const [stage] = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'));
      const format = JSON.parse(stage?.Properties.AccessLogSettings.Format);

      expect(format).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey' });
      expect(JSON.stringify(format)).not.toMatch(/\$context\.(path|resourcePath)|\$request/);
    });

    it('keeps every log group, the access log and each function’s, for 3 months, as the privacy notice says', () => {
      const logGroups = Object.values(template.findResources('AWS::Logs::LogGroup'));

      expect(logGroups.length).toBeGreaterThan(apiFunctionNames.length);
      expect(new Set(logGroups.map((group) => group.Properties.RetentionInDays))).toEqual(new Set([90]));
    });

    it('outputs the API URL', () => {
      template.hasOutput('ApiUrl', { Value: { 'Fn::GetAtt': [logicalIdOf(stack.httpApi), 'ApiEndpoint'] } });
    });
  });

  describe('email', () => {
    it('requires TLS for every email sent through the configuration set', () => {
      template.resourceCountIs('AWS::SES::ConfigurationSet', 1);
      template.hasResourceProperties('AWS::SES::ConfigurationSet', {
        DeliveryOptions: { TlsPolicy: 'REQUIRE' },
      });
    });

    it("verifies the sender's domain from the partnership profile, sending through the configuration set", () => {
      template.hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'example.org',
        ConfigurationSetAttributes: { ConfigurationSetName: { Ref: logicalIdOf(stack.configurationSet) } },
      });
    });
  });

  describe('agency uploads', () => {
    const uploadBucketArn = () => stack.resolve(built.dataStack.agencySummaryUploadBucket.bucketArn);
    const scanRoleId = () =>
      logicalIdOf(
        stack.node
          .findAll()
          .find((c) => c.node.path.endsWith('AgencySummaryUploadMalwareProtection/ScanRole'))!,
      );

    it('are scanned by GuardDuty Malware Protection for S3, under the upload prefix, with its own role', () => {
      template.resourceCountIs('AWS::GuardDuty::MalwareProtectionPlan', 1);
      template.hasResourceProperties('AWS::GuardDuty::MalwareProtectionPlan', {
        ProtectedResource: {
          S3Bucket: {
            BucketName: stack.resolve(built.dataStack.agencySummaryUploadBucket.bucketName),
            ObjectPrefixes: ['uploads/'],
          },
        },
        Role: { 'Fn::GetAtt': [scanRoleId(), 'Arn'] },
        Actions: { Tagging: { Status: 'ENABLED' } },
      });
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: { Service: 'malware-protection-plan.guardduty.amazonaws.com' },
            },
          ],
        },
      });
    });

    it("call record-summary with GuardDuty's scan results for the upload bucket, not the bucket's own notification", () => {
      template.resourceCountIs('Custom::S3BucketNotifications', 0);
      const rules = template.findResources('AWS::Events::Rule', {
        Properties: { EventPattern: { source: ['aws.guardduty'] } },
      });
      expect(Object.values(rules)).toHaveLength(1);
      const rule = Object.values(rules)[0]?.Properties as Record<string, TemplateJson>;
      expect(rule.EventPattern).toEqual({
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Malware Protection Object Scan Result'],
        detail: {
          s3ObjectDetails: {
            bucketName: [stack.resolve(built.dataStack.agencySummaryUploadBucket.bucketName)],
            objectKey: [{ prefix: 'uploads/' }],
          },
        },
      });
      // Through a queue, so a result that cannot be recorded yet waits and is delivered again.
      const queues = template.findResources('AWS::SQS::Queue', {
        Properties: { RedrivePolicy: Match.objectLike({ maxReceiveCount: 288 }) },
      });
      expect(Object.keys(queues)).toHaveLength(1);
      const queueId = Object.keys(queues)[0] as string;
      expect(rule.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } })]);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
        FunctionName: { Ref: functionIds.get('record-summary') },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    });

    it('keep a scan result that could not be recorded: redelivered for a day, then 14 days in a dead-letter queue', () => {
      const [queue] = Object.values(
        template.findResources('AWS::SQS::Queue', {
          Properties: { RedrivePolicy: Match.objectLike({ maxReceiveCount: 288 }) },
        }),
      );
      const properties = queue?.Properties as Record<string, TemplateJson>;
      expect(properties.VisibilityTimeout).toBe(300);
      const deadLetterId = (properties.RedrivePolicy as { deadLetterTargetArn: { 'Fn::GetAtt': string[] } })
        .deadLetterTargetArn['Fn::GetAtt'][0] as string;
      const deadLetter = template.toJSON().Resources[deadLetterId] as {
        Properties: Record<string, TemplateJson>;
      };
      expect(deadLetter.Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(deadLetter.Properties.SqsManagedSseEnabled).toBe(true);
      expect(properties.SqsManagedSseEnabled).toBe(true);
    });

    it("give GuardDuty's role only what scanning needs: the uploads, its own rule, the key through S3", () => {
      const statements = Object.values(template.findResources('AWS::IAM::Policy'))
        .filter((policy) =>
          (policy.Properties.Roles as { Ref: string }[]).some((role) => role.Ref === scanRoleId()),
        )
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Record<string, TemplateJson>[]);
      const bySid = Object.fromEntries(statements.map((statement) => [statement.Sid, statement]));

      expect(Object.keys(bySid).sort()).toEqual([
        'EnableEventBridgeOnTheUploadBucket',
        'ManageOnlyItsOwnEventBridgeRule',
        'ReadAndTagUploads',
        'ReadItsOwnEventBridgeRule',
        'UseTheBucketKeyOnlyThroughS3',
        'WriteTheValidationObject',
      ]);
      expect(bySid.ReadAndTagUploads.Resource).toEqual({
        'Fn::Join': ['', [uploadBucketArn(), '/uploads/*']],
      });
      expect([bySid.ReadAndTagUploads.Action].flat()).not.toContain('s3:DeleteObject');
      expect(bySid.WriteTheValidationObject.Resource).toEqual({
        'Fn::Join': ['', [uploadBucketArn(), '/malware-protection-resource-validation-object']],
      });
      expect(bySid.EnableEventBridgeOnTheUploadBucket.Resource).toEqual(uploadBucketArn());
      expect(asString(bySid.ManageOnlyItsOwnEventBridgeRule.Resource)).toBe(
        'arn:aws:events:eu-west-2:111111111111:rule/DO-NOT-DELETE-AmazonGuardDutyMalwareProtectionS3*',
      );
      expect(bySid.ManageOnlyItsOwnEventBridgeRule.Condition).toEqual({
        StringLike: { 'events:ManagedBy': 'malware-protection-plan.guardduty.amazonaws.com' },
      });
      expect(bySid.UseTheBucketKeyOnlyThroughS3.Resource).toEqual(
        stack.resolve(built.dataStack.dataKey.keyArn),
      );
      expect(asString(bySid.UseTheBucketKeyOnlyThroughS3.Condition.StringLike['kms:ViaService'])).toBe(
        's3.eu-west-2.amazonaws.com',
      );
    });

    it('let record-summary delete upload versions only under the upload prefix, and file accepted ones with the case documents', () => {
      const role = functionProperties('record-summary').Role['Fn::GetAtt'][0];
      const own = policyStatements(template).filter((statement) => statement.roles.includes(role));
      const deletes = own.filter((statement) =>
        statement.actions.some((action) => action.startsWith('s3:DeleteObject')),
      );
      const puts = own.filter((statement) => statement.actions.includes('s3:PutObject'));

      // Every object the role may delete in the upload bucket is under the prefix, never the whole bucket.
      const uploadObjects = deletes
        .flatMap((statement) => statement.resources)
        .filter((resource) => JSON.stringify(resource).includes('AgencySummaryUploadBucket'))
        .filter((resource) => typeof resource === 'object' && resource !== null && 'Fn::Join' in resource);
      expect(uploadObjects).toEqual([{ 'Fn::Join': ['', [uploadBucketArn(), '/uploads/*']] }]);
      expect(puts.flatMap((statement) => statement.resources)).toContainEqual({
        'Fn::Join': ['', [stack.resolve(built.dataStack.caseDocumentBucket.bucketArn), '/*']],
      });
    });

    it('are keyed under that prefix, each with its own upload id, and nothing outside it counts as an upload', () => {
      const key = agencyUploadKey(
        '3f1c9a52-7d4e-4b8a-9c2f-0e5d6b7a8c91',
        'police',
        'a5e0c3b1-2d4f-4e6a-8b9c-0d1e2f3a4b5c',
      );

      expect(key.startsWith('uploads/')).toBe(true);
      expect(parseAgencyUploadKey(key)).toEqual({
        caseId: '3f1c9a52-7d4e-4b8a-9c2f-0e5d6b7a8c91',
        agencyId: 'police',
        uploadId: 'a5e0c3b1-2d4f-4e6a-8b9c-0d1e2f3a4b5c',
      });
      expect(parseAgencyUploadKey(key.replace(/^uploads\//, 'elsewhere/'))).toBeUndefined();
    });

    it('may be signed for by agency-return only under the upload prefix of the upload bucket', () => {
      const role = functionProperties('agency-return').Role['Fn::GetAtt'][0];
      const putResources = policyStatements(template)
        .filter((statement) => statement.roles.includes(role) && statement.actions.includes('s3:PutObject'))
        .flatMap((statement) => statement.resources);

      expect(putResources).toEqual([
        {
          'Fn::Join': [
            '',
            [stack.resolve(built.dataStack.agencySummaryUploadBucket.bucketArn), '/uploads/*'],
          ],
        },
      ]);
    });
  });

  describe('the orphan sweeper', () => {
    it('runs daily from an EventBridge schedule, and may read the table and list and delete documents', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0 3 * * ? *)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionIds.get('sweep-orphans'), 'Arn'] } })],
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [functionIds.get('sweep-orphans'), 'Arn'] },
        Principal: 'events.amazonaws.com',
      });
      const role = functionProperties('sweep-orphans').Role['Fn::GetAtt'][0];
      const actions = policyStatements(template)
        .filter((statement) => statement.roles.includes(role))
        .flatMap((statement) => statement.actions);
      expect(actions).toEqual(expect.arrayContaining(['s3:List*', 's3:DeleteObject*', 'dynamodb:GetItem']));
      expect(actions).not.toContain('dynamodb:PutItem');
    });
  });

  describe('the resume sweep', () => {
    it('runs every minute from an EventBridge schedule, and may end a waiting task of the state machine', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionIds.get('resume-workflows'), 'Arn'] } })],
      });
      const role = functionProperties('resume-workflows').Role['Fn::GetAtt'][0];
      const actions = policyStatements(template)
        .filter((statement) => statement.roles.includes(role))
        .flatMap((statement) => statement.actions);
      expect(actions).toEqual(expect.arrayContaining(['states:SendTaskSuccess', 'dynamodb:UpdateItem']));
      expect(actions).not.toContain('states:StartExecution');
    });
  });

  describe('functions', () => {
    it('are the API and upload-event functions of the catalogue, and with the workflow stacks’, every one once', () => {
      const workflowNames = [
        ...built.workflowStack.functions.keys(),
        ...built.localReviewStack.functions.keys(),
      ];

      expect([...stack.functions.keys()].sort()).toEqual([...apiFunctionNames].sort());
      expect([...stack.functions.keys(), ...workflowNames].sort()).toEqual(
        Object.keys(functionCatalogue).sort(),
      );
    });

    it('run Node.js 24 on arm64, traced, each with a role of its own', () => {
      const roles = new Set<string>();
      for (const name of apiFunctionNames) {
        const properties = functionProperties(name);
        expect(properties, name).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
        });
        roles.add(JSON.stringify(properties.Role));
      }
      expect(roles.size).toBe(apiFunctionNames.length);
    });

    it("link to the API's own URL when no public base URL is configured", () => {
      for (const name of apiFunctionNames) {
        expect(functionProperties(name).Environment.Variables[envNames.publicBaseUrl], name).toEqual(
          stack.resolve(stack.httpApi.apiEndpoint),
        );
      }
    });

    it('reach the state machine by the ARN its name in the workflow stack gives it', () => {
      const users = apiFunctionNames.filter((name) => 'stateMachine' in functionCatalogue[name].needs);
      const workflowTemplate = Template.fromStack(built.workflowStack);

      workflowTemplate.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: STATE_MACHINE_ARN.split(':').at(-1),
      });
      expect(users.length).toBeGreaterThan(0);
      for (const name of users) {
        expect(asString(functionProperties(name).Environment.Variables[envNames.stateMachineArn]), name).toBe(
          STATE_MACHINE_ARN,
        );
      }
    });

    it('are told where the partnership profile is kept, and none carries the profile itself', () => {
      for (const name of apiFunctionNames) {
        const variables = functionProperties(name).Environment.Variables as Record<string, unknown>;
        expect(variables[envNames.partnershipProfilePath], name).toBe(
          functionCatalogue[name].trigger === 'upload-event' ? undefined : '/safeguarding-reviews/dev',
        );
        expect(Object.keys(variables), name).not.toContain('PARTNERSHIP_PROFILE');
      }
    });

    it('grant on resource "*" only what X-Ray tracing needs', () => {
      const onAnything = policyStatements(template).filter((statement) => statement.resources.includes('*'));

      expect(onAnything).toHaveLength(apiFunctionNames.length);
      for (const statement of onAnything) {
        expect(statement.actions.sort(), statement.policy).toEqual([
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ]);
      }
    });
  });

  describe('deployment settings from context', () => {
    it('link to the configured public base URL, without its trailing slash, in every function', () => {
      const configured = buildTestApp({ publicBaseUrl: 'https://reviews.example.org/' });
      const apiTemplate = Template.fromStack(configured.apiStack).toJSON();
      const workflowTemplate = Template.fromStack(configured.workflowStack).toJSON();
      const localReviewTemplate = Template.fromStack(configured.localReviewStack).toJSON();

      const urls = [apiTemplate, workflowTemplate, localReviewTemplate].flatMap((json) =>
        Object.values(json.Resources as Record<string, { Type: string; Properties: TemplateJson }>)
          .filter(
            (resource) =>
              resource.Type === 'AWS::Lambda::Function' &&
              resource.Properties?.Environment?.Variables?.NODE_OPTIONS,
          )
          .map((resource) => resource.Properties.Environment.Variables[envNames.publicBaseUrl]),
      );
      expect(urls).toHaveLength(Object.keys(functionCatalogue).length);
      expect(new Set(urls)).toEqual(new Set(['https://reviews.example.org']));
    });

    it('refuse a public base URL that is not https', () => {
      expect(() => buildTestApp({ publicBaseUrl: 'http://reviews.example.org' })).toThrow(
        /Context "publicBaseUrl"/,
      );
    });

    it('use the partnership profile the context names', () => {
      const profile = writeProfile({ ...exampleProfile, senderAddress: 'reviews@partnership.example.org' });
      const configured = buildTestApp({ profile });

      expect(configured.config.partnershipProfilePath).toBe(profile);
      Template.fromStack(configured.apiStack).hasResourceProperties('AWS::SES::EmailIdentity', {
        EmailIdentity: 'partnership.example.org',
      });
    });

    it('use the example profile when the context names none', () => {
      const configured = buildTestApp({ profile: undefined });

      expect(configured.config.partnershipProfilePath).toMatch(/infra\/profiles\/example\.json$/);
      expect(configured.config.partnershipProfile.senderAddress).toMatch(/@example\.org$/);
    });

    it('refuse a profile that fails validation, naming the file and the field', () => {
      const profile = writeProfile({ ...exampleProfile, panelMailbox: 'not an address' });

      expect(() => buildTestApp({ profile })).toThrow(new RegExp(`${profile}.*panelMailbox`));
    });

    it('refuse a profile file that does not exist', () => {
      expect(() => buildTestApp({ profile: '/nonexistent/profile.json' })).toThrow(
        /cannot read the partnership profile at \/nonexistent\/profile\.json/,
      );
    });
  });

  it('raises no CDK warnings or errors', () => {
    expect(cdkMessages(stack)).toEqual([]);
  });

  describe('cdk-nag (AwsSolutions)', () => {
    it('has no unacknowledged finding', () => {
      expect(nagFindings(stack)).toEqual([]);
    });

    it('acknowledges the missing authorizer on capability-link and web page routes only', () => {
      const routeIds = (routeList: Route[]) =>
        routeList.map((route) => logicalIdOf(stack.node.findChild(`${route.id}Route`))).sort();
      const acknowledgedApig4 = acknowledgementsIn(template)
        .filter((acknowledgement) => acknowledgement.id === 'AwsSolutions-APIG4')
        .map((acknowledgement) => acknowledgement.logicalId)
        .sort();

      expect(acknowledgedApig4).toEqual(routeIds([...capabilityRoutes, ...webRoutes]));
      expect(acknowledgedApig4).not.toEqual(expect.arrayContaining(routeIds(staffRoutes)));
    });

    it('carries a written reason with every acknowledgement, in the template as an audit trail', () => {
      const acknowledgements = acknowledgementsIn(template);

      expect(acknowledgements.length).toBeGreaterThan(0);
      for (const { logicalId, id, reason } of acknowledgements) {
        expect(reason.trim().length, `reason for ${id} on ${logicalId}`).toBeGreaterThanOrEqual(20);
      }
    });
  });
});
