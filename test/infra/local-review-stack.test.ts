import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, functionArnPlaceholder, functionCatalogue } from '../../functions/catalogue.ts';
import type { BuiltApp } from '../../infra/build-app.ts';
import { LOCAL_REVIEW_ASL_PATH } from '../../infra/stacks/local-review-stack.ts';
import { envNames } from '../../shared/env.ts';
import { buildTestApp, cdkMessages, logicalIdOf, nagFindings, policyStatements } from './app-under-test.ts';

const STATE_MACHINE_NAME = 'SafeguardingReviews-dev-LocalReview';
const localReviewFunctionNames = (Object.keys(functionCatalogue) as FunctionName[]).filter(
  (name) => functionCatalogue[name].trigger === 'local-review-workflow',
);

describe('LocalReviewStack: the second workflow (issue 13)', () => {
  let built: BuiltApp;
  let template: Template;
  let properties: Record<string, unknown> & { DefinitionSubstitutions: Record<string, unknown> };

  beforeAll(() => {
    built = buildTestApp();
    template = Template.fromStack(built.localReviewStack);
    const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    properties = machine?.Properties;
  });

  it('synthesises one Standard state machine, named for the stage, beside the Rapid Review’s', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    expect(properties).toMatchObject({ StateMachineName: STATE_MACHINE_NAME, StateMachineType: 'STANDARD' });
    expect(
      Template.fromStack(built.workflowStack).findResources('AWS::StepFunctions::StateMachine'),
    ).not.toEqual({});
  });

  it('is defined by statemachines/local-review.asl.json, byte for byte', () => {
    const { Key } = properties.DefinitionS3Location as { Key: string };

    expect(readFileSync(join(built.app.outdir, `asset.${Key}`), 'utf8')).toBe(
      readFileSync(LOCAL_REVIEW_ASL_PATH, 'utf8'),
    );
  });

  it('fills every placeholder: each task function’s ARN, and its own ARN by name', () => {
    const placeholders = new Set(
      [...readFileSync(LOCAL_REVIEW_ASL_PATH, 'utf8').matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]),
    );

    expect(new Set(Object.keys(properties.DefinitionSubstitutions))).toEqual(placeholders);
    for (const name of localReviewFunctionNames) {
      expect(properties.DefinitionSubstitutions[functionArnPlaceholder(name)], name).toEqual({
        'Fn::GetAtt': [logicalIdOf(built.localReviewStack.functions.get(name)!.function), 'Arn'],
      });
    }
    expect(JSON.stringify(properties.DefinitionSubstitutions.LocalReviewStateMachineArn)).toContain(
      STATE_MACHINE_NAME,
    );
  });

  it('runs exactly the local-review functions of the catalogue, and lets the machine start only itself', () => {
    expect([...built.localReviewStack.functions.keys()].sort()).toEqual([...localReviewFunctionNames].sort());
    template.resourceCountIs('AWS::Lambda::Function', localReviewFunctionNames.length);
    const role = logicalIdOf(built.localReviewStack.stateMachine.role);
    const starts = policyStatements(template)
      .filter((statement) => statement.roles.includes(role))
      .filter((statement) => statement.actions.includes('states:StartExecution'));
    expect(
      starts.flatMap((statement) => statement.resources.map((resource) => JSON.stringify(resource))),
    ).toEqual([expect.stringContaining(`stateMachine:${STATE_MACHINE_NAME}`)]);
  });

  it('tells the local review pages where the machine is', () => {
    const pages = built.apiStack.functions.get('local-review-web');
    const variables = Template.fromStack(built.apiStack).toJSON().Resources[logicalIdOf(pages!.function)]
      .Properties.Environment.Variables;

    expect(JSON.stringify(variables[envNames.localReviewStateMachineArn])).toContain(STATE_MACHINE_NAME);
    expect(variables[envNames.stateMachineArn]).toBeUndefined();
  });

  it('runs each factual-accuracy round’s reminders, which the drafts pages start on this machine only', () => {
    expect(built.localReviewStack.functions.has('chase-factual-accuracy')).toBe(true);
    expect(Object.keys(properties.DefinitionSubstitutions)).toContain('ChaseFactualAccuracyFunctionArn');
    const api = Template.fromStack(built.apiStack);
    const pages = built.apiStack.functions.get('local-review-drafts-web')!;
    const variables = api.toJSON().Resources[logicalIdOf(pages.function)].Properties.Environment.Variables;
    const starts = policyStatements(api)
      .filter((statement) => statement.roles.includes(logicalIdOf(pages.function.role!)))
      .filter((statement) => statement.actions.includes('states:StartExecution'));

    expect(JSON.stringify(variables[envNames.localReviewStateMachineArn])).toContain(STATE_MACHINE_NAME);
    expect(
      starts.flatMap((statement) => statement.resources.map((resource) => JSON.stringify(resource))),
    ).toEqual([expect.stringContaining(`stateMachine:${STATE_MACHINE_NAME}`)]);
  });

  it('passes cdk-nag with no finding left unacknowledged, and CDK warns of nothing', () => {
    expect(nagFindings(built.localReviewStack)).toEqual([]);
    expect(cdkMessages(built.localReviewStack)).toEqual([]);
  });
});
