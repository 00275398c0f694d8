import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pkceChallenge } from '../../../functions/web/cognito.ts';
import { pages } from '../../../functions/web/pages/index.ts';
import { startPages } from '../../../functions/web/pages/start.ts';
import {
  csrfTokenForSession,
  readSession,
  signInCookieName,
  startSession,
  verifySignedValue,
} from '../../../functions/web/session.ts';
import {
  anonymousBrowser,
  sessionCookieName,
  setCookie,
  signedIn,
  testSessionSecret,
  testUser,
  testWebApp,
  webEvent,
} from './support/web-fixtures.ts';

const cognitoDomain = 'https://safeguarding-reviews-test.auth.eu-west-2.amazoncognito.com';
const issuer = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_TESTPOOL';
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'key-1', alg: 'RS256' };

function idToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'RS256', kid: 'key-1' });
  const payload = encode(claims);
  return `${header}.${payload}.${sign('RSA-SHA256', Buffer.from(`${header}.${payload}`), privateKey).toString('base64url')}`;
}

/** The `name=value` of a Set-Cookie, as the browser sends it back. */
const returned = (cookie: string | undefined) => (cookie ?? '').split(';')[0] as string;

beforeEach(() => {
  vi.stubEnv('SESSION_SECRET', testSessionSecret.toString('utf8'));
  vi.stubEnv('COGNITO_DOMAIN', cognitoDomain);
  vi.stubEnv('COGNITO_CLIENT_ID', 'test-client-id');
  vi.stubEnv('COGNITO_ISSUER', issuer);
  vi.stubEnv('PUBLIC_BASE_URL', 'https://reviews.example.org');
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('GET /sign-in', () => {
  it('sends the browser to the hosted UI with a PKCE challenge, keeping state and verifier in a signed cookie', async () => {
    const app = testWebApp(pages);

    const result = await app(webEvent({ path: '/sign-in', query: 'returnTo=%2Fcases%3Fstatus%3Dfailed' }));

    expect(result.statusCode).toBe(303);
    const location = new URL(String(result.headers?.location));
    expect(`${location.origin}${location.pathname}`).toBe(`${cognitoDomain}/oauth2/authorize`);
    expect(location.searchParams.get('redirect_uri')).toBe('https://reviews.example.org/auth/callback');
    const cookie = setCookie(result, signInCookieName);
    expect(cookie).toMatch(/; Path=\/; Secure; HttpOnly; SameSite=Lax; Max-Age=600$/);
    const attempt = verifySignedValue(
      testSessionSecret,
      'sign-in',
      returned(cookie).slice(signInCookieName.length + 1),
    ) as { state: string; verifier: string; returnTo: string };
    expect(attempt.state).toBe(location.searchParams.get('state'));
    expect(pkceChallenge(attempt.verifier)).toBe(location.searchParams.get('code_challenge'));
    expect(attempt.returnTo).toBe('/cases?status=failed');
  });

  it('sends someone already signed in straight on, and never off the site', async () => {
    const app = testWebApp(pages);
    const browser = signedIn(testUser('notifier'));

    const onward = await app(
      webEvent({ path: '/sign-in', query: 'returnTo=%2Fcases', cookies: browser.cookies }),
    );
    const offSite = await app(
      webEvent({
        path: '/sign-in',
        query: 'returnTo=https%3A%2F%2Fevil.example.org',
        cookies: browser.cookies,
      }),
    );

    expect(onward.headers?.location).toBe('/cases');
    expect(offSite.headers?.location).toBe('/');
  });
  it('sends someone signed in to a return path outside Latin-1 with a Location header HTTP can carry', async () => {
    const app = testWebApp(pages);
    const browser = signedIn(testUser('notifier'));

    const result = await app(
      webEvent({
        path: '/sign-in',
        query: 'returnTo=%2Fcases%3Fstatus%3D%E2%82%AC',
        cookies: browser.cookies,
      }),
    );

    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/cases?status=%E2%82%AC');
  });
});

describe('GET /auth/callback', () => {
  async function startSignIn() {
    const app = testWebApp(pages);
    const started = await app(webEvent({ path: '/sign-in', query: 'returnTo=%2Fcases' }));
    const state = new URL(String(started.headers?.location)).searchParams.get('state') ?? '';
    return { app, state, cookie: returned(setCookie(started, signInCookieName)) };
  }

  it('exchanges the code, verifies the ID token, and signs the person in with their groups as roles', async () => {
    const { app, state, cookie } = await startSignIn();
    const now = Math.floor(Date.now() / 1000);
    const token = idToken({
      sub: 'c0ffee00-0000-4000-8000-000000000002',
      name: 'Pat Partnership Officer (demo)',
      'cognito:groups': ['partnership-team'],
      iss: issuer,
      aud: 'test-client-id',
      token_use: 'id',
      exp: now + 3600,
    });
    const requested: string[] = [];
    vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
      requested.push(url);
      if (url.endsWith('/oauth2/token')) {
        const verifier = new URLSearchParams(String(init?.body)).get('code_verifier');
        expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
        return new Response(JSON.stringify({ id_token: token }));
      }
      return new Response(JSON.stringify({ keys: [jwk] }));
    });

    const result = await app(
      webEvent({ path: '/auth/callback', query: `code=the-code&state=${state}`, cookies: [cookie] }),
    );

    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/cases');
    expect(requested).toEqual([`${cognitoDomain}/oauth2/token`, `${issuer}/.well-known/jwks.json`]);
    const session = readSession(testSessionSecret, [returned(setCookie(result, sessionCookieName))]);
    expect(session?.user).toEqual({
      id: 'c0ffee00-0000-4000-8000-000000000002',
      name: 'Pat Partnership Officer (demo)',
      roles: ['partnership-team'],
    });
    expect(session?.signedInWith).toBe('cognito');
    expect(setCookie(result, signInCookieName)).toContain('Max-Age=0');
  });

  it('refuses a callback whose state is not the one this browser started with', async () => {
    const { app, cookie } = await startSignIn();
    vi.stubGlobal('fetch', async () => {
      throw new Error('No request should be made');
    });

    const result = await app(
      webEvent({
        path: '/auth/callback',
        query: 'code=the-code&state=someone-elses-state',
        cookies: [cookie],
      }),
    );

    expect(result.statusCode).toBe(400);
    expect(String(result.body)).toContain('Sorry, you could not be signed in');
    expect(setCookie(result, sessionCookieName)).toBeUndefined();
  });

  it('refuses a callback without the sign-in cookie', async () => {
    const { app, state } = await startSignIn();

    const result = await app(webEvent({ path: '/auth/callback', query: `code=the-code&state=${state}` }));

    expect(result.statusCode).toBe(400);
  });
});

