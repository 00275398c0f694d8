/**
 * Issue 12 part 4 end to end: the operator's pages on the local stack, built on the Step
 * Functions API as on AWS. One whole review runs to the Panel's reply, one waits for its first
 * rung, and one execution started for a case that does not exist fails at its first step (as an
 * execution whose step cannot find its case would). The operator opens /ops: its counts by state
 * (on the graph and in its table) match what the Step Functions API says of each execution,
 * the failed one first and red; then each execution's page. Every page is clean under axe at
 * desktop width and at 320 px, where only the graph's own scrolling region is wider than the window.
 */
import { randomUUID } from 'node:crypto';
import {
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { runDemoReview } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { expectNoAxeViolations } from './support/axe.ts';
import { defaultViewport, screenshot, signInAs, textOf, usePage } from './support/browser.ts';
import { narrowViewport, overflowProblems, sidewaysOverflow } from './support/layout.ts';
import { useLocalStack } from './support/stack.ts';

describe('the operations pages on the local stack', () => {
  const stack = useLocalStack();
  const browser = usePage();

  /** Axe at both widths, and nothing but the graph's region wider than the window at 320 px. */
  const checkBothWidths = async (what: string, name: string) => {
    await expectNoAxeViolations(browser.page, what);
    await screenshot(browser.page, name);
    await browser.page.setViewportSize(narrowViewport);
    expect(overflowProblems(await sidewaysOverflow(browser.page)), `${what} at 320 px`).toEqual([]);
    await expectNoAxeViolations(browser.page, `${what} at 320 px`);
    await screenshot(browser.page, `${name}-320`);
    await browser.page.setViewportSize(defaultViewport);
  };

  it('shows every execution, failures first, with the counts by state the Step Functions API gives, and each execution’s way through the graph', async () => {
    // Prepare: a whole review, one waiting for its first rung, and one that fails at its first step.
    const finished = await runDemoReview(stack.client, sampleNotification());
    const waiting = await stack.client.submitNotification(sampleNotification(), randomUUID());
    await stack.client.waitForCase(waiting.caseId, 'its agencies asked', (view) =>
      view.agencies.every((agency) => agency.status === 'requested'),
    );
    const sfn = new SFNClient({
      region: 'eu-west-2',
      endpoint: stack.stack.sfnEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const orphan = randomUUID();
    await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: stack.stack.stateMachineArn,
        name: orphan,
        input: JSON.stringify({ caseId: orphan }),
      }),
    );
    await stack.stack.whenSettled();

    // What the API says: each execution's status and the last state it entered.
    const { executions = [] } = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: stack.stack.stateMachineArn }),
    );
    const lastState = async (executionArn: string) => {
      const { events = [] } = await sfn.send(
        new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, includeExecutionData: false }),
      );
      return events.find((event) => event.type?.endsWith('StateEntered'))?.stateEnteredEventDetails?.name;
    };
    const expected = new Map<string, { running: number; ended: number }>();
    for (const execution of executions) {
      if (execution.status === 'FAILED') continue;
      const state = (await lastState(execution.executionArn!))!;
      const count = expected.get(state) ?? { running: 0, ended: 0 };
      if (execution.status === 'RUNNING') count.running += 1;
      else count.ended += 1;
      expected.set(state, count);
    }
    expect(executions.map((execution) => execution.status).sort()).toEqual([
      'FAILED',
      'RUNNING',
      'SUCCEEDED',
    ]);

    // Act
    await signInAs(browser.page, stack.apiUrl, 'operator');
    const response = await browser.page.goto(`${stack.apiUrl}/ops`);

    // Assess: the list, failures first, cases by reference.
    expect(response?.status()).toBe(200);
    const rows = browser.page.locator('#ops-executions tbody tr');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).getAttribute('data-execution')).toBe(orphan);
    expect(await textOf(browser.page, '#ops-executions tbody tr:nth-child(1)')).toContain(
      'Failed in PlanTimetable',
    );
    expect(await textOf(browser.page, '#ops-executions')).toContain(finished.reference);
    expect(await textOf(browser.page, '#ops-executions')).toContain(waiting.reference);
    expect(await textOf(browser.page, '#ops-executions')).toMatch(
      /Until \d{1,2}(:\d\d)?(am|pm) on \w+day \d+ \w+ 2026/,
    );

    // The counts, in the table and on the graph, are the API's.
    const shown = new Map<string, { running: number; failed: number; ended: number }>();
    for (const row of await browser.page.locator('#ops-states tbody tr').all()) {
      const state = (await row.getAttribute('data-state'))!;
      const cells = (await row.locator('td').allInnerTexts()).map((text) => text.trim());
      shown.set(state, { running: Number(cells[1]), failed: Number(cells[2]), ended: Number(cells[3]) });
      const onGraph = await browser.page.locator(`svg g[data-state="${state}"]`).getAttribute('data-count');
      expect(Number(onGraph), state).toBe(Number(cells[1]) + Number(cells[2]) + Number(cells[3]));
    }
    for (const [state, count] of expected) {
      expect(shown.get(state), state).toMatchObject(count);
    }
    expect(shown.get('PlanTimetable')?.failed).toBe(1);
    const total = [...shown.values()].reduce(
      (sum, count) => sum + count.running + count.failed + count.ended,
      0,
    );
    expect(total).toBe(executions.length);
    expect(await browser.page.locator('svg g.app-ops-graph__state--failed').count()).toBe(1);
    expect(await browser.page.locator('svg[role="img"] title').first().textContent()).toContain('workflow');
    await checkBothWidths('the operations page', 'ops-overview');

    // Act: the failed execution's page.
    await browser.page.locator(`a[href="/ops/executions/${orphan}"]`).click();
    await browser.page.waitForURL((url) => url.pathname === `/ops/executions/${orphan}`);

    // Assess
    expect(await textOf(browser.page, '#execution-summary')).toContain('Failed in');
    expect(await textOf(browser.page, '#execution-summary')).toContain('PlanTimetable');
    expect(
      await browser.page.locator('svg g.app-ops-graph__state--failed[data-state="PlanTimetable"]').count(),
    ).toBe(1);
    expect(await browser.page.locator('#execution-history tbody tr').count()).toBeGreaterThan(4);
    // No case of that id, so there is nothing to resume.
    expect(await browser.page.locator('#resume').count()).toBe(0);
    await checkBothWidths('a failed execution’s page', 'ops-execution-failed');

    // Act: the finished review's page.
    await browser.page.goto(`${stack.apiUrl}/ops/executions/${finished.caseId}`);

    // Assess: its path ends where it ended, every state it went through dark.
    const path = await browser.page.locator('#execution-path li').allInnerTexts();
    expect(path[0]).toMatch(/^PlanTimetable, /);
    expect(path.at(-1)).toMatch(/^ReviewComplete, /);
    expect(await browser.page.locator('svg .app-ops-graph__transition--taken').count()).toBeGreaterThan(5);
    expect(await textOf(browser.page, 'h1')).toBe(`Execution for ${finished.reference}`);
    await checkBothWidths('a finished execution’s page', 'ops-execution-finished');
  }, 600_000);

  it('shows a review made to fail in red at its step, and resumes it from there when the operator gives a reason', async () => {
    // Prepare: a review whose collation is made to fail once (the local controls' rehearsal).
    const { caseId, reference } = await stack.client.submitNotification(sampleNotification(), randomUUID());
    await stack.stack.whenSettled();
    stack.stack.rehearsal.plan(caseId, 'collate-report');
    for (let jumps = 0; (await stack.client.getCase(caseId)).status !== 'failed'; jumps += 1) {
      if (jumps > 12) throw new Error('The review never failed');
      await stack.client.advanceToNext();
    }
    await signInAs(browser.page, stack.apiUrl, 'operator');

    // Act
    await browser.page.goto(`${stack.apiUrl}/ops`);

    // Assess: among the failures, which come first, red at CollateReport.
    const listed = await browser.page
      .locator('#ops-executions tbody tr')
      .evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute('data-execution'), row.getAttribute('data-status')] as const),
      );
    const at = listed.findIndex(([name]) => name === caseId);
    expect(listed[at]?.[1]).toBe('FAILED');
    expect(listed.slice(0, at).every(([, status]) => status === 'FAILED')).toBe(true);
    const row = `#ops-executions tr[data-execution="${caseId}"]`;
    expect(await textOf(browser.page, row)).toContain(reference);
    expect(await textOf(browser.page, row)).toContain('Failed in CollateReport');
    expect(
      await browser.page.locator('svg g.app-ops-graph__state--failed[data-state="CollateReport"]').count(),
    ).toBe(1);

    // Act: resume it, first without a reason.
    await browser.page.locator(`a[href="/ops/executions/${caseId}"]`).click();
    await browser.page.locator('#resume').click();
    await browser.page.waitForURL((url) => url.pathname === `/ops/executions/${caseId}/resume`);
    await checkBothWidths('the resume confirmation page', 'ops-resume');
    await browser.page.locator('#confirm-resume').click();

    // Assess: the error summary names the field, and nothing resumed.
    expect(await textOf(browser.page, '.govuk-error-summary')).toContain(
      'Enter why you are resuming this review',
    );
    expect(await browser.page.locator('.govuk-error-summary a[href="#reason"]').count()).toBe(1);
    await expectNoAxeViolations(browser.page, 'the resume page with an error');
    expect((await stack.client.getCase(caseId)).status).toBe('failed');

    // Act: with a reason.
    await browser.page.locator('#reason').fill('Invented reason: the rehearsed fault is over (test).');
    await browser.page.locator('#confirm-resume').click();
    await browser.page.waitForURL((url) => url.pathname === `/ops/executions/${caseId}-resume-1`);
    await stack.stack.whenSettled();

    // Assess: the new execution, the case no longer failed, the resume audited with the reason.
    expect(await textOf(browser.page, '.govuk-notification-banner')).toContain(
      'resuming from the step that failed',
    );
    const resumed = await stack.client.getCase(caseId);
    expect(resumed.status).not.toBe('failed');
    expect(resumed.workflow.status).toBe('RUNNING');
    expect(resumed.audit.filter((event) => event.action === 'case.resumed')).toHaveLength(1);
    await browser.page.goto(`${stack.apiUrl}/ops`);
    expect(await textOf(browser.page, row)).toContain('Resumed since');
    expect(
      await browser.page.locator('svg g.app-ops-graph__state--failed[data-state="CollateReport"]').count(),
    ).toBe(0);
  }, 600_000);
});
