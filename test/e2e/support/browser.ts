/**
 * Headless Chromium for the end-to-end tests: the run's one browser (started by
 * chromium.global-setup.ts from `@sparticuz/chromium`, or CHROMIUM_EXECUTABLE) driven by
 * playwright-core, a fresh browser context per test, screenshots kept as test artefacts, and
 * sign-in through the local stack's sign-in page.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, inject } from 'vitest';
import { type LocalUser, localUserFor } from '../../../local/tokens.ts';
import type { SafeguardingPartner, StaffRole } from '../../../shared/schemas/roles.ts';
import '../../support/provided-context.ts';

/** A desktop-sized window; full-page screenshots grow to the page's height. */
export const defaultViewport = { width: 1280, height: 800 } as const;

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const e2eFolder = join(projectRoot, 'test/e2e');
/** Git-ignored (`test-results/`): the screenshots are the kept artefacts of a run. */
export const screenshotFolder = join(projectRoot, 'test-results/screenshots');

/**
 * Connects to the run's Chromium (the e2e project's global setup starts it). Each context made
 * on the connection has its own cookies and storage; closing the connection leaves the browser
 * running for other files.
 */
export function connectChromium(): Promise<Browser> {
  const wsEndpoint = inject('chromiumWsEndpoint');
  if (!wsEndpoint) {
    throw new Error(
      'No shared Chromium: browser tests belong in the e2e project, whose globalSetup is test/e2e/support/chromium.global-setup.ts',
    );
  }
  return chromium.connect(wsEndpoint);
}

export interface PageFixture {
  /** The current test's page, in a context of its own (no cookies or storage from other tests). */
  readonly page: Page;
  /** The current test's browser context. */
  readonly context: BrowserContext;
  /** The test file's connection to the run's browser. */
  readonly browser: Browser;
  /** Another person in the same test: a new context (own cookies) and page, closed after the test. */
  newPage(): Promise<Page>;
}

export interface UsePageOptions {
  viewport?: { width: number; height: number };
}

/**
 * For a vitest file: connects to the run's Chromium once for the file (beforeAll) and gives each
 * test a fresh context and page (beforeEach), closing them after the test and the connection
 * after the file. Read `page` inside tests and hooks, not at the top of the file.
 */
export function usePage(options: UsePageOptions = {}): PageFixture {
  const viewport = options.viewport ?? defaultViewport;
  let browser: Browser | undefined;
  let current: { context: BrowserContext; page: Page } | undefined;
  let extras: BrowserContext[] = [];

  beforeAll(async () => {
    browser = await connectChromium();
  });
  afterAll(async () => {
    await browser?.close();
    browser = undefined;
  });
  beforeEach(async () => {
    const context = await requireBrowser().newContext({ viewport });
    current = { context, page: await context.newPage() };
  });
  afterEach(async () => {
    const contexts = [...extras, ...(current ? [current.context] : [])];
    extras = [];
    current = undefined;
    await Promise.all(contexts.map((context) => context.close()));
  });

  function requireBrowser(): Browser {
    if (!browser) throw new Error('Chromium is not running: use the page inside a test or a hook');
    return browser;
  }
  function requireCurrent() {
    if (!current) throw new Error('No page yet: usePage() gives a page inside a test (after beforeEach)');
    return current;
  }

  return {
    get page() {
      return requireCurrent().page;
    },
    get context() {
      return requireCurrent().context;
    },
    get browser() {
      return requireBrowser();
    },
    async newPage() {
      const context = await requireBrowser().newContext({ viewport });
      extras.push(context);
      return context.newPage();
    },
  };
}

/** `test/e2e/notify.test.ts` → `notify`; `test/e2e/pages/case.test.ts` → `pages/case`. */
function testFileName(): string {
  const testPath = expect.getState().testPath;
  if (!testPath) return 'outside-a-test';
  const inside = relative(e2eFolder, testPath);
  const name = inside.startsWith('..') ? (testPath.split(/[\\/]/).pop() ?? 'unknown') : inside;
  return name.replace(/\.test\.ts$/, '').replaceAll('\\', '/');
}

