import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, functionCatalogue } from '../../functions/catalogue.ts';
import type { BuiltApp } from '../../infra/build-app.ts';
import { parsePartnershipProfile, profileFromParameters } from '../../shared/config/partnership-profile.ts';
import { envNames } from '../../shared/env.ts';
import {
  asString,
  buildTestApp,
  logicalIdOf,
  policyStatements,
  type TemplateJson,
} from './app-under-test.ts';

const exampleProfile = JSON.parse(
  readFileSync(new URL('../../infra/profiles/example.json', import.meta.url), 'utf8'),
);
const PATH = '/safeguarding-reviews/dev';
const PATH_ARN = `arn:aws:ssm:eu-west-2:111111111111:parameter${PATH}`;

/** Every String parameter in a template: its name and value. */
function parametersIn(template: Template): { name: string; value: string; tier: string; type: string }[] {
  return Object.values(template.findResources('AWS::SSM::Parameter')).map((resource) => ({
    name: resource.Properties.Name,
    value: resource.Properties.Value,
    tier: resource.Properties.Tier,
    type: resource.Properties.Type,
  }));
}

describe('the partnership profile in Parameter Store', () => {
  let built: BuiltApp;
  let templates: Template[];

  beforeAll(() => {
    built = buildTestApp();
    templates = [built.dataStack, built.apiStack, built.workflowStack, built.localReviewStack].map((stack) =>
      Template.fromStack(stack),
    );
  });

  it('is created from the profile file: one parameter for the partnership, one per agency keyed by its id', () => {
    const parameters = templates.flatMap(parametersIn);

    expect(parameters.map((parameter) => parameter.name).sort()).toEqual(
      [
        `${PATH}/agencies/childrens-social-care`,
        `${PATH}/agencies/health`,
        `${PATH}/agencies/police`,
        `${PATH}/profile`,
      ].sort(),
    );
    expect(new Set(parameters.map((parameter) => `${parameter.type} ${parameter.tier}`))).toEqual(
      new Set(['String Standard']),
    );
    expect(profileFromParameters(PATH, parameters)).toEqual(
      parsePartnershipProfile(JSON.stringify(exampleProfile)),
    );
  });

  it('keeps a profile of forty agencies, far over 4 KB, each parameter within a standard one’s 4 KB', () => {
    const agencyStrategicLeads = Object.fromEntries(
      Array.from({ length: 40 }, (_, n) => [
        `Invented Agency Number ${n + 1} with a Long Descriptive Name (example)`,
        { name: `Invented Lead ${n + 1} (example)`, email: `lead.${n + 1}@example.org` },
      ]),
    );
    const path = join(mkdtempSync(join(tmpdir(), 'profile-40-')), 'profile.json');
    writeFileSync(
      path,
      JSON.stringify({ ...exampleProfile, agencyStrategicLeads, agencyStrategicLeadsById: {} }),
    );
    const large = buildTestApp({ profile: path });

    const parameters = parametersIn(Template.fromStack(large.apiStack));
    expect(JSON.stringify(agencyStrategicLeads).length).toBeGreaterThan(4096);
    expect(parameters).toHaveLength(41);
    for (const { name, value } of parameters)
      expect(Buffer.byteLength(value), name).toBeLessThanOrEqual(4096);
    expect(Object.keys(profileFromParameters(PATH, parameters).agencyStrategicLeads)).toHaveLength(40);
  });

  it('refuses at synth a profile whose own settings pass a standard parameter’s 4 KB, naming the parameter', () => {
    const members = Array.from({ length: 60 }, (_, n) => ({
      name: `Invented Rapid Review Group Member ${n + 1} (example)`,
      email: `rrg.member.${n + 1}@example.org`,
    }));
    const path = join(mkdtempSync(join(tmpdir(), 'profile-large-')), 'profile.json');
    writeFileSync(
      path,
      JSON.stringify({
        ...exampleProfile,
        rapidReviewGroup: { ...exampleProfile.rapidReviewGroup, members },
      }),
    );

    expect(() => buildTestApp({ profile: path })).toThrow(
      /\/safeguarding-reviews\/dev\/profile would be \d+ bytes/,
    );
  });

  it('is read by every API and workflow function with GetParametersByPath on its path, and nothing else of SSM', () => {
    const readers = (Object.keys(functionCatalogue) as FunctionName[]).filter(
      (name) => functionCatalogue[name].trigger !== 'upload-event',
    );
    const functions = new Map([
      ...built.apiStack.functions,
      ...built.workflowStack.functions,
      ...built.localReviewStack.functions,
    ]);
    const ssmStatements = templates.flatMap((template) =>
      policyStatements(template).filter((statement) =>
        statement.actions.some((action) => action.startsWith('ssm:')),
      ),
    );

    for (const name of readers) {
      const fn = functions.get(name);
      if (!fn) throw new Error(`No function ${name}`);
      const role = logicalIdOf(fn.role);
      const own = ssmStatements.filter((statement) => statement.roles.includes(role));
      expect(
        own.map((statement) => ({
          actions: statement.actions,
          resources: statement.resources.map(asString),
        })),
        name,
      ).toEqual([{ actions: ['ssm:GetParametersByPath'], resources: [PATH_ARN] }]);
      const variables = (
        Template.fromStack(fn.function.stack).toJSON().Resources[logicalIdOf(fn.function)] as TemplateJson
      ).Properties.Environment.Variables;
      expect(variables[envNames.partnershipProfilePath], name).toBe(PATH);
    }
    // The upload event handler never reads the profile, so it is granted none of it.
    const recordSummary = functions.get('record-summary');
    expect(recordSummary).toBeDefined();
    const recordSummaryRole = logicalIdOf(recordSummary!.role);
    expect(ssmStatements.filter((statement) => statement.roles.includes(recordSummaryRole))).toEqual([]);
    expect(ssmStatements).toHaveLength(readers.length);
  });

  it('needs no key to be read: no function is granted a KMS action for Parameter Store', () => {
    const kmsForSsm = templates.flatMap((template) =>
      policyStatements(template).filter(
        (statement) =>
          statement.actions.some((action) => action.startsWith('kms:')) &&
          JSON.stringify(statement).includes('ssm'),
      ),
    );
    expect(kmsForSsm).toEqual([]);
  });
});
