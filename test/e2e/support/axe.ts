/**
 * Accessibility checks with axe-core through @axe-core/playwright, limited to the WCAG 2.2 AA
 * rules (the standard public sector services are held to), at the page's own width and at
 * 320 px, where the page may not scroll sideways either (test/e2e/support/layout.ts).
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { narrowViewport, overflowProblems, sidewaysOverflow } from './layout.ts';

/** One rule axe found broken, with the elements that break it (axe-core's `Result`). */
export type AxeViolation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

/** The axe tags for WCAG 2.0, 2.1 and 2.2 at levels A and AA. */
export const wcag22aaTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

export interface AxeCheckOptions {
  /** CSS selectors of parts of the page to leave out (say why in the test). */
  exclude?: string[];
  /**
   * `expectNoAxeViolations` checks the page at 320 px too, unless this is false (say why in the
   * test), or the window is that narrow already.
   */
  alsoAt320?: boolean;
}

/** Runs axe on what the page shows now and answers the WCAG 2.2 AA violations. */
export async function axeViolations(page: Page, options: AxeCheckOptions = {}): Promise<AxeViolation[]> {
  // Only the violations are read: axe then lists one example of each pass, not every node (faster).
  // Options first: `options()` replaces them all, the rules `withTags` chose among them.
  let builder = new AxeBuilder({ page }).options({ resultTypes: ['violations'] }).withTags([...wcag22aaTags]);
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  const results = await builder.analyze();
  return results.violations;
}

/** One paragraph per violation: rule id, impact, what it asks, and each offending element. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((violation) => {
      const targets = violation.nodes.map((node) => {
        const selector = node.target
          .map((part) => (Array.isArray(part) ? part.join(' >>> ') : part))
          .join(' ');
        // axe writes "Fix any of the following:" and then one check per line.
        const [lead, ...checks] = (node.failureSummary ?? '')
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean);
        const why = lead ? `${lead} ${checks.join('; ')}` : '';
        return `    - ${selector}${why ? `: ${why}` : ''}`;
      });
      return [
        `  ${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}`,
        `    ${violation.helpUrl}`,
        ...targets,
      ].join('\n');
    })
    .join('\n');
}

/**
 * Fails when axe finds any WCAG 2.2 AA violation on what the page shows now, listing each one
 * readably; then the same at 320 px wide, where the page may not scroll sideways nor any element
 * reach past the window (named in the failure). The window is put back to its size afterwards.
 * `name` says which page or state was checked, as in the test's screenshot name.
 */
export async function expectNoAxeViolations(
  page: Page,
  name: string,
  options: AxeCheckOptions = {},
): Promise<void> {
  const violations = await axeViolations(page, options);
  if (violations.length > 0) {
    throw new Error(
      `axe found ${violations.length} WCAG 2.2 AA violation(s) on ${name} (${page.url()}):\n${describeViolations(violations)}`,
    );
  }
  const size = page.viewportSize();
  if (options.alsoAt320 === false || !size || size.width <= narrowViewport.width) return;
  await page.setViewportSize(narrowViewport);
  try {
    const problems = overflowProblems(await sidewaysOverflow(page));
    const narrow = await axeViolations(page, options);
    if (narrow.length > 0) {
      problems.push(`axe found ${narrow.length} WCAG 2.2 AA violation(s):\n${describeViolations(narrow)}`);
    }
    if (problems.length > 0) {
      throw new Error(`At 320 px wide, ${name} (${page.url()}):\n${problems.join('\n')}`);
    }
  } finally {
    await page.setViewportSize(size);
  }
}
