import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type FunctionName, type FunctionSpec, functionCatalogue } from '../../../functions/catalogue.ts';
import { constructIdOf } from '../../../infra/constructs/service-function.ts';

/** The catalogue's function names, in its order. */
export const names = Object.keys(functionCatalogue) as FunctionName[];

export interface FakeFunction {
  readonly name: FunctionName;
  /** The construct path's id; the catalogue's construct id unless given. */
  readonly constructId?: string;
  /** The size of its `index.mjs`; 100 bytes plus its catalogue position unless given. */
  readonly bytes?: number;
  /** Leaves out the modules the catalogue says are bundled apart (`separateModules`), 10 bytes each otherwise. */
  readonly withoutSeparateModules?: boolean;
}

/** The size of each separate module a fake bundle holds. */
export const SEPARATE_MODULE_BYTES = 10;

/** What a fake function's bundle weighs in all: `index.mjs` and its separate modules. */
export function fakeBundleBytes(name: FunctionName, bytes = 100 + names.indexOf(name)): number {
  return bytes + separateModulesOf(name).length * SEPARATE_MODULE_BYTES;
}

function separateModulesOf(name: FunctionName): readonly { package: string; to: string }[] {
  return (functionCatalogue[name] as FunctionSpec).separateModules ?? [];
}

/**
 * Writes a cloud assembly as `cdk synth` does, small: one stack at the top, one in a nested
 * assembly (a CDK Stage) whose templates reach the assets at the top through `../`. Each
 * function's `index.mjs` is one line, with a source map charging it all to `zod`. Besides the
 * catalogue's functions, each stack holds an inline-code function and a bundled one not in the
 * catalogue.
 */
export async function writeFakeAssembly(
  directory: string,
  functions: readonly FakeFunction[],
): Promise<void> {
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
    for (const {
      name,
      constructId = constructIdOf(name),
      bytes = 100 + names.indexOf(name),
      withoutSeparateModules = false,
    } of stack.functions) {
      const asset = `asset.${name}`;
      await mkdir(join(directory, asset), { recursive: true });
      await writeFile(join(directory, asset, 'index.mjs'), 'x'.repeat(bytes));
      for (const { to } of withoutSeparateModules ? [] : separateModulesOf(name)) {
        await mkdir(dirname(join(directory, asset, to)), { recursive: true });
        await writeFile(join(directory, asset, to), 'y'.repeat(SEPARATE_MODULE_BYTES));
      }
      await writeFile(
        join(directory, asset, 'index.mjs.map'),
        JSON.stringify({ version: 3, sources: ['../node_modules/zod/index.js'], mappings: 'AAAA' }),
      );
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
