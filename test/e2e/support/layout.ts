/**
 * Whether a page fits its window: GOV.UK's narrowest width is 320 px, where nothing may scroll
 * sideways (WCAG 2.2 success criterion 1.4.10, reflow).
 */
import type { Page } from 'playwright-core';

/** GOV.UK's narrowest width: a page must not scroll sideways there. */
export const narrowViewport = { width: 320, height: 800 } as const;

/** What sticks out of the window: the page's own width, and the elements wider than the window. */
export interface SidewaysOverflow {
  /** `document.documentElement.scrollWidth`: wider than the window when the page scrolls sideways. */
  scrollWidth: number;
  /** The window's width (`document.documentElement.clientWidth`). */
  clientWidth: number;
  /**
   * The outermost elements that reach past the window's right or left edge, or whose content
   * (a long word, a table) does, described as `tag#id.class "their text…" (width px)`.
   */
  elements: string[];
}

/**
 * Runs in the page (a string, as the project compiles without the DOM library): every rendered
 * element whose box reaches past the window, or whose content does (a long word) where no
 * element inside it explains that, keeping only the outermost (so a wide table is named, not
 * every row and cell inside it). Visually hidden text (clipped to a pixel for screen readers)
 * is not seen, and neither is what lies inside it. Nor is what lies inside a scrolling region a
 * keyboard reaches (overflow auto, role="region", a tabindex): a diagram that needs two
 * dimensions, such as the operations pages' graph, which WCAG 1.4.10 lets scroll; the region
 * itself must still fit.
 */
const findOverflow = `(() => {
  const root = document.documentElement;
  const width = root.clientWidth;
  const hidden = (element) => {
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden') return true;
    const clip = style.clip !== 'auto' && style.clip !== '' ? style.clip : style.clipPath;
    return /rect\\(0(px)?,? 0(px)?,? 0(px)?,? 0(px)?\\)|inset\\(50%\\)/.test(clip ?? '');
  };
  const scrollRegion = (element) => {
    const overflowX = getComputedStyle(element).overflowX;
    return (overflowX === 'auto' || overflowX === 'scroll') &&
      element.getAttribute('role') === 'region' && element.hasAttribute('tabindex');
  };
  const over = new Set();
  // Answers whether the element or anything inside it was found reaching past the window.
  const walk = (element, skip) => {
    const skipping = skip || hidden(element);
    let inside = false;
    const inner = skipping || scrollRegion(element);
    for (const child of element.children) inside = walk(child, inner) || inside;
    if (skipping) return false;
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return inside;
    const boxOver = box.right > width + 0.5 || box.left < -0.5;
    // Content that overflows a box that fits (a long word), when no element inside explains it.
    const style = getComputedStyle(element);
    // Inside an SVG drawing, scrollWidth is the shape's size in its own user units, not on the
    // page (a chart scaled down to fit still reports its full drawn width): its box is what counts.
    const inDrawing = element instanceof SVGElement && element.tagName.toLowerCase() !== 'svg';
    const contentOver =
      !inDrawing && style.overflowX === 'visible' && box.left + element.scrollWidth > width + 0.5 && !inside;
    if (boxOver || contentOver) over.add(element);
    return boxOver || contentOver || inside;
  };
  walk(document.body, false);
  const describe = (element) => {
    const id = element.id ? '#' + element.id : '';
    const classes = [...element.classList].slice(0, 3).map((name) => '.' + name).join('');
    const text = (element.innerText || element.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 50);
    const box = element.getBoundingClientRect();
    const reach = Math.round(Math.max(box.right, box.left + element.scrollWidth));
    return element.tagName.toLowerCase() + id + classes + (text ? ' "' + text + '"' : '') + ' (reaches ' + reach + ' px)';
  };
  return {
    scrollWidth: root.scrollWidth,
    clientWidth: width,
    elements: [...over].filter((element) => !over.has(element.parentElement)).slice(0, 10).map(describe),
  };
})()`;

/** What reaches past the window on the page as it is shown now. */
export async function sidewaysOverflow(page: Page): Promise<SidewaysOverflow> {
  return (await page.evaluate(findOverflow)) as SidewaysOverflow;
}

/**
 * The overflow in words, or nothing when the page fits: "scrolls sideways (scrollWidth 508 px)"
 * and each element wider than the window.
 */
export function overflowProblems(overflow: SidewaysOverflow): string[] {
  const problems: string[] = [];
  if (overflow.scrollWidth > overflow.clientWidth) {
    problems.push(`scrolls sideways: ${overflow.scrollWidth} px wide in a ${overflow.clientWidth} px window`);
  }
  for (const element of overflow.elements) problems.push(`wider than the window: ${element}`);
  return problems;
}
