import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionCatalogue } from '../../functions/catalogue.ts';
import type { ApiStack } from '../../infra/stacks/api-stack.ts';
import { envNames } from '../../shared/env.ts';
import {
  asString,
  buildTestApp,
  logicalIdOf,
  policyStatements,
  type TemplateJson,
} from './app-under-test.ts';

describe('the web pages on AWS', () => {
  let stack: ApiStack;
  let template: Template;
  let resources: Record<string, { Type: string; Properties: TemplateJson }>;
  let web: Record<string, TemplateJson>;

  beforeAll(() => {
    stack = buildTestApp().apiStack;
    template = Template.fromStack(stack);
    resources = template.toJSON().Resources;
    const webFunction = stack.functions.get('web');
    if (!webFunction) throw new Error('The API stack has no web function');
    web = resources[logicalIdOf(webFunction.function)]?.Properties ?? {};
  });

  /** The secret whose description names the variable it is handed to the functions as. */
  function secretNamed(variable: string): [string | undefined] {
    const found = Object.entries(resources).find(
      ([, resource]) =>
        resource.Type === 'AWS::SecretsManager::Secret' &&
        String(resource.Properties.Description ?? '').includes(`(${variable})`),
    );
    return [found?.[0]];
  }

  it('sign staff in through a hosted UI domain named after the stage', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'safeguarding-reviews-dev' });
  });

  it('use a public app client (no secret) with the code flow, calling back to the web pages only', () => {
    const client = Object.values(resources).find(
      (resource) => resource.Type === 'AWS::Cognito::UserPoolClient',
    );
    const apiUrl = stack.resolve(stack.httpApi.apiEndpoint);

    expect(client?.Properties.GenerateSecret).toBe(false);
    expect(client?.Properties.AllowedOAuthFlows).toEqual(['code']);
    expect(client?.Properties.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(client?.Properties.AllowedOAuthScopes.sort()).toEqual(['email', 'openid', 'profile']);
    expect(client?.Properties.CallbackURLs).toEqual([{ 'Fn::Join': ['', [apiUrl, '/auth/callback']] }]);
    expect(client?.Properties.LogoutURLs).toEqual([{ 'Fn::Join': ['', [apiUrl, '/']] }]);
  });

  it('tell the web function where Cognito is, which client it is, and whose tokens to trust', () => {
    const variables = web.Environment.Variables;

    expect(asString(variables[envNames.cognitoDomain])).toMatch(
      /^https:\/\/.*\.auth\.eu-west-2\.amazoncognito\.com$/,
    );
    expect(variables[envNames.cognitoClientId]).toEqual({
      Ref: stack.getLogicalId(stack.userPoolClient.node.defaultChild as never),
    });
    expect(asString(variables[envNames.cognitoIssuer])).toBe(
      `https://cognito-idp.eu-west-2.amazonaws.com/${JSON.stringify({ Ref: stack.getLogicalId(stack.userPool.node.defaultChild as never) })}`,
    );
  });

  it('give the web function its session key as a deploy-time secret reference, never the value', () => {
    const secretValue = asString(web.Environment.Variables[envNames.sessionSecret]);
    const [secretId] = secretNamed('SESSION_SECRET');

    expect(secretValue).toBe(
      `{{resolve:secretsmanager:${JSON.stringify({ Ref: secretId })}:SecretString:::}}`,
    );
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64, ExcludePunctuation: true },
    });
  });

  it('give the functions that submit or correct notifications, or find a case by the child’s initials, and no other, the duplicate-check key as a secret reference', () => {
    const [secretId] = secretNamed('DUPLICATE_CHECK_KEY');
    const holders = [...stack.functions].flatMap(([name, fn]) => {
      const variables = resources[logicalIdOf(fn.function)]?.Properties.Environment?.Variables ?? {};
      const value = variables[envNames.duplicateCheckKey];
      return value === undefined ? [] : [[name, asString(value)]];
    });

    expect(secretId).toBeDefined();
    // Correcting a notification (issue 10 part 3: steer-case's API, the web function's page) recomputes its keys;
    // the cases list (home-web, issue 11 part 2) hashes the initials searched for with it.
    // the notify pages' function submits them as intake does.
    expect(holders.map(([name]) => name).sort()).toEqual([
      'home-web',
      'intake',
      'notify-web',
      'steer-case',
      'web',
    ]);
    for (const [, value] of holders) {
      expect(value).toBe(`{{resolve:secretsmanager:${JSON.stringify({ Ref: secretId })}:SecretString:::}}`);
    }
  });

  it("let the web function read the workflow and the notify pages' function start it, as the catalogue's needs say", () => {
    const actionsOf = (name: 'web' | 'notify-web') => {
      const role = stack.getLogicalId(stack.functions.get(name)?.role.node.defaultChild as never);
      return policyStatements(template)
        .filter((statement) => statement.roles.includes(role))
        .flatMap((statement) => statement.actions);
    };

    expect(functionCatalogue.web.needs.stateMachine).toBe('read');
    expect(functionCatalogue['notify-web'].needs.stateMachine).toBe('start');
    expect(actionsOf('web')).toEqual(
      expect.arrayContaining(['states:DescribeExecution', 'states:GetExecutionHistory']),
    );
    expect(actionsOf('web')).not.toContain('states:StartExecution');
    expect(actionsOf('notify-web')).toContain('states:StartExecution');
    for (const name of ['web', 'notify-web'] as const)
      expect(actionsOf(name)).not.toContain('states:SendTaskSuccess');
  });

  it('let the operations pages watch every execution and start a resumed one, and nothing else on the state machine', () => {
    const role = stack.getLogicalId(stack.functions.get('ops-web')?.role.node.defaultChild as never);
    const statements = policyStatements(template).filter(
      (statement) =>
        statement.roles.includes(role) && statement.actions.some((action) => action.startsWith('states:')),
    );
    const actions = statements.flatMap((statement) => statement.actions).sort();
    const resourcesOf = (action: string) =>
      statements.filter((statement) => statement.actions.includes(action)).flatMap((s) => s.resources);

    expect(functionCatalogue['ops-web'].needs.stateMachine).toEqual(['observe', 'start']);
    expect(actions).toEqual([
      'states:DescribeExecution',
      'states:DescribeStateMachine',
      'states:GetExecutionHistory',
      'states:ListExecutions',
      'states:StartExecution',
    ]);
    // On the one state machine (and its executions), never on "*".
    for (const action of actions) expect(resourcesOf(action), action).not.toContain('*');
    expect(JSON.stringify(resourcesOf('states:DescribeStateMachine'))).toContain('stateMachine');
  });

  it('refuse a sign-in domain prefix Cognito would refuse', () => {
    expect(() => buildTestApp({ signInDomainPrefix: 'My_Reviews' })).toThrow(/signInDomainPrefix/);
    expect(() => buildTestApp({ signInDomainPrefix: 'aws-reviews' })).toThrow(/signInDomainPrefix/);
  });
});
