import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parsePartnershipProfile } from '../shared/config/partnership-profile.ts';
import { localCaseStore, seedDemoDirectory } from './demo-directory.ts';
import { JavaRequiredError } from './dynamodb-local.ts';
import { defaultClockSpeed, startLocalStack } from './stack.ts';

/**
 * `npm start`: the whole service on this machine (ARCHITECTURE §5), data kept under `.local/`.
 * Options: `--speed <virtual ms per real ms>` (or LOCAL_CLOCK_SPEED), `--port <API port>` (or
 * LOCAL_API_PORT), `--start <ISO instant>` for a new clock. Ctrl-C stops everything.
 */
function usage(message: string): never {
  console.error(`npm start: ${message}`);
  console.error('usage: npm start -- [--speed <number>] [--port <number>] [--start <ISO instant>]');
  process.exit(2);
}

function positiveNumber(name: string, raw: string | undefined, { integer = false } = {}): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    usage(`${name} must be a ${integer ? 'whole ' : ''}number ≥ 0, not "${raw}"`);
  }
  return value;
}

function readArguments() {
  try {
    return parseArgs({
      options: { speed: { type: 'string' }, port: { type: 'string' }, start: { type: 'string' } },
      strict: true,
    });
  } catch (error) {
    return usage((error as Error).message);
  }
}

const parsed = readArguments();
const speed =
  positiveNumber('--speed', parsed.values.speed ?? process.env.LOCAL_CLOCK_SPEED) ?? defaultClockSpeed;
const apiPort = positiveNumber('--port', parsed.values.port ?? process.env.LOCAL_API_PORT, { integer: true });
const start = parsed.values.start === undefined ? undefined : new Date(parsed.values.start);
if (start && Number.isNaN(start.getTime()))
  usage(`--start must be an ISO instant, not "${parsed.values.start}"`);

const dataDirectory = resolve('.local');
const stackFile = join(dataDirectory, 'stack.json');

console.log('Starting the local stack (DynamoDB Local takes a few seconds)…');
const stack = await startLocalStack({
  dataDirectory,
  speed,
  ...(start ? { start } : {}),
  ...(apiPort ? { apiPort } : {}),
  // A workflow that could not be told of a person's change is resumed within seconds, as on AWS within a minute.
  resumeSweepEveryMs: 5000,
  quiet: true,
}).catch((error: unknown) => {
  // Java missing is a set-up step, not a fault: say what to install, without a stack trace.
  if (!(error instanceof JavaRequiredError)) throw error;
  console.error(`npm start: ${error.message}`);
  process.exit(1);
});
// The demo's agencies in the partnership directory, so the notify pages offer them to pick.
const profile = parsePartnershipProfile(
  readFileSync(fileURLToPath(new URL('./partnership-profile.json', import.meta.url)), 'utf8'),
);
if (
  await seedDemoDirectory(localCaseStore(stack.dynamodbEndpoint, stack.tableName), profile, stack.clock.now())
) {
  console.log(
    'The partnership directory starts with the demo’s invented agencies (change them at /directory).',
  );
}
writeFileSync(
  stackFile,
  `${JSON.stringify(
    {
      apiUrl: stack.apiUrl,
      sesUrl: stack.sesUrl,
      s3Endpoint: stack.s3Endpoint,
      dynamodbEndpoint: stack.dynamodbEndpoint,
      tableName: stack.tableName,
      sfnEndpoint: stack.sfnEndpoint,
      ssmEndpoint: stack.ssmEndpoint,
      startedAt: new Date().toISOString(),
    },
    null,
    2,
  )}\n`,
);

const pace =
  speed >= 3600
    ? `${(speed / 3600).toLocaleString('en-GB', { maximumFractionDigits: 2 })} virtual hour(s) per real second`
    : `${(speed / 60).toLocaleString('en-GB', { maximumFractionDigits: 2 })} virtual minute(s) per real second`;
console.log(`
Local stack running (data in ${dataDirectory}; details in ${stackFile})

  ▶ Open ${stack.apiUrl}/ to begin (sign in as an invented user, one per role)

  Local controls (virtual clock, email inbox): ${stack.apiUrl}/local

  API            ${stack.apiUrl}
  SES inbox      ${stack.sesUrl}
  S3             ${stack.s3Endpoint}
  DynamoDB       ${stack.dynamodbEndpoint}
  Step Functions ${stack.sfnEndpoint}
  Parameters     ${stack.ssmEndpoint} (the partnership profile, from local/partnership-profile.json)
  Function logs  ${stack.logDirectory}/<function>.log (JSON lines, as each function writes them on AWS)

  Virtual time   ${stack.clock.now().toISOString()} (${pace})

Get a bearer token (roles: notifier, partnership-team, rrg-member, rrg-chair, scrutineer,
safeguarding-partner with "partner": local-authority, police or health, executive-board, operator):
  curl -s -X POST ${stack.apiUrl}/local/token -H 'content-type: application/json' -d '{"role":"notifier"}'
  curl -s -X POST ${stack.apiUrl}/local/token -H 'content-type: application/json' -d '{"role":"safeguarding-partner","partner":"police"}'

Read or move the virtual clock:
  curl -s ${stack.apiUrl}/local/clock
  curl -s -X POST ${stack.apiUrl}/local/clock/advance -H 'content-type: application/json' -d '{"to":"next"}'
  curl -s -X POST ${stack.apiUrl}/local/clock/advance -H 'content-type: application/json' -d '{"by":"P2D"}'

Press Ctrl-C to stop.`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local stack…`);
  try {
    await stack.stop();
  } finally {
    rmSync(stackFile, { force: true });
  }
  console.log('Stopped.');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
