/**
 * The frame every page shares (templates/layout.njk over govuk-frontend's govuk/template.njk):
 * the landmarks the template draws, with the GOV.UK header, phase banner and footer inside them.
 */
import { describe, expect, it } from 'vitest';
import { pages } from '../../../functions/web/pages/index.ts';
import { serviceName } from '../../../functions/web/router.ts';
import { signedIn, testUser, testWebApp, webEvent } from './support/web-fixtures.ts';

/** The opening tags of an element in the page: `<header ...>`, not `<header-something>`. */
function openingTags(html: string, element: string): string[] {
  return html.match(new RegExp(`<${element}[\\s>][^>]*>?`, 'g')) ?? [];
}

/** The markup between the first `<element ...>` and its `</element>` (landmarks here do not nest). */
function inside(html: string, element: string): string {
  const start = html.search(new RegExp(`<${element}[\\s>]`));
  const end = html.indexOf(`</${element}>`, start);
  expect(start, `a <${element}> in the page`).toBeGreaterThanOrEqual(0);
  expect(end, `a </${element}> after the <${element}>`).toBeGreaterThan(start);
  return html.slice(start, end);
}

async function startPage(cookies?: string[]): Promise<string> {
  const app = testWebApp(pages);
  const result = await app(webEvent({ path: '/', ...(cookies ? { cookies } : {}) }));
  expect(result.statusCode).toBe(200);
  return String(result.body);
}

describe('the layout of every page', () => {
  it('gives the start page one header landmark with the service name, one main and one footer landmark', async () => {
    // Act
    const html = await startPage();

    // Assess
    expect(openingTags(html, 'header')).toEqual([expect.stringMatching(/class="govuk-template__header"/)]);
    expect(openingTags(html, 'main')).toHaveLength(1);
    expect(openingTags(html, 'footer')).toEqual([expect.stringMatching(/class="govuk-template__footer"/)]);
    const header = inside(html, 'header');
    expect(header).toContain('class="govuk-header"');
    expect(header).toMatch(
      new RegExp(
        `class="govuk-service-navigation__service-name">\\s*<a href="/"[^>]*>\\s*${serviceName}\\s*</a>`,
      ),
    );
    expect(inside(html, 'footer')).toContain('class="govuk-footer"');
  });

  it('puts the phase banner after the header and before the main content', async () => {
    // Act
    const html = await startPage();

    // Assess
    const positions = ['</header>', 'class="govuk-phase-banner', '<main ', '<footer '].map((marker) =>
      html.indexOf(marker),
    );
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it("keeps the signed-in person's name and the sign-out form, with its CSRF token, in the header", async () => {
    // Prepare
    const user = testUser('notifier');
    const browser = signedIn(user);

    // Act
    const html = await startPage(browser.cookies);

    // Assess
    const header = inside(html, 'header');
    expect(header).toContain(user.name);
    expect(header).toMatch(/<form method="post" action="\/sign-out"/);
    expect(header).toContain(`value="${browser.csrfToken}"`);
    expect(header).toContain('href="/notify"');
  });
});

describe('the start page’s words', () => {
  it('calls the 15 working days the Panel’s expectation, not a statute, and Days 1 to 15 the partnership’s', async () => {
    // Act
    const html = await startPage();

    // Assess
    expect(html).toContain('follow each case through the partnership’s Days 1 to 15');
    expect(html).toContain(
      'the Panel expects a rapid review within 15 working days of being notified: its expectation, not a statute',
    );
    expect(html).not.toMatch(/statutory/i);
  });
});
