/**
 * `npm run demo`: one invented Rapid Review from notification to the Panel's mailbox, through the
 * HTTP API only; `npm run demo -- --late` runs the late path instead; `npm run demo -- --local-review`
 * goes on from the Rapid Review's decision to commission a Local Child Safeguarding Practice Review
 * and walks that review, through the pages people use (the enquiry, the work in writing, the drafts),
 * to its recorded publication; `npm run demo -- --referral` comes in the other way, by a Practice
 * Review Group referral (the referrer, the strategic lead's emailed link, the group's decision,
 * the team commissioning it), then walks the review the same way. Uses the stack `npm start` is
 * running (found through .local/stack.json) or, when none answers, starts its own in a fresh
 * folder under .local/ and stops it afterwards.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { clocksInWords } from '../../shared/workflow/clocks-wording.ts';
import { formatInstant } from '../../shared/workflow/london-time.ts';
import { startLocalStack } from '../stack.ts';
import { runDemoLearning } from './learning.ts';
import {
  type DemoLocalReviewResult,
  localReviewReport,
  runDemoLocalReview,
  walkDemoLocalReview,
} from './local-review.ts';
import { demoNotification } from './notification.ts';
import { commissionDemoLocalReviewFromReferral } from './referral.ts';
import { ReviewClient } from './review-client.ts';
import { runDemoReview, type TimelineEntry } from './run-review.ts';

const projectRoot = resolve(import.meta.dirname, '../..');

async function runningStack(): Promise<{ apiUrl: string; sesUrl: string } | undefined> {
  try {
    const stack = JSON.parse(readFileSync(join(projectRoot, '.local/stack.json'), 'utf8')) as {
      apiUrl: string;
      sesUrl: string;
    };
    const response = await fetch(`${stack.apiUrl}/local/clock`, { signal: AbortSignal.timeout(2000) });
    return response.ok ? stack : undefined;
  } catch {
    return undefined;
  }
}

/** Consecutive saves of the report's sections read as one line. */
function withReportSavesTogether(timeline: TimelineEntry[]): TimelineEntry[] {
  const merged: TimelineEntry[] = [];
  let saves = 0;
  for (const entry of timeline) {
    if (entry.what.startsWith('Saved the report section')) {
      saves += 1;
      if (saves > 1) {
        merged[merged.length - 1] = { ...entry, what: `Saved ${saves} sections of the rapid review report` };
        continue;
      }
    } else saves = 0;
    merged.push(entry);
  }
  return merged;
}

function printTimeline(timeline: TimelineEntry[]) {
  console.log('\nTimeline (virtual time, London):');
  for (const entry of withReportSavesTogether(timeline)) {
    const day = entry.day === undefined ? '      ' : `Day ${String(entry.day).padStart(2)}`;
    console.log(`  ${formatInstant(entry.at, 'Europe/London').padEnd(36)} ${day}  ${entry.what}`);
  }
}

/**
 * Keeps the demo's emails after its own stack stops: one text file per email (headers and body)
 * and its attachments beside it, in a fresh folder.
 */
async function saveInbox(client: ReviewClient, folder: string): Promise<string> {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const emails = await client.emails();
  emails.forEach((email, index) => {
    const recipient = (email.destination.to[0] ?? 'nobody').split('@')[0]!.replace(/[^A-Za-z0-9.-]+/g, '-');
    const name = `${String(index + 1).padStart(2, '0')}-to-${recipient}`;
    const headers = [
      `From: ${email.from}`,
      `To: ${email.destination.to.join(', ')}`,
      ...(email.destination.cc.length ? [`Cc: ${email.destination.cc.join(', ')}`] : []),
      `Subject: ${email.subject}`,
      ...email.attachments.map((attachment) => `Attachment: ${name}-${attachment.filename}`),
    ];
    writeFileSync(join(folder, `${name}.txt`), `${headers.join('\n')}\n\n${email.body.text ?? ''}`);
    for (const attachment of email.attachments) {
      writeFileSync(
        join(folder, `${name}-${attachment.filename}`),
        Buffer.from(attachment.content, 'base64'),
      );
    }
  });
  return folder;
}

/**
 * The case's documents (the collated report, any addendum, the report, the letters), which the
 * emails point to on the case page: downloaded while the demo's stack still serves their links.
 */
