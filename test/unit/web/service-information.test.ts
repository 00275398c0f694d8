/**
 * The public pages every footer links to (functions/web/pages/service-information.ts): the
 * accessibility statement, the privacy notice and the cookies page. Open to anyone, filled from
 * the partnership profile where they need the partnership's details, and true to what the code
 * does (the cookies it sets, and for how long).
 */
import { describe, expect, it } from 'vitest';
import { proofCookieName } from '../../../functions/agency-details/pages.ts';
import type { WebService } from '../../../functions/web/page.ts';
import { pages } from '../../../functions/web/pages/index.ts';
import {
  agencyDetailsCookie,
  lengthInWords,
  serviceCookies,
} from '../../../functions/web/pages/service-information.ts';
import {
  csrfCookieName,
  SESSION_SECONDS,
  SIGN_IN_SECONDS,
  sessionCookieName,
  signInCookieName,
} from '../../../functions/web/session.ts';
import { type PartnershipProfile, partnershipProfile } from '../../../shared/config/partnership-profile.ts';
import { DETAILS_PROOF_SECONDS } from '../../../shared/use-cases/agency-details.ts';
import { engineeringWordsIn } from '../../support/plain-words.ts';
import { testProfile } from '../api/support/api-fixtures.ts';
import {
  govukBrandMarks,
  profileOnlyService,
  signedIn,
  testUser,
  testWebApp,
  webEvent,
} from './support/web-fixtures.ts';

/** The visible text of an HTML page: no tags, entities for quotes read as quotes, whitespace collapsed. */
function visibleText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;/g, '’')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
}

/** The page at `path` for someone not signed in, over a service with this profile. */
async function open(path: string, profile: PartnershipProfile = testProfile) {
  const service = Object.create(profileOnlyService(), { profile: { value: profile } }) as WebService;
  const result = await testWebApp(pages, { service })(webEvent({ path }));
  return { status: result.statusCode, html: String(result.body), text: visibleText(String(result.body)) };
}

/** The test profile with the public pages' own details given. */
const profileWithDetails = partnershipProfile.parse({
  ...testProfile,
  privacyNotice: {
    controller: 'Exampleshire County Council (demo) is the data controller for this service.',
    contactAddress: 'dpo@example.org',
    caseRecordsKept: 'until the child’s 25th birthday, then deleted (demo policy)',
  },
  accessibilityStatement: {
    contactAddress: 'accessibility@example.org',
    telephone: '01632 960 001',
    lastReviewed: '2027-01-15',
  },
});

describe('the footer’s public pages', () => {
  it.each([
    ['/accessibility-statement', 'Accessibility statement for Safeguarding practice reviews'],
    ['/privacy', 'Privacy notice'],
    ['/cookies', 'Cookies'],
  ])('serves %s to someone not signed in, in the partnership’s own layout', async (path, heading) => {
    // Act
    const page = await open(path);

    // Assess
    expect(page.status).toBe(200);
    expect(page.html).toMatch(new RegExp(`<h1 class="govuk-heading-l">${heading}</h1>`));
    expect(page.html).toContain(`href="${path}"`);
    expect(govukBrandMarks(page.html)).toEqual([]);
    expect(engineeringWordsIn(page.text)).toEqual([]);
  });

  it('serves them to someone signed in, with their name in the header', async () => {
    // Prepare
    const user = testUser('rrg-member');

    // Act
    const result = await testWebApp(pages)(webEvent({ path: '/privacy', cookies: signedIn(user).cookies }));

    // Assess
    expect(result.statusCode).toBe(200);
    expect(String(result.body)).toContain(user.name);
  });
});

describe('the accessibility statement', () => {
  it('follows the model statement: what the service is, how accessible, known issues, contact, enforcement, technical information, testing, date', async () => {
    // Act
    const { text } = await open('/accessibility-statement');

    // Assess
    expect(text).toContain(
      'This accessibility statement applies to the Safeguarding practice reviews service at https://reviews.example.org.',
    );
    expect(text).toContain(`${testProfile.partnershipName} runs this service.`);
    for (const heading of [
      'How accessible this service is',
      'Feedback and contact information',
      'Reporting accessibility problems with this service',
      'Enforcement procedure',
      'Technical information about this service’s accessibility',
      'Compliance status',
      'Non-accessible content',
      'How we tested this service',
      'Preparation of this accessibility statement',
    ]) {
      expect(text, heading).toContain(heading);
    }
    expect(text).toContain('The Equality and Human Rights Commission (EHRC) is responsible for enforcing');
    expect(text).toContain('Equality Advisory and Support Service (EASS)');
    expect(text).toContain(
      'partially compliant with the Web Content Accessibility Guidelines version 2.2 AA',
    );
    expect(text).toContain('are not tagged');
    expect(text).toContain('checked with axe, an automated accessibility testing tool, against WCAG 2.2 AA');
    expect(text).toContain('This statement was prepared on 1 December 2026.');
    expect(text).not.toContain('last reviewed');
  });

  it('gives the partnership team’s address for problems when the profile names no other', async () => {
    // Act
    const { html, text } = await open('/accessibility-statement');

    // Assess
    expect(html).toContain(`href="mailto:${testProfile.partnershipTeamAddress}"`);
    expect(text).not.toContain('call ');
  });

  it('gives the profile’s address, telephone number and date of its last review', async () => {
    // Act
    const { html, text } = await open('/accessibility-statement', profileWithDetails);

    // Assess
    expect(html).toContain('href="mailto:accessibility@example.org"');
    expect(html).not.toContain(`mailto:${testProfile.partnershipTeamAddress}"`);
    expect(text).toContain('call 01632 960 001');
    expect(text).toContain('It was last reviewed on 15 January 2027.');
  });
});

