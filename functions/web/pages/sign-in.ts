import { randomBytes } from 'node:crypto';
import { logInfo, logWarning } from '../../../shared/log.ts';
import * as z from '../../../shared/schemas/zod.ts';
import {
  authorizeUrl,
  cognitoSettingsFromEnvironment,
  exchangeCode,
  JwksCache,
  logoutUrl,
  pkcePair,
  SignInError,
  userFromClaims,
  verifyIdToken,
} from '../cognito.ts';
import { type Page, publicAccess, redirect, render, withCookies } from '../page.ts';
import {
  cookieHeader,
  cookieValue,
  endSessionCookie,
  expiredCookieHeader,
  SIGN_IN_SECONDS,
  safeReturnPath,
  sessionSecretFromEnvironment,
  signInCookieName,
  signValue,
  startSession,
  verifySignedValue,
} from '../session.ts';

/**
 * Staff sign-in on AWS: the Cognito hosted UI with the authorization code flow and PKCE. The
 * local stack answers GET and POST /sign-in itself (local/api.ts, invented users) and sets the
 * same session cookie, so these pages never ask where they run. Sign-out works for both.
 */

const signInAttempt = z.object({
  state: z.string().check(z.minLength(16)),
  verifier: z.string().check(z.minLength(43)),
  returnTo: z.string(),
  expiresAt: z.number(),
});

let jwks: JwksCache | undefined;

function signInFailed(reason: string) {
  logWarning('Sign-in failed', { reason });
  return withCookies(render('sign-in-failed.njk', {}, 400), expiredCookieHeader(signInCookieName));
}

export const signInPages: Page[] = [
  {
    method: 'GET',
    path: '/sign-in',
    access: publicAccess,
    handle(request) {
      const returnTo = safeReturnPath(request.query.get('returnTo'));
      if (request.user) return redirect(returnTo);
      const settings = cognitoSettingsFromEnvironment();
      const { verifier, challenge } = pkcePair();
      const state = randomBytes(24).toString('base64url');
      const attempt = { state, verifier, returnTo, expiresAt: Date.now() + SIGN_IN_SECONDS * 1000 };
      return withCookies(
        redirect(authorizeUrl(settings, { state, challenge })),
        cookieHeader(
          signInCookieName,
          signValue(sessionSecretFromEnvironment(), 'sign-in', attempt),
          SIGN_IN_SECONDS,
        ),
      );
    },
  },
  {
    method: 'GET',
    path: '/auth/callback',
    access: publicAccess,
    async handle(request) {
      const secret = sessionSecretFromEnvironment();
      const attempt = signInAttempt.safeParse(
        verifySignedValue(secret, 'sign-in', cookieValue(request.event.cookies, signInCookieName)),
      );
      if (!attempt.success || attempt.data.expiresAt <= Date.now())
        return signInFailed('no or expired attempt');
      if (request.query.get('state') !== attempt.data.state) return signInFailed('state mismatch');
      const code = request.query.get('code');
      if (!code) return signInFailed(request.query.get('error') ?? 'no code');

      const settings = cognitoSettingsFromEnvironment();
      try {
        const idToken = await exchangeCode(settings, code, attempt.data.verifier);
        jwks ??= new JwksCache(settings.issuer);
        const claims = verifyIdToken(idToken, await jwks.keysFor(idToken), settings);
        const { cookie } = startSession(secret, userFromClaims(claims), 'cognito');
        logInfo('Signed in', { userId: claims.sub });
        return withCookies(
          redirect(safeReturnPath(attempt.data.returnTo)),
          cookie,
          expiredCookieHeader(signInCookieName),
        );
      } catch (error) {
        if (error instanceof SignInError) return signInFailed(error.message);
        throw error;
      }
    },
  },
  {
    method: 'POST',
    path: '/sign-out',
    access: publicAccess,
    async handle(request) {
      // The cookie stays valid to whoever holds a copy until it expires: the server refuses it from now on.
      if (request.session) {
        await request.service.sessions.revoke(request.session.id, new Date(request.session.expiresAt));
      }
      // Signed in through Cognito, the hosted UI's own session ends too; otherwise back to the start.
      const location =
        request.session?.signedInWith === 'cognito'
          ? logoutUrl(cognitoSettingsFromEnvironment(), request.service.publicBaseUrl)
          : '/';
      return withCookies(redirect(location), endSessionCookie());
    },
  },
];
