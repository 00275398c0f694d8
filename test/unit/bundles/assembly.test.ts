import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FunctionName, functionCatalogue } from '../../../functions/catalogue.ts';
import { constructIdOf } from '../../../infra/constructs/service-function.ts';
import { BUNDLE_SIZE_LIMIT_BYTES, listFunctionBundles } from '../../../scripts/bundles/assembly.ts';

const names = Object.keys(functionCatalogue) as FunctionName[];

interface FakeFunction {
  readonly name: FunctionName;
  /** The construct path's id; the catalogue's construct id unless given. */
  readonly constructId?: string;
}

/**
 * Writes a cloud assembly as `cdk synth` does, small: one stack at the top, one in a nested
 * assembly (a CDK Stage) whose templates reach the assets at the top through `../`; each
 * function's `index.mjs` is 100 bytes plus its catalogue position. Besides the catalogue's
 * functions, each stack holds an inline-code function and a bundled one not in the catalogue.
 */
async function writeFakeAssembly(directory: string, functions: readonly FakeFunction[]): Promise<void> {
  const half = Math.ceil(functions.length / 2);
  const stacks = [
    { stackName: 'Test-Api', folder: '', assetPrefix: '', functions: functions.slice(0, half) },
    {
      stackName: 'Stage-Workflow',
      folder: 'assembly-Stage',
      assetPrefix: '../',
      functions: functions.slice(half),
    },
  ];
  for (const stack of stacks) {
    const resources: Record<string, unknown> = {
      InlineHandler: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'aws:cdk:path': `${stack.stackName}/InlineHandler/Resource` },
        Properties: { Handler: 'index.handler', Runtime: 'python3.13' },
      },
      OtherFunction: {
        Type: 'AWS::Lambda::Function',
        Metadata: {
          'aws:cdk:path': `${stack.stackName}/Other/Function/Resource`,
          'aws:asset:path': `${stack.assetPrefix}asset.other`,
        },
        Properties: { Description: 'Not one of the catalogue', Handler: 'index.handler' },
      },
    };
    for (const { name, constructId = constructIdOf(name) } of stack.functions) {
      const asset = `asset.${name}`;
      await mkdir(join(directory, asset), { recursive: true });
      await writeFile(join(directory, asset, 'index.mjs'), 'x'.repeat(100 + names.indexOf(name)));
      resources[`${constructId}Function${Object.keys(resources).length}`] = {
        Type: 'AWS::Lambda::Function',
        Metadata: {
          'aws:cdk:path': `${stack.stackName}/${constructId}/Function/Resource`,
          'aws:asset:path': `${stack.assetPrefix}${asset}`,
          'aws:asset:is-bundled': true,
        },
        Properties: {
          Description: functionCatalogue[name].description,
          Handler: 'index.handler',
          MemorySize: 512,
          Environment: {
            Variables: { CASE_TABLE_NAME: { Ref: 'CaseTable' }, NODE_OPTIONS: '--enable-source-maps' },
          },
        },
      };
    }
    const folder = join(directory, stack.folder);
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, `${stack.stackName}.template.json`),
      JSON.stringify({ Resources: resources }),
    );
    const artifacts: Record<string, unknown> = {
      [`${stack.stackName}.assets`]: { type: 'cdk:asset-manifest', properties: { file: 'x.assets.json' } },
      [stack.stackName]: {
        type: 'aws:cloudformation:stack',
        environment: 'aws://unknown-account/eu-west-2',
        properties: { templateFile: `${stack.stackName}.template.json` },
      },
    };
    if (stack.folder === '') {
      artifacts['assembly-Stage'] = {
        type: 'cdk:cloud-assembly',
        properties: { directoryName: 'assembly-Stage' },
      };
    }
    await writeFile(join(folder, 'manifest.json'), JSON.stringify({ version: '55.0.0', artifacts }));
  }
}

describe('listFunctionBundles', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'bundles-assembly-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('lists every catalogue function’s bundle with its size, in catalogue order, from every stack', async () => {
    await writeFakeAssembly(
      directory,
      names.map((name) => ({ name })),
    );

    const bundles = await listFunctionBundles(directory);

    expect(bundles.map(({ name }) => name)).toEqual(names);
    for (const [index, bundle] of bundles.entries()) {
      expect(bundle.bundlePath).toBe(join(directory, `asset.${bundle.name}`, 'index.mjs'));
      expect(bundle.bytes).toBe(100 + index);
      expect(bundle.bytes).toBeLessThanOrEqual(BUNDLE_SIZE_LIMIT_BYTES);
    }
    expect(bundles[0]).toMatchObject({
      stackName: 'Test-Api',
      constructPath: `Test-Api/${constructIdOf(names[0]!)}/Function/Resource`,
      region: 'eu-west-2',
      handler: 'index.handler',
      memorySize: 512,
      environment: { CASE_TABLE_NAME: { Ref: 'CaseTable' }, NODE_OPTIONS: '--enable-source-maps' },
    });
    expect(bundles.at(-1)?.stackName).toBe('Stage-Workflow');
  });

  it('recognises a function by its catalogue description when its construct path is not the usual one', async () => {
    const renamed = names.at(-1)!;
    await writeFakeAssembly(
      directory,
      names.map((name) => (name === renamed ? { name, constructId: 'Renamed' } : { name })),
    );

    const bundles = await listFunctionBundles(directory);

    expect(bundles.find(({ name }) => name === renamed)?.constructPath).toBe(
      'Stage-Workflow/Renamed/Function/Resource',
    );
  });

  it('fails naming each catalogue function the assembly has no bundle for', async () => {
    await writeFakeAssembly(
      directory,
      names.filter((name) => name !== 'web' && name !== 'intake').map((name) => ({ name })),
    );

    await expect(listFunctionBundles(directory)).rejects.toThrow('no bundled function for intake, web');
  });

  it('fails when a function appears twice', async () => {
    await writeFakeAssembly(directory, [
      ...names.map((name) => ({ name })),
      { name: 'web', constructId: 'Web' },
    ]);

    await expect(listFunctionBundles(directory)).rejects.toThrow('function web appears twice');
  });

  it('fails naming the manifest when the directory holds no cloud assembly', async () => {
    await expect(listFunctionBundles(directory)).rejects.toThrow(
      `Cannot read the cloud assembly manifest ${join(directory, 'manifest.json')}`,
    );
  });
});