describe('POST /sign-out', () => {
  it('ends a local session and goes back to the start page', async () => {
    const app = testWebApp(pages);
    const browser = signedIn(testUser('rrg-chair'));

    const result = await app(
      webEvent({ path: '/sign-out', cookies: browser.cookies, csrfToken: browser.csrfToken, form: {} }),
    );

    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/');
    expect(setCookie(result, sessionCookieName)).toMatch(/^__Host-session=; .*Max-Age=0$/);
  });

  it('ends a Cognito session at the hosted UI too', async () => {
    const app = testWebApp(pages);
    const { session, cookie } = startSession(testSessionSecret, testUser('rrg-chair'), 'cognito');

    const result = await app(
      webEvent({
        path: '/sign-out',
        cookies: [returned(cookie)],
        csrfToken: csrfTokenForSession(testSessionSecret, session),
        form: {},
      }),
    );

    expect(String(result.headers?.location)).toBe(
      `${cognitoDomain}/logout?client_id=test-client-id&logout_uri=${encodeURIComponent('https://reviews.example.org/')}`,
    );
  });

  it('is refused without the CSRF token, so another site cannot sign people out', async () => {
    const app = testWebApp(pages);
    const browser = signedIn(testUser('rrg-chair'));

    const result = await app(webEvent({ path: '/sign-out', cookies: browser.cookies, form: {} }));

    expect(result.statusCode).toBe(400);
    expect(setCookie(result, sessionCookieName)).toBeUndefined();
  });
});

describe('the start page', () => {
  it('offers a start button to sign in to someone not signed in', async () => {
    const app = testWebApp(pages);

    const html = String((await app(webEvent({ path: '/', cookies: anonymousBrowser().cookies }))).body);

    expect(html).toMatch(/<a href="\/sign-in"[^>]*class="govuk-button govuk-button--start"/);
  });

  it('lists what the signed-in person’s roles let them do, from the pages’ access', async () => {
    const app = testWebApp([
      ...startPages,
      {
        method: 'GET',
        path: '/menu-test-page',
        access: { kind: 'staff', roles: ['partnership-team'] },
        menu: { text: 'Cases', description: 'Every open case, with its next deadline.' },
        handle: () => ({ kind: 'not-found' }),
      },
    ]);

    const team = String(
      (await app(webEvent({ path: '/', cookies: signedIn(testUser('partnership-team')).cookies }))).body,
    );
    const chair = String(
      (await app(webEvent({ path: '/', cookies: signedIn(testUser('rrg-chair')).cookies }))).body,
    );

    expect(team).toContain('Every open case, with its next deadline.');
    expect(chair).not.toContain('Every open case, with its next deadline.');
  });
});
