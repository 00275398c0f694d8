/**
 * Issue 11 part 7 and its "Done when", checked end to end: every page each role can reach, and
 * an agency through its emailed link, at desktop width and at 320 px, is clean under axe (WCAG
 * 2.2 AA) and, at 320 px, does not scroll sideways. Four reviews give the pages their states: a
 * whole late review to the Panel's reply (as test/e2e/plain-words.test.ts runs it), one decided
 * with a partner disagreeing (the sign-offs and the Board chair's resolution open), one waiting
 * for the chair's decision with no agency returned, and one opened today. Each role walks from
 * the start page, its home and the four cases (test/e2e/support/crawl.ts), one page of each kind
 * (`pageKind`: one agency's page for all the agencies). Each home, and the team's page of the
 * finished case, is kept as a screenshot at both widths in test-results/screenshots/every-page/.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { staffMenuPages } from '../../functions/web/pages/menu.ts';
import { runDemoReview, runDemoReviewToDecision } from '../../local/demo/run-review.ts';
import { sampleNotification } from '../../local/sample-notification.ts';
import { caseReaders, type StaffRole, staffRole } from '../../shared/schemas/roles.ts';
import { axeViolations, describeViolations } from './support/axe.ts';
import { defaultViewport, screenshot, signInAs, usePage } from './support/browser.ts';
import { agencyPathsIn, crawl, pageKind } from './support/crawl.ts';
import { narrowViewport, overflowProblems, sidewaysOverflow } from './support/layout.ts';
import { useLocalStack } from './support/stack.ts';

/** A role's home: its own entry in the service navigation (the notifier's notifications, not the notify journey). */
function homeOf(role: StaffRole): string {
  const entries = staffMenuPages.filter(
    (entry) => entry.access.kind === 'staff' && entry.access.roles.includes(role),
  );
  const home = entries.find((entry) => entry.path !== '/notify') ?? entries[0];
  if (!home) throw new Error(`The ${role} has no entry in the service navigation`);
  return home.path;
}

/** The pages about the service itself, linked from every page's footer: the same for everyone. */
const aboutTheService = ['/accessibility-statement', '/privacy', '/cookies'];

describe('every page at 320 px and at desktop width', () => {
  const stack = useLocalStack();
  const browser = usePage();

  it('is clean under axe at both widths and never scrolls sideways at 320 px, for every role and an agency', async () => {
    // Arrange: a whole late review; one decided, a partner disagreeing, so the others' sign-offs
    // and the Board chair's resolution are open; one left waiting for the decision, no agency
    // having returned; and one opened today, its agencies just asked.
    const finished = await runDemoReview(stack.client, sampleNotification(), () => {}, { late: true });
    const { client } = stack;
    const decided = await runDemoReviewToDecision(client, sampleNotification());
    await client.signOff(decided.caseId, 'health', {
      agrees: false,
      reasons: 'Invented reasons (demo): the health partner reads the criteria differently.',
    });
    const waiting = await client.submitNotification(sampleNotification(), randomUUID());
    await client.waitForCase(waiting.caseId, 'its agencies asked', (view) =>
      view.agencies.every((agency) => agency.status === 'requested'),
    );
    for (let jumps = 0; (await client.getCase(waiting.caseId)).status !== 'awaiting-decision'; jumps += 1) {
      if (jumps > 12) throw new Error('The second review never reached the decision');
      await client.advanceToNext();
    }
    const opened = await client.submitNotification(sampleNotification(), randomUUID());
    await client.waitForCase(opened.caseId, 'its agencies asked', (view) =>
      view.agencies.every((agency) => agency.status === 'requested'),
    );
    const cases = [finished.caseId, decided.caseId, waiting.caseId, opened.caseId].map(
      (caseId) => `/cases/${caseId}`,
    );

    const problems: string[] = [];
    let pagesChecked = 0;
    const checked: string[] = [];
    /** Checks the page the browser shows at both widths; keeps a screenshot of it when named. */
    const check = async (who: string, path: string, name?: string) => {
      const page = browser.page;
      const desktop = await axeViolations(page);
      if (desktop.length > 0) {
        problems.push(`${who} on ${path} at desktop width: axe found\n${describeViolations(desktop)}`);
      }
      if (name) await screenshot(page, name);
      await page.setViewportSize(narrowViewport);
      for (const problem of overflowProblems(await sidewaysOverflow(page))) {
        problems.push(`${who} on ${path} at 320 px: ${problem}`);
      }
      const narrow = await axeViolations(page);
      if (narrow.length > 0) {
        problems.push(`${who} on ${path} at 320 px: axe found\n${describeViolations(narrow)}`);
      }
      if (name) await screenshot(page, `${name}-320`);
      await page.setViewportSize(defaultViewport);
      pagesChecked += 1;
      checked.push(`${who} ${path}`);
    };

    // Act: each role walks from its home, the start page and, when it may read them, the four
    // cases. The pages about the service read alike for everyone, and are checked once.
    const seen = new Set<string>();
    const keyFor = (who: string) => (path: string) =>
      aboutTheService.includes(path) ? path : `${who} ${pageKind(path)}`;
    const roles: StaffRole[] = [...staffRole.options];
    for (const role of roles) {
      await signInAs(browser.page, stack.apiUrl, role);
      const home = homeOf(role);
      await crawl({
        page: browser.page,
        baseUrl: stack.apiUrl,
        start: [home, '/', ...(caseReaders.includes(role) ? cases : [])],
        keyOf: keyFor(role),
        seen,
        onPage: (path) =>
          check(
            role,
            path,
            path === home
              ? `${role}-home`
              : role === 'partnership-team' && path === cases[0]
                ? 'finished-case'
                : undefined,
          ),
      });
    }
    // An agency, with no account: its pages from its request email, for the review opened today
    // (the link live) and for the finished one (its link closed).
    await browser.page.context().clearCookies();
    const emails = await stack.stack.inbox.listEmails();
    for (const [who, reference] of [
      ['an agency', opened.reference],
      ['an agency after the review', finished.reference],
    ] as const) {
      const [agencyHome] = agencyPathsIn(emails.filter((email) => email.subject.includes(reference)));
      expect(agencyHome, `an agency link for ${reference}`).toBeDefined();
      await crawl({
        page: browser.page,
        baseUrl: stack.apiUrl,
        start: [agencyHome!],
        keyOf: keyFor(who),
        seen,
        onPage: (path) =>
          check(who, path, path === agencyHome && who === 'an agency' ? 'agency-home' : undefined),
      });
    }

    // Assess: enough was walked for the check to mean something, and nothing was found.
    expect(pagesChecked).toBeGreaterThan(roles.length * 4);
    // The operator (issue 12 part 4): the operations page, its graph, and an execution's page.
    expect(homeOf('operator')).toBe('/ops');
    expect(checked).toContain('operator /ops');
    expect(checked.some((entry) => entry.startsWith('operator /ops/executions/'))).toBe(true);
    expect(problems.length, problems.join('\n\n')).toBe(0);
  }, 900_000);
});