/**
 * Saves a full-page PNG of what the page shows to
 * `test-results/screenshots/<test file>/<name>.png` and answers that path.
 * Names are kebab-case words such as `start-page` or `check-answers-with-errors`.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) {
    throw new Error(`Screenshot names are kebab-case words (a-z, 0-9, -), not "${name}"`);
  }
  const file = join(screenshotFolder, testFileName(), `${name}.png`);
  mkdirSync(dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

/** The text of the first element matching `selector`, whitespace collapsed ('' when there is none). */
export async function textOf(page: Page, selector: string): Promise<string> {
  const element = page.locator(selector).first();
  if ((await element.count()) === 0) return '';
  return ((await element.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** Everything a person can press: links, buttons and submit inputs. */
const pressable = 'a[href], button, input[type="submit"], input[type="button"]';

/** "rrg-chair" → "rrg chair"; how a page is likely to write a role. */
function roleWords(role: StaffRole): string {
  return role.replaceAll('-', ' ');
}

/** Whether `text` names the role: the role id, its words, or the invented user's name. */
function namesRole(text: string, role: StaffRole, user: LocalUser): boolean {
  const normalised = text.replace(/\s+/g, ' ').trim().toLowerCase();
  if (normalised === role || normalised.includes(user.name.toLowerCase())) return true;
  const words = new RegExp(`(^|[^a-z])${roleWords(role).replaceAll(' ', '[ -]')}([^a-z]|$)`, 'i');
  return words.test(normalised);
}

/** What the tests read of an element in the page (the project compiles without the DOM library). */
interface NamedElement {
  textContent: string | null;
  value?: string;
  labels?: ArrayLike<{ textContent: string | null }> | null;
  getAttribute(name: string): string | null;
}

/** An element's text, value, accessible label and, for a radio, its label's text. */
async function describeElement(element: Locator): Promise<string> {
  return element.evaluate((node) => {
    const named = node as unknown as NamedElement;
    const parts = [
      named.textContent ?? '',
      named.value ?? '',
      named.getAttribute('aria-label') ?? '',
      ...Array.from(named.labels ?? []).map((label) => label.textContent ?? ''),
    ];
    return parts.join(' ');
  });
}

/**
 * The elements among `candidates` whose text, value or label names the role. For one
 * safeguarding partner's delegate, only the value `safeguarding-partner:<partner>`, the user's
 * id or the user's name will do (every partner's delegate shares the role).
 */
async function elementsNamingRole(
  candidates: Locator,
  role: StaffRole,
  user: LocalUser,
  partner?: SafeguardingPartner,
) {
  const found: Locator[] = [];
  const exact: Locator[] = [];
  const exactValues = partner ? [`${role}:${partner}`, user.id] : [role, user.id];
  for (const element of await candidates.all()) {
    if (!(await element.isVisible())) continue;
    const value = await element.getAttribute('value');
    if (value !== null && exactValues.includes(value)) exact.push(element);
    else {
      const text = await describeElement(element);
      const named = partner
        ? text.replace(/\s+/g, ' ').toLowerCase().includes(user.name.toLowerCase())
        : namesRole(text, role, user);
      if (named) found.push(element);
    }
  }
  return exact.length > 0 ? exact : found;
}

/**
 * Signs in as the local stack's invented user for `role` through `GET <baseUrl>/sign-in`, by
 * pressing the link or button whose text, value or label names the role (or the user's name);
 * where the page offers radios instead, it picks the role's radio and presses the form's submit
 * button. Waits for the page it lands on and answers the user signed in as; fails when the
 * browser stays on the sign-in page (an error there), naming what the page said. A
 * safeguarding partner may name their partner: that partner's invented delegate signs in
 * (the local authority's when none is named).
 */
export async function signInAs(
  page: Page,
  baseUrl: string,
  role: StaffRole,
  partner?: SafeguardingPartner,
): Promise<LocalUser> {
  const user = localUserFor(role, partner);
  const signInUrl = new URL('/sign-in', baseUrl).toString();
  const response = await page.goto(signInUrl);
  if (!response?.ok()) throw new Error(`GET ${signInUrl} answered ${response?.status() ?? 'nothing'}`);

  const main = page.locator('main').first();
  const scope = (await main.count()) > 0 ? main : page.locator('body');
  const buttons = await elementsNamingRole(scope.locator(pressable), role, user, partner);
  let press: Locator | undefined;
  if (buttons.length === 1) {
    press = buttons[0];
  } else if (buttons.length === 0) {
    const radios = await elementsNamingRole(scope.locator('input[type="radio"]'), role, user, partner);
    if (radios.length === 1 && radios[0]) {
      await radios[0].check();
      press = radios[0].locator('xpath=ancestor::form').locator('button, input[type="submit"]').first();
    }
  }
  if (!press) {
    const offered = await Promise.all(
      (await scope.locator(`${pressable}, input[type="radio"]`).all()).map(async (element) =>
        (await describeElement(element)).replace(/\s+/g, ' ').trim(),
      ),
    );
    throw new Error(
      `The sign-in page has ${buttons.length === 0 ? 'no' : 'more than one'} control naming the role "${role}"; ` +
        `it offers: ${offered.map((text) => `"${text}"`).join(', ') || 'nothing'}`,
    );
  }

  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await press.click();
  await navigated;
  await page.waitForLoadState('load');
  if (new URL(page.url()).pathname === '/sign-in') {
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText keeps the rendered breaks between a summary's title and items
    const problem = await page.locator('.govuk-error-summary, main h1').first().innerText();
    throw new Error(
      `Signing in as the ${role} stayed on the sign-in page: ${problem.replace(/\s+/g, ' ').trim()}`,
    );
  }
  return user;
}
