import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type LayoutContext, newNonce, serviceName } from '../functions/web/router.ts';
import {
  cookieValue,
  csrfCookieName,
  csrfFieldName,
  csrfTokenForAnonymous,
  csrfTokenForSession,
  csrfTokenMatches,
  newCsrfCookie,
  readSession,
} from '../functions/web/session.ts';
import { loadPartnershipProfile } from '../shared/config/partnership-profile.ts';

/** What one request to a local-only page (sign-in, controls) needs to render it and trust its form. */
export interface LocalPageContext {
  /**
   * The GOV.UK layout for the page at currentPath, with a CSRF token for the session or, with no
   * session, for the anonymous CSRF cookie (issued on first need when the browser sent none).
   */
  layout(currentPath: string): LayoutContext;
  /** Whether the posted form carries the CSRF token of this session or anonymous visitor. */
  csrfMatches(form: URLSearchParams): boolean;
  /** The response, with the anonymous CSRF cookie when layout() issued one. */
  withIssuedCookies(response: APIGatewayProxyStructuredResultV2): APIGatewayProxyStructuredResultV2;
}

/**
 * Reads the session from the request's cookies, signed with the same SESSION_SECRET the web
 * function uses, so the local pages build their layout and check CSRF exactly as its pages do.
 */
export function localPageContext(
  sessionSecret: Buffer,
  cookies: readonly string[] | undefined,
): LocalPageContext {
  const session = readSession(sessionSecret, cookies);
  const anonymousNonce = session ? undefined : cookieValue(cookies, csrfCookieName);
  const issued: string[] = [];

  return {
    layout(currentPath) {
      let nonce = anonymousNonce;
      if (!session && !nonce) {
        const fresh = newCsrfCookie();
        issued.push(fresh.cookie);
        nonce = fresh.nonce;
      }
      let partnershipName: string | undefined;
      let feedbackAddress: string | undefined;
      try {
        ({ partnershipName, partnershipTeamAddress: feedbackAddress } = loadPartnershipProfile());
      } catch {
        // The page still works without a profile.
      }
      return {
        serviceName,
        partnershipName,
        feedbackAddress,
        user: session?.user,
        // The local sign-in and controls pages are for staff.
        offersSignIn: true,
        homeUrl: '/',
        csrfToken: session
          ? // Signed in already (on the sign-in page: switching user): the form carries the session's token.
            csrfTokenForSession(sessionSecret, session)
          : csrfTokenForAnonymous(sessionSecret, nonce as string),
        csrfFieldName,
        cspNonce: newNonce(),
        navigation: [],
        menu: [],
        currentPath,
      };
    },
    csrfMatches(form) {
      return csrfTokenMatches(sessionSecret, form.get(csrfFieldName) ?? undefined, {
        session,
        anonymousNonce,
      });
    },
    withIssuedCookies(response) {
      return issued.length ? { ...response, cookies: issued } : response;
    },
  };
}
