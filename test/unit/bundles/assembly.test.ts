import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { constructIdOf } from '../../../infra/constructs/service-function.ts';
import { BUNDLE_SIZE_LIMIT_BYTES, listFunctionBundles } from '../../../scripts/bundles/assembly.ts';
import { fakeBundleBytes, names, SEPARATE_MODULE_BYTES, writeFakeAssembly } from './fake-assembly.ts';

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
      expect(bundle.bytes).toBe(fakeBundleBytes(bundle.name, 100 + index));
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

  it('counts the modules bundled apart in a bundle’s size, and fails when one is missing', async () => {
    await writeFakeAssembly(
      directory,
      names.map((name) => ({ name })),
    );
    const web = (await listFunctionBundles(directory)).find(({ name }) => name === 'web')!;
    expect(web.separateModules).toEqual([
      {
        package: 'nunjucks',
        path: join(directory, 'asset.web', 'vendor/nunjucks.mjs'),
        bytes: SEPARATE_MODULE_BYTES,
      },
    ]);
    expect(web.bytes).toBe(100 + names.indexOf('web') + SEPARATE_MODULE_BYTES);

    await rm(directory, { recursive: true, force: true });
    await writeFakeAssembly(
      directory,
      names.map((name) => (name === 'web' ? { name, withoutSeparateModules: true } : { name })),
    );
    await expect(listFunctionBundles(directory)).rejects.toThrow('no vendor/nunjucks.mjs for nunjucks');
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
