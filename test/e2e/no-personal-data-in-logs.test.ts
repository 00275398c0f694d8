/**
 * Issue 12 part 2, checked end to end: a whole late Rapid Review runs on the local stack (the
 * demo's, to the Panel's reply), and an agency's pages are opened by their links; then every
 * log line every function wrote (`<data>/logs/<function>.log`, the same lines Lambda sends to
 * CloudWatch) is read. None may hold the invented child's name, an email address, or a
 * capability token (an agency's link).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemoReview } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { agencyPathsIn } from './support/crawl.ts';
import { useLocalStack } from './support/stack.ts';

/** Anything shaped like an email address. */
const emailAddress = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+/;

describe('the log lines of a whole review', () => {
  const stack = useLocalStack();

  it("hold no child's name, no email address and no agency's link", async () => {
    // Arrange: a whole late review, then each agency's page opened by the link in its email.
    const notification = sampleNotification();
    const { caseId } = await runDemoReview(stack.client, notification, () => {}, { late: true });
    const agencyPaths = agencyPathsIn(await stack.stack.inbox.listEmails());
    for (const path of agencyPaths) {
      const page = await fetch(`${stack.apiUrl}${path}`);
      await page.arrayBuffer();
    }
    await stack.stack.whenSettled();

    // Act: every line of every function's log.
    const directory = stack.stack.logDirectory;
    const lines = readdirSync(directory)
      .filter((file) => file.endsWith('.log'))
      .flatMap((file) =>
        readFileSync(join(directory, file), 'utf8')
          .split('\n')
          .filter((line) => line !== '')
          .map((line, index) => ({ where: `${file}:${index + 1}`, line })),
      );

    // Assess
    const childNames = notification.children.flatMap((child) => (child.name ? [child.name] : []));
    const tokens = agencyPaths.map((path) => path.split('/')[2] as string);
    expect(childNames.length).toBeGreaterThan(0);
    expect(tokens.length).toBeGreaterThan(0);
    const problems = lines.flatMap(({ where, line }) => [
      ...childNames
        .filter((name) => line.includes(name))
        .map(() => `${where} holds the child's name: ${line}`),
      ...(emailAddress.test(line) ? [`${where} holds an email address: ${line}`] : []),
      ...tokens.filter((token) => line.includes(token)).map(() => `${where} holds an agency's link: ${line}`),
    ]);
    expect(problems).toEqual([]);

    // The lines read are the review's: JSON, from the workflow's steps and the API, under the case.
    const records = lines.map(({ where, line }) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${where} is not a JSON line: ${line}`);
      }
    });
    const files = readdirSync(directory);
    for (const name of ['intake.log', 'plan-timetable.log', 'submit-to-panel.log', 'agency-web.log']) {
      expect(files).toContain(name);
    }
    expect(records.filter((record) => record.caseId === caseId).length).toBeGreaterThan(10);
    expect(records).toContainEqual(
      expect.objectContaining({
        caseId,
        step: 'SubmitToPanel',
        execution: expect.stringContaining(caseId),
        function_name: 'submit-to-panel',
      }),
    );
    expect(records).toContainEqual(
      expect.objectContaining({
        _aws: expect.objectContaining({
          CloudWatchMetrics: [expect.objectContaining({ Namespace: 'SafeguardingReviews' })],
        }),
        PanelEmailsSent: 1,
      }),
    );
  });
});
