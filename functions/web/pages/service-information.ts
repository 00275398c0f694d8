import type { PartnershipProfile } from '../../../shared/config/partnership-profile.ts';
import { formatDate } from '../../../shared/workflow/london-time.ts';
import { type Page, publicAccess, render } from '../page.ts';
import {
  csrfCookieName,
  SESSION_SECONDS,
  SIGN_IN_SECONDS,
  sessionCookieName,
  signInCookieName,
} from '../session.ts';

/**
 * The pages every page's footer links to (templates/layout.njk), public so that agencies, who
 * have no account, can read them too: the accessibility statement, the privacy notice and the
 * cookies page. Served by the web function; the agency pages' footers link here as well.
 * Where they need the partnership's details they take them from the profile
 * (`privacyNotice`, `accessibilityStatement`), with defaults.
 */

/** When the accessibility statement was written, from the service's own tests and known issues. */
export const accessibilityStatementPreparedOn = '2026-12-01';

/**
 * The cookie that proves an agency's contact entered the emailed code (set by the agency details
 * pages, functions/agency-details, `proofCookieName`), and how long the proof lasts
 * (`DETAILS_PROOF_SECONDS`). Named here rather than imported, so this bundle does not carry
 * those pages; a unit test holds the two together.
 */
export const agencyDetailsCookie = { name: '__Secure-agency-details', seconds: 30 * 60 } as const;

/** "8 hours", "10 minutes", "1 hour". */
export function lengthInWords(seconds: number): string {
  const [amount, unit] =
    seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [Math.round(seconds / 60), 'minute'];
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`;
}

/** Every cookie the service sets, as the cookies page lists them. */
export function serviceCookies(): { name: string; purpose: string; expires: string }[] {
  return [
    {
      name: sessionCookieName,
      purpose: 'Keeps you signed in, so the service knows who you are and what you can do.',
      expires: `After ${lengthInWords(SESSION_SECONDS)}, or when you sign out`,
    },
    {
      name: csrfCookieName,
      purpose: 'Checks that a form you send came from this service and not from another website.',
      expires: `After ${lengthInWords(SESSION_SECONDS)}`,
    },
    {
      name: signInCookieName,
      purpose: 'Connects your return from the sign-in page to the sign-in you started.',
      expires: `After ${lengthInWords(SIGN_IN_SECONDS)}, or once you are signed in`,
    },
    {
      name: agencyDetailsCookie.name,
      purpose:
        'For an agency’s contact: remembers that you entered the code we emailed you, so you can see which child a case is about.',
      expires: `After ${lengthInWords(agencyDetailsCookie.seconds)}, or when you close your browser`,
    },
  ];
}

/** What the privacy notice and accessibility statement say about the partnership: the profile's words, or defaults. */
export function partnershipDetails(profile: PartnershipProfile) {
  const privacy = profile.privacyNotice ?? {};
  const accessibility = profile.accessibilityStatement ?? {};
  return {
    controller:
      privacy.controller ??
      `The safeguarding partners of ${profile.partnershipName} (the local authority, the integrated care board and the chief officer of police) are responsible for the personal information this service holds.`,
    privacyContact: privacy.contactAddress ?? profile.partnershipTeamAddress,
    caseRecordsKept: privacy.caseRecordsKept,
    accessibilityContact: accessibility.contactAddress ?? profile.partnershipTeamAddress,
    accessibilityTelephone: accessibility.telephone,
    statementPrepared: formatDate(accessibilityStatementPreparedOn, { weekday: false }),
    statementReviewed: accessibility.lastReviewed
      ? formatDate(accessibility.lastReviewed, { weekday: false })
      : undefined,
  };
}

export const serviceInformationPages: Page[] = [
  {
    method: 'GET',
    path: '/accessibility-statement',
    access: publicAccess,
    handle: (request) =>
      render('service-information/accessibility-statement.njk', {
        details: partnershipDetails(request.service.profile),
        serviceAddress: request.service.publicBaseUrl,
      }),
  },
  {
    method: 'GET',
    path: '/privacy',
    access: publicAccess,
    handle: (request) =>
      render('service-information/privacy.njk', { details: partnershipDetails(request.service.profile) }),
  },
  {
    method: 'GET',
    path: '/cookies',
    access: publicAccess,
    handle: () => render('service-information/cookies.njk', { cookies: serviceCookies() }),
  },
];
