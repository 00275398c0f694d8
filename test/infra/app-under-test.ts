import { readFileSync } from 'node:fs';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, type NagPack } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { type BuiltApp, buildApp } from '../../infra/build-app.ts';

/** Part of a synthesized template: CloudFormation JSON has no static type, and the assertions check its shape. */
// biome-ignore lint/suspicious/noExplicitAny: template JSON is read as the assertions need it, checked by them
export type TemplateJson = any;

/** cdk.json's context: the same feature flags and defaults the CLI gives the app. */
export const cdkJsonContext: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

/**
 * CDK's own context key for which stacks to bundle assets of (the CLI sets it when deploying
 * some stacks only). These tests assert on templates, which do not depend on the bundled code,
 * so they skip esbuild; test/infra/synth.test.ts bundles every function through the real CLI.
 */
export const skipBundling = { 'aws:cdk:bundling-stacks': [] };

/** The app as the CLI builds it from cdk.json, in a fixed account and region, with extra context. */
export function buildTestApp(context: Record<string, unknown> = {}): BuiltApp {
  return buildApp({
    appProps: { context: { ...cdkJsonContext, ...skipBundling, ...context } },
    env: { account: '111111111111', region: 'eu-west-2' },
  });
}

/** The logical id of an L2 construct's CloudFormation resource, as the template names it. */
export function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** Every warning or error CDK itself annotated the stack with, one readable line each. */
export function cdkMessages(stack: Stack): string[] {
  const annotations = Annotations.fromStack(stack);
  return [
    ...annotations.findError('*', Match.anyValue()),
    ...annotations.findWarning('*', Match.anyValue()),
  ].map((message) => `${message.id}: ${JSON.stringify(message.entry.data)}`);
}

/**
 * Every cdk-nag finding (errors and warnings) of the packs (AWS Solutions unless told) as one
 * readable line each.
 */
export function nagFindings(
  scope: IConstruct,
  packs: readonly NagPack[] = [new AwsSolutionsChecks(undefined, { verbose: true })],
): string[] {
  const violations = packs.flatMap((pack) => pack.validateScope(scope).violations);
  return violations.flatMap((violation) =>
    violation.violatingResources.map(
      (resource) =>
        `${violation.severity} ${violation.ruleName} at ${resource.constructPath}: ${violation.description}`,
    ),
  );
}

/** Every cdk-nag acknowledgement the template records as its audit trail, with the resource it is on. */
export function acknowledgementsIn(template: Template): { logicalId: string; id: string; reason: string }[] {
  return Object.entries(template.toJSON().Resources).flatMap(([logicalId, resource]) =>
    (
      (resource as { Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } })
        .Metadata?.cdk_nag?.rules_to_suppress ?? []
    ).map((rule) => ({ logicalId, ...rule })),
  );
}

/** One statement of an IAM policy in a template. */
export interface PolicyStatement {
  /** The logical id of the AWS::IAM::Policy. */
  policy: string;
  /** Logical ids of the roles the policy is attached to. */
  roles: string[];
  actions: string[];
  resources: unknown[];
  /** The statement's Condition block, if any. */
  conditions?: Record<string, unknown>;
}

/** Every Allow statement of every AWS::IAM::Policy in a template, actions and resources as lists. */
export function policyStatements(template: Template): PolicyStatement[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.entries(policies).flatMap(([policy, resource]) => {
    const properties = resource.Properties as {
      PolicyDocument: {
        Statement: {
          Effect: string;
          Action: string | string[];
          Resource: unknown;
          Condition?: Record<string, unknown>;
        }[];
      };
      Roles?: { Ref: string }[];
    };
    return properties.PolicyDocument.Statement.filter((statement) => statement.Effect === 'Allow').map(
      (statement) => ({
        policy,
        roles: (properties.Roles ?? []).map((role) => role.Ref),
        actions: [statement.Action].flat(),
        resources: [statement.Resource].flat(),
        ...(statement.Condition ? { conditions: statement.Condition } : {}),
      }),
    );
  });
}

/**
 * A template value as the string CloudFormation would make of it in this account and region:
 * joins are joined and the pseudo parameters filled in. Anything else is shown as JSON, so a
 * comparison fails visibly rather than matching by accident.
 */
export function asString(value: unknown): string {
  if (typeof value === 'string') return value;
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': 'eu-west-2',
    'AWS::AccountId': '111111111111',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  if (value && typeof value === 'object') {
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].map(asString).join(join[0]);
    const ref = (value as { Ref?: string }).Ref;
    if (ref && pseudo[ref]) return pseudo[ref];
  }
  return JSON.stringify(value);
}
