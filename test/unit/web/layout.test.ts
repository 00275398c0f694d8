/**
 * The frame every page shares (templates/layout.njk over govuk-frontend's govuk/template.njk):
 * the landmarks the template draws, with the header, phase banner and footer inside them; the
 * service as the partnership's own (its name in the Design System's generic header, no GOV.UK
 * crown, logotype or Crown copyright); the footer's links; and no sign-in offered to agencies.
 */
import { describe, expect, it } from 'vitest';
import { agencyPages } from '../../../functions/agency-web/pages.ts';
import { agencyReturnPages } from '../../../functions/agency-web/return-pages.ts';
import { caseWebPages } from '../../../functions/web/pages/case-pages.ts';
import { pages } from '../../../functions/web/pages/index.ts';
import { serviceName } from '../../../functions/web/router.ts';
import { mintAgencyToken } from '../../../shared/agency-links.ts';
import {
  InMemoryCaseStore,
  SettableClock,
  testProfile,
  testS3Client,
  testService,
} from '../api/support/api-fixtures.ts';
import {
  govukBrandMarks,
  sessionlessWebApp,
  signedIn,
  testUser,
  testWebApp,
  webEvent,
} from './support/web-fixtures.ts';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

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
    expect(header).toContain('class="govuk-generic-header"');
    expect(header).toMatch(
      new RegExp(
        `class="govuk-service-navigation__service-name">\\s*<a href="/"[^>]*>\\s*${serviceName}\\s*</a>`,
      ),
    );
    expect(inside(html, 'footer')).toContain('class="govuk-footer"');
  });

  it("names the partnership in the Design System's generic header, leading to the start page, with nothing of GOV.UK's brand on the page", async () => {
    // Act
    const html = await startPage();

    // Assess
    const header = inside(html, 'header');
    expect(header).toMatch(
      new RegExp(
        `<a href="/" class="govuk-generic-header__homepage-link">\\s*${escapeRegExp(testProfile.partnershipName)}\\s*</a>`,
      ),
    );
    expect(govukBrandMarks(html)).toEqual([]);
    expect(html).toContain('<meta name="theme-color" content="#0b0c0c">');
  });

  it('links the footer to the accessibility statement, the privacy notice and the cookies page, and says who runs the service', async () => {
    // Act
    const html = await startPage();

    // Assess
    const footer = inside(html, 'footer');
    const links = [...footer.matchAll(/<a class="govuk-footer__link" href="([^"]+)">([^<]+)<\/a>/g)].map(
      ([, href, text]) => [href, text],
    );
    expect(links).toEqual([
      ['/accessibility-statement', 'Accessibility statement'],
      ['/privacy', 'Privacy notice'],
      ['/cookies', 'Cookies'],
    ]);
    expect(footer).toContain(`Run by ${testProfile.partnershipName}`);
  });

  it('shows the same header and footer, signed in, on a page of the case pages’ function', async () => {
    // Prepare
    const app = testWebApp(caseWebPages);
    const browser = signedIn(testUser('partnership-team'));

    // Act: no case of that id, so the case pages' function answers its 404 page, in the layout.
    const result = await app(
      webEvent({ path: '/cases/0b6f2d4e-1c3a-4e5f-9a7b-00000000c0de/decision', cookies: browser.cookies }),
    );

    // Assess
    const html = String(result.body);
    expect(inside(html, 'header')).toContain(testProfile.partnershipName);
    expect(inside(html, 'footer')).toContain('href="/privacy"');
    expect(govukBrandMarks(html)).toEqual([]);
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

describe('the layout on a page reached by an agency’s link', () => {
  const token = mintAgencyToken().token;

  it('offers no sign-in in the agency pages’ function, and leads the header to the agency’s own page', async () => {
    // Prepare: the agency pages' function, which holds no sessions (functions/agency-web/handler.ts).
    const service = testService({
      store: new InMemoryCaseStore(),
      clock: new SettableClock('2026-03-09T11:00:00Z'),
      s3: testS3Client(),
    });
    const app = sessionlessWebApp([...agencyPages, ...agencyReturnPages], service);

    // Act: a link the service never sent, so the agency's "not valid" page, in the layout.
    const result = await app(webEvent({ path: `/agency/${token}` }));

    // Assess
    const html = String(result.body);
    expect(result.statusCode).toBe(404);
    expect(html).not.toMatch(/sign in/i);
    expect(html).not.toContain('href="/sign-in"');
    const header = inside(html, 'header');
    expect(header).toContain(`href="/agency/${token}" class="govuk-generic-header__homepage-link"`);
    expect(header).toContain(testProfile.partnershipName);
    expect(inside(html, 'footer')).toContain('href="/accessibility-statement"');
    expect(govukBrandMarks(html)).toEqual([]);
  });

  it('offers no sign-in on an address under an agency’s link that the web function answers', async () => {
    // Act: API Gateway sends an unknown path under an agency's link to the web function's catch-all.
    const result = await testWebApp(pages)(webEvent({ path: `/agency/${token}/nothing-here` }));

    // Assess
    const html = String(result.body);
    expect(result.statusCode).toBe(404);
    expect(html).not.toContain('href="/sign-in"');
    expect(inside(html, 'header')).toContain(`href="/agency/${token}"`);
  });

  it('still offers sign-in on a staff page to someone not signed in', async () => {
    // Act
    const html = await startPage();

    // Assess: the control for the two tests above.
    expect(inside(html, 'header')).toContain('href="/sign-in"');
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