describe('the privacy notice', () => {
  it('says what is held, why, who it is shared with, for how long and who to ask, by default', async () => {
    // Act
    const { html, text } = await open('/privacy');

    // Assess
    expect(text).toContain(
      `The safeguarding partners of ${testProfile.partnershipName} (the local authority, the integrated care board and the chief officer of police) are responsible for the personal information this service holds.`,
    );
    for (const heading of [
      'Who is responsible for your information',
      'What we hold',
      'Why we hold it',
      'Who we share it with',
      'How long we keep it',
      'Your rights',
    ]) {
      expect(text, heading).toContain(heading);
    }
    expect(text).toContain('UK GDPR article 6(1)(e)');
    expect(text).toContain('national Child Safeguarding Practice Review Panel');
    // The logs' retention is the infra's (test/infra/api-stack.test.ts: 90 days).
    expect(text).toContain('records of each request to the service, with internet addresses: 3 months');
    expect(text).toContain('case records: for as long as the partnership’s records policy says');
    expect(html).toContain(`href="mailto:${testProfile.partnershipTeamAddress}"`);
    expect(html).toContain('href="https://ico.org.uk/make-a-complaint/"');
    expect(html).toContain('href="/cookies"');
  });

  it('gives the profile’s controller, contact and how long case records are kept', async () => {
    // Act
    const { html, text } = await open('/privacy', profileWithDetails);

    // Assess
    expect(text).toContain('Exampleshire County Council (demo) is the data controller for this service.');
    expect(text).not.toContain('The safeguarding partners of');
    expect(text).toContain('case records: until the child’s 25th birthday, then deleted (demo policy)');
    expect(html).toContain('href="mailto:dpo@example.org"');
    expect(html).not.toContain(`mailto:${testProfile.partnershipTeamAddress}"`);
  });
});

describe('the cookies page', () => {
  it('lists every cookie the service sets, with its purpose and when it expires, and asks for no consent', async () => {
    // Act
    const { html, text } = await open('/cookies');

    // Assess
    for (const name of [sessionCookieName, csrfCookieName, signInCookieName, proofCookieName]) {
      expect(html, name).toContain(`<code class="app-cookie-name">${name}</code>`);
    }
    expect(text).toContain('After 8 hours, or when you sign out');
    expect(text).toContain('After 10 minutes, or once you are signed in');
    expect(text).toContain('After 30 minutes, or when you close your browser');
    expect(text).toContain('we do not need to ask you to accept them');
    expect(html).not.toContain('govuk-cookie-banner');
  });

  it('names the agency details cookie and its lifetime as the agency details pages set them', () => {
    expect(agencyDetailsCookie).toEqual({ name: proofCookieName, seconds: DETAILS_PROOF_SECONDS });
  });

  it('writes each lifetime from the code’s own constants', () => {
    // Act
    const expiries = serviceCookies().map((cookie) => [cookie.name, cookie.expires]);

    // Assess
    expect(expiries).toEqual([
      [sessionCookieName, `After ${lengthInWords(SESSION_SECONDS)}, or when you sign out`],
      [csrfCookieName, `After ${lengthInWords(SESSION_SECONDS)}`],
      [signInCookieName, `After ${lengthInWords(SIGN_IN_SECONDS)}, or once you are signed in`],
      [proofCookieName, `After ${lengthInWords(DETAILS_PROOF_SECONDS)}, or when you close your browser`],
    ]);
    expect([lengthInWords(3600), lengthInWords(8 * 3600), lengthInWords(60), lengthInWords(90 * 60)]).toEqual(
      ['1 hour', '8 hours', '1 minute', '90 minutes'],
    );
  });
});

describe('the profile’s details for the public pages', () => {
  it('are optional: a profile without them is valid', () => {
    expect(testProfile.privacyNotice).toBeUndefined();
    expect(testProfile.accessibilityStatement).toBeUndefined();
  });

  it('refuses a malformed address or review date, naming the field', () => {
    const result = partnershipProfile.safeParse({
      ...testProfile,
      privacyNotice: { contactAddress: 'not an address' },
      accessibilityStatement: { lastReviewed: '2027-02-30' },
    });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'accessibilityStatement.lastReviewed',
      'privacyNotice.contactAddress',
    ]);
  });
});
