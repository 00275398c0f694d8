import { beforeEach, describe, expect, it, vi } from 'vitest';
import { javaProblem } from '../../../local/dynamodb-local.ts';

/** `java -version` as the checks below see it: no JVM is started. */
const spawnSync = vi.hoisted(() => vi.fn());
vi.mock('node:child_process', async (importOriginal) => ({
  ...(await importOriginal<typeof import('node:child_process')>()),
  spawnSync,
}));

const install = 'apt-get install openjdk-17-jre-headless';

describe('the Java that DynamoDB Local needs', () => {
  it('accepts Java 17 and later', () => {
    const java17 = 'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6)';
    const java21 = 'openjdk version "21" 2023-09-19';

    expect(javaProblem({ status: 0, output: java17 })).toBeUndefined();
    expect(javaProblem({ status: 0, output: java21 })).toBeUndefined();
  });

  it('says what to install when there is no java command', () => {
    const missing = Object.assign(new Error('spawnSync java ENOENT'), { code: 'ENOENT' });

    const problem = javaProblem({ error: missing, status: null, output: '' });

    expect(problem).toContain('no `java` command');
    expect(problem).toContain(install);
  });

  it.each([
    ['Java 8', 'java version "1.8.0_402"', 'Java 8'],
    ['Java 11', 'openjdk version "11.0.22" 2024-01-16', 'Java 11'],
  ])('refuses %s, naming it and what to install', (_name, output, named) => {
    const problem = javaProblem({ status: 0, output });

    expect(problem).toContain(`this machine's \`java\` is ${named}`);
    expect(problem).toContain(install);
  });

  it('says what to install when java fails or does not say its version', () => {
    expect(javaProblem({ status: 1, output: 'Error: could not find libjava.so' })).toContain(install);
    expect(javaProblem({ status: 0, output: 'something else' })).toContain('did not say which version');
  });
});

describe('requireJava17', () => {
  const java17 = { status: 0, stdout: '', stderr: 'openjdk version "17.0.15" 2025-04-15\n' };

  /** The check as a fresh process has it, with nothing remembered yet. */
  async function freshRequireJava17() {
    vi.resetModules();
    return (await import('../../../local/dynamodb-local.ts')).requireJava17;
  }

  beforeEach(() => {
    spawnSync.mockReset();
  });

  it('asks java for its version once per process when it is 17 or later', async () => {
    spawnSync.mockReturnValue(java17);
    const requireJava17 = await freshRequireJava17();

    requireJava17();
    requireJava17();

    expect(spawnSync).toHaveBeenCalledTimes(1);
    expect(spawnSync).toHaveBeenCalledWith('java', ['-version'], expect.anything());
  });

  it('asks again after a failure, so Java installed meanwhile is found', async () => {
    spawnSync.mockReturnValueOnce({ status: 0, stdout: '', stderr: 'openjdk version "11.0.22"\n' });
    spawnSync.mockReturnValue(java17);
    const requireJava17 = await freshRequireJava17();

    expect(() => requireJava17()).toThrow(/Java 11/);
    expect(() => requireJava17()).not.toThrow();
    expect(spawnSync).toHaveBeenCalledTimes(2);
  });
});
