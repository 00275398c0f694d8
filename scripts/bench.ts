/**
 * `npm run bench -- --reviews N`: national load on one machine. Starts the local stack in a
 * child process (DynamoDB Local in memory, the clock standing still), then drives N Rapid
 * Reviews at once through the stack's HTTP API, as partnerships would, from the notification to
 * the email to the Panel: every agency but one returns its summary through its emailed link, the
 * clock jumps to each deadline, the chair records each decision. It prints the wall time of
 * each phase and of the whole, the stack's peak memory and CPU time (its Node process and
 * DynamoDB Local's JVM), the time spent per emulator and per step (function), and how many
 * reviews failed. Exit status 1 when any review did not complete, 2 for a bad argument.
 *
 * Options: --reviews N (default 50), --concurrency C (HTTP requests in flight, default 32),
 * --json (the figures as JSON on stdout), --profile DIR (a V8 CPU profile of the stack's
 * process, written to DIR when it stops: open it in Chrome's DevTools).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { BenchStackReady } from '../local/bench/bench-stack.ts';
import { agencyLinkIn, type InboxEmail, ReviewClient } from '../local/demo/review-client.ts';
import { demoSummaryPdf } from '../local/demo/run-review.ts';
import { type ProcessUsage, processTreeUsage } from '../local/process-usage.ts';
import { sampleNotification } from '../local/sample-notification.ts';
import type { StackStatistics, Timing } from '../local/stats.ts';

const HELP = `usage: npm run bench -- [--reviews N] [--concurrency C] [--json] [--profile DIR]

Drives N concurrent Rapid Reviews through the local stack's API, notification to Panel email,
and prints the wall time, the stack's peak memory and CPU time, and the time per emulator and
per step. Exit status 1 when a review did not complete, 2 for a bad argument.`;

function fail(message: string): never {
  console.error(`npm run bench: ${message}\n\n${HELP}`);
  process.exit(2);
}

function wholeNumber(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    fail(`${name} must be a whole number of at least 1, not "${raw}"`);
  return value;
}

/** Runs `work` over `items` with at most `limit` at a time, in order of starting. */
async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Samples the stack's processes every 200 ms: the peak of their summed resident memory. */
class MemorySampler {
  peakBytes = 0;
  readonly #timer: NodeJS.Timeout;
  constructor(pid: number) {
    this.#timer = setInterval(() => {
      const total = processTreeUsage(pid).reduce((sum, usage) => sum + usage.rssBytes, 0);
      this.peakBytes = Math.max(this.peakBytes, total);
    }, 200);
  }
  stop() {
    clearInterval(this.#timer);
  }
}