async function saveCaseDocuments(client: ReviewClient, caseId: string, folder: string): Promise<string[]> {
  mkdirSync(folder, { recursive: true });
  const saved: string[] = [];
  for (const document of (await client.getCase(caseId)).documents) {
    if (!document.downloadUrl) continue;
    const response = await fetch(document.downloadUrl);
    if (!response.ok) continue;
    const type = response.headers.get('content-type') ?? '';
    const extension = type.includes('pdf')
      ? '.pdf'
      : type.includes('json')
        ? '.json'
        : type.includes('wordprocessingml')
          ? '.docx'
          : '';
    const name = `${document.name
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .toLowerCase()}${extension}`;
    writeFileSync(join(folder, name), Buffer.from(await response.arrayBuffer()));
    saved.push(name);
  }
  return saved;
}

async function main() {
  const startedAt = Date.now();
  const existing = await runningStack();
  mkdirSync(join(projectRoot, '.local'), { recursive: true });
  const demoDirectory = existing ? undefined : mkdtempSync(join(projectRoot, '.local', 'demo-'));
  const stack = demoDirectory
    ? await startLocalStack({ dataDirectory: demoDirectory, quiet: true })
    : { ...existing!, stop: async () => {} };
  console.log(
    existing
      ? `Using the running local stack at ${stack.apiUrl}`
      : `Started a local stack at ${stack.apiUrl}`,
  );
  try {
    const client = new ReviewClient(stack);
    const { now } = await client.clock();
    const args = process.argv.slice(2);
    const late = args.includes('--late');
    const localReview = args.includes('--local-review');
    const log = (message: string) =>
      console.log(`  [${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${message}`);
    const finishLocalReview = (local: DemoLocalReviewResult) => {
      const report = localReviewReport(local);
      console.log(`\n${report.timeline.join('\n')}`);
      console.log(`Done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s of real time.`);
      console.log(report.published);
    };
    if (args.includes('--referral')) {
      console.log(
        'Scenario: a Practice Review Group referral. An agency refers a case that was not notifiable; its strategic lead approves; the group decides on a Local Child Safeguarding Practice Review, which the partnership team commissions and walks to publication.',
      );
      const commissioned = await commissionDemoLocalReviewFromReferral(client, log);
      finishLocalReview(await walkDemoLocalReview(client, commissioned, log));
      return;
    }
    console.log(
      late
        ? 'Scenario: the late path. Nobody decides by the governing date; the Panel is told the review is late, and the submission says why.'
        : "Scenario: on time. The Panel was notified three working days before the partnership heard, so the Panel's date governs.",
    );
    const result = await runDemoReview(client, demoNotification(new Date(now)), log, { late });
    if (localReview) {
      console.log(
        'Then: the safeguarding partners decided to commission a Local Child Safeguarding Practice Review, which the partnership team walks to publication.',
      );
      const local = await runDemoLocalReview(client, result.caseId, log);
      await runDemoLearning(client, { caseId: result.caseId, localReviewId: local.reviewId }, log);
      finishLocalReview(local);
      return;
    }
    // The review's learning themes, learning points and actions (issue 14), through the pages.
    const learning = await runDemoLearning(client, { caseId: result.caseId }, (message) =>
      console.log(`  [${((Date.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${message}`),
    );
    console.log(`\nWhen the review is due: ${clocksInWords(result.finalCase.clocks).sentence}`);
    printTimeline(result.timeline);
    console.log(`\nCase ${result.reference} completed: status ${result.finalCase.status}.`);
    console.log(
      `Its learning themes and ${learning.actions} actions are at /cases/${result.caseId}/learning and /actions.`,
    );
    console.log(
      `The email to the Panel (${result.panelEmail.destination.to.join(', ')}) has ${result.panelEmail.attachments.length} attachments: ${result.panelEmail.attachments.map((a) => a.filename).join(', ')}.`,
    );
    if (existing) {
      console.log(`Read every email in the local inbox: ${stack.sesUrl}`);
    } else {
      const folder = await saveInbox(client, join(projectRoot, '.local', 'demo-inbox'));
      const papers = await saveCaseDocuments(client, result.caseId, join(folder, 'case-documents'));
      console.log(`Every email the demo sent, with its attachments, is saved in ${folder}`);
      console.log(
        `The case's documents (${papers.join(', ')}), which the emails point to on the case page, are saved in ${join(folder, 'case-documents')}`,
      );
    }
    console.log(`Done in ${((Date.now() - startedAt) / 1000).toFixed(1)} s of real time.`);
    if (!existing) console.log('(The demo stack stops now; run `npm start` to keep one running.)');
  } finally {
    await stack.stop();
    if (demoDirectory) rmSync(demoDirectory, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`The demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