/** The local stack in a child process, and a way to ask it for its figures. */
async function startStack(profileDirectory: string | undefined): Promise<{
  child: ChildProcess;
  ready: BenchStackReady;
  statistics(): Promise<StackStatistics>;
}> {
  const file = fileURLToPath(new URL('../local/bench/bench-stack.ts', import.meta.url));
  const profile = profileDirectory ? ['--cpu-prof', `--cpu-prof-dir=${profileDirectory}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', file], {
    // The handlers' JSON log lines would drown the report; errors still reach stderr.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<BenchStackReady>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`The local stack exited (${code}) before it was ready`)));
    child.once('message', (message) => resolve(message as BenchStackReady));
  });
  const statistics = () =>
    new Promise<StackStatistics>((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null)
        return reject(new Error('The local stack had exited before it gave its figures'));
      child.once('exit', () => reject(new Error('The local stack exited before it gave its figures')));
      child.once('message', (message) => resolve(message as StackStatistics));
      child.send({ kind: 'statistics' });
    });
  return { child, ready, statistics };
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        reviews: { type: 'string' },
        concurrency: { type: 'string' },
        json: { type: 'boolean', default: false },
        profile: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
if (values.help) {
  console.log(HELP);
  process.exit(0);
}
const reviews = wholeNumber('--reviews', values.reviews, 50);
const concurrency = wholeNumber('--concurrency', values.concurrency, 32);
const say = (line: string) => {
  if (!values.json) console.log(line);
};

say(`Starting the local stack (DynamoDB Local in memory)…`);
const { child, ready, statistics } = await startStack(values.profile);
const sampler = new MemorySampler(child.pid as number);
const client = new ReviewClient({ apiUrl: ready.apiUrl, sesUrl: ready.sesUrl });
const sfn = new SFNClient({
  endpoint: ready.sfnEndpoint,
  region: 'eu-west-2',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
const phases: { name: string; seconds: number }[] = [];
const began = performance.now();
async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  const result = await work();
  phases.push({ name, seconds: (performance.now() - start) / 1000 });
  say(`  ${name}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return result;
}
const emailsTo = (emails: InboxEmail[], address: string) =>
  emails.filter((email) => email.destination.to.includes(address));

let exitStatus = 0;
try {
  const notification = sampleNotification();
  const returning = notification.agencies.slice(0, -1);
  // Each review is its own invented case: its own Panel reference and child's date of birth, so
  // none is taken for a possible duplicate of another.
  const notificationFor = (index: number) => {
    const bornOn = new Date(Date.UTC(2019, 4, 14) - index * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
    return {
      ...notification,
      incident: { ...notification.incident, panelReference: `PANEL-BENCH-${index + 1}` },
      children: notification.children.map((child) => ({ ...child, dateOfBirth: bornOn })),
    };
  };
  await client.token('notifier');
  await client.token('rrg-chair');
  say(`Driving ${reviews} Rapid Reviews at once (${concurrency} requests in flight)…`);

  const cases = await phase('notifications submitted', () =>
    inParallel(
      Array.from({ length: reviews }, (_, index) => index),
      concurrency,
      (index) => client.submitNotification(notificationFor(index), randomUUID()),
    ),
  );
  const references = new Map(cases.map((opened) => [opened.reference, opened.caseId]));

  const links = await phase('summary requests emailed', async () => {
    await client.settle();
    const emails = await client.emails();
    return emails.flatMap((email) => {
      const reference = /^(\S+): summary requested/.exec(email.subject)?.[1];
      const agency = returning.find((candidate) => email.destination.to.includes(candidate.spoc.email));
      return reference && references.has(reference) && agency ? [{ agency, link: agencyLinkIn(email) }] : [];
    });
  });
  if (links.length !== reviews * returning.length) {
    throw new Error(
      `Expected ${reviews * returning.length} request emails to returning agencies, found ${links.length}`,
    );
  }

  await phase('summaries uploaded and recorded', async () => {
    await inParallel(links, concurrency, ({ agency, link }) =>
      client.uploadSummary(link, {
        name: `${agency.name} summary (invented).pdf`,
        type: 'application/pdf',
        bytes: demoSummaryPdf(agency.name),
      }),
    );
    await client.settle();
  });

  for (const deadline of ['reminder day', 'Day 10 deadline', 'Day 11 collation', 'Day 12 papers']) {
    await phase(`clock to the ${deadline}`, () => client.advanceToNext());
  }

  await phase('reports written and completed', () =>
    inParallel(cases, concurrency, ({ caseId }) => client.writeReport(caseId)),
  );

  await phase('decisions recorded', () =>
    inParallel(cases, concurrency, ({ caseId }) =>
      client.recordDecision(caseId, {
        commissionLocalReview: false,
        localReviewReason: 'Invented benchmark reason: no local review.',
        recommendNationalReview: false,
        nationalReviewReason: 'Invented benchmark reason: no national review.',
      }),
    ),
  );

  await phase('partners signed off', () =>
    inParallel(cases, concurrency, ({ caseId }) => client.allPartnersAgree(caseId)),
  );

  const outcome = await phase('outcomes sent to the Panel', async () => {
    await client.settle();
    const counts: Record<string, number> = {};
    for (const status of ['SUCCEEDED', 'RUNNING', 'FAILED'] as const) {
      let nextToken: string | undefined;
      counts[status] = 0;
      do {
        const page = await sfn.send(
          new ListExecutionsCommand({
            stateMachineArn: ready.stateMachineArn,
            statusFilter: status,
            nextToken,
          }),
        );
        counts[status] += page.executions?.length ?? 0;
        nextToken = page.nextToken;
      } while (nextToken);
    }
    const panelEmails = emailsTo(await client.emails(), ready.panelMailbox);
    return { counts, panelEmails: panelEmails.length };
  });

  const wallSeconds = (performance.now() - began) / 1000;
  sampler.stop();
  const stackStatistics = await statistics();
  const processes: ProcessUsage[] = processTreeUsage(child.pid as number);
  const failed = reviews - (outcome.counts.SUCCEEDED ?? 0);
  if (failed > 0 || outcome.panelEmails !== reviews) exitStatus = 1;

  const report = {
    reviews,
    concurrency,
    wallSeconds,
    completed: outcome.counts.SUCCEEDED ?? 0,
    failed,
    panelEmails: outcome.panelEmails,
    peakRssBytes: sampler.peakBytes,
    processes: processes.map(({ name, cpuSeconds, peakRssBytes }) => ({ name, cpuSeconds, peakRssBytes })),
    phases,
    emulators: stackStatistics.emulators,
    operations: stackStatistics.operations,
    functions: stackStatistics.functions,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryBytes: totalmem(),
      node: process.version,
      loadAverage: loadavg()[0],
    },
  };
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
} catch (error) {
  exitStatus = 1;
  console.error(`The benchmark stopped: ${(error as Error).message}`);
} finally {
  sampler.stop();
  // A stack that has already gone (crashed) sends no more `exit` event: waiting for one would
  // leave the top-level await unsettled, and Node would exit 13 instead of 1.
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}
process.exit(exitStatus);

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

function timingRows(timings: Record<string, Timing>): string[] {
  return Object.entries(timings)
    .sort(([, a], [, b]) => b.totalMs - a.totalMs)
    .map(
      ([name, timing]) =>
        `  ${name.padEnd(28)} ${String(timing.count).padStart(7)} ${(timing.totalMs / 1000).toFixed(1).padStart(10)} s ${(timing.totalMs / Math.max(1, timing.count)).toFixed(1).padStart(8)} ms ${timing.maxMs.toFixed(0).padStart(8)} ms ${String(timing.failures).padStart(8)}`,
    );
}

function printReport(report: {
  reviews: number;
  wallSeconds: number;
  completed: number;
  failed: number;
  panelEmails: number;
  peakRssBytes: number;
  processes: { name: string; cpuSeconds: number; peakRssBytes: number }[];
  emulators: Record<string, Timing>;
  operations: Record<string, Timing>;
  functions: Record<string, Timing>;
  machine: { cpu: string; cores: number; memoryBytes: number; node: string; loadAverage: number | undefined };
}) {
  const cpu = report.processes.reduce((sum, process) => sum + process.cpuSeconds, 0);
  console.log(`
${report.reviews} reviews: ${report.completed} completed, ${report.failed} failed, ${report.panelEmails} Panel emails
wall time ${report.wallSeconds.toFixed(1)} s; peak memory of the stack's processes ${mib(report.peakRssBytes)}
CPU time ${cpu.toFixed(1)} s (${(cpu / report.reviews).toFixed(3)} s a review): ${report.processes
    .map((process) => `${process.name} ${process.cpuSeconds.toFixed(1)} s, peak ${mib(process.peakRssBytes)}`)
    .join('; ')}

per emulator (requests from the handlers)  requests      total     mean      max failures
${timingRows(report.emulators).join('\n')}

per operation                              requests      total     mean      max failures
${timingRows(report.operations).join('\n')}

per step (function invocations)           invocations    total     mean      max failures
${timingRows(report.functions).join('\n')}

machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${mib(report.machine.memoryBytes)}, Node ${report.machine.node}, load average ${report.machine.loadAverage?.toFixed(1)}`);
}
