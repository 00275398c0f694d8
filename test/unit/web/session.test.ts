import { describe, expect, it } from 'vitest';
import {
  cookieValue,
  csrfTokenForAnonymous,
  csrfTokenForSession,
  csrfTokenMatches,
  readSession,
  SESSION_SECONDS,
  safeReturnPath,
  sessionCookieName,
  sessionSecretFromEnvironment,
  signValue,
  startSession,
  verifySignedValue,
} from '../../../functions/web/session.ts';
import { testSessionSecret, testUser } from './support/web-fixtures.ts';

const chair = testUser('rrg-chair');
const now = Date.parse('2026-03-04T10:00:00Z');

/** The `name=value` a browser sends back for a Set-Cookie. */
const sent = (setCookie: string) => [setCookie.split(';')[0] as string];

describe('the session cookie', () => {
  it('is __Host-, Secure, HttpOnly, SameSite=Lax on the whole site, and lasts 8 hours', () => {
    const { cookie } = startSession(testSessionSecret, chair, 'local', now);

    expect(cookie.startsWith(`${sessionCookieName}=`)).toBe(true);
    expect(cookie).toContain('; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=28800');
    expect(SESSION_SECONDS).toBe(8 * 60 * 60);
  });

  it('reads back the person who signed in, with their roles', () => {
    const { cookie, session } = startSession(testSessionSecret, chair, 'cognito', now);

    const read = readSession(testSessionSecret, sent(cookie), now + 1000);

    expect(read).toEqual(session);
    expect(read?.user).toEqual(chair);
    expect(read?.signedInWith).toBe('cognito');
  });

  it('is refused once expired', () => {
    const { cookie } = startSession(testSessionSecret, chair, 'local', now);

    expect(readSession(testSessionSecret, sent(cookie), now + SESSION_SECONDS * 1000)).toBeUndefined();
  });

  it('is refused when its payload is changed, say to add a role', () => {
    const { cookie } = startSession(testSessionSecret, testUser('notifier'), 'local', now);
    const [name, value] = (sent(cookie)[0] as string).split('=') as [string, string];
    const [body, signature] = value.split('.') as [string, string];
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    payload.user.roles = ['rrg-chair'];
    const forged = `${name}=${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;

    expect(readSession(testSessionSecret, [forged], now)).toBeUndefined();
  });

  it('is refused when signed with another key', () => {
    const { cookie } = startSession(
      Buffer.from('another-key-another-key-another-key!!'),
      chair,
      'local',
      now,
    );

    expect(readSession(testSessionSecret, sent(cookie), now)).toBeUndefined();
  });

  it('is not accepted from a value signed for another purpose', () => {
    const { session } = startSession(testSessionSecret, chair, 'local', now);
    const signedForSignIn = signValue(testSessionSecret, 'sign-in', session);

    expect(readSession(testSessionSecret, [`${sessionCookieName}=${signedForSignIn}`], now)).toBeUndefined();
    expect(verifySignedValue(testSessionSecret, 'sign-in', signedForSignIn)).toEqual(session);
  });

  it('is absent when the browser sends none or garbage', () => {
    expect(readSession(testSessionSecret, undefined, now)).toBeUndefined();
    expect(readSession(testSessionSecret, [`${sessionCookieName}=not.a-session`], now)).toBeUndefined();
    expect(readSession(testSessionSecret, [`${sessionCookieName}=`], now)).toBeUndefined();
  });
});

describe('CSRF tokens', () => {
  it("match the session's token, and no other session's", () => {
    const mine = startSession(testSessionSecret, chair, 'local', now).session;
    const theirs = startSession(testSessionSecret, chair, 'local', now).session;

    expect(
      csrfTokenMatches(testSessionSecret, csrfTokenForSession(testSessionSecret, mine), {
        session: mine,
        anonymousNonce: undefined,
      }),
    ).toBe(true);
    expect(
      csrfTokenMatches(testSessionSecret, csrfTokenForSession(testSessionSecret, theirs), {
        session: mine,
        anonymousNonce: undefined,
      }),
    ).toBe(false);
  });

  it("match the anonymous cookie's token for people without a session, and fail without the cookie", () => {
    const token = csrfTokenForAnonymous(testSessionSecret, 'nonce-one');

    expect(
      csrfTokenMatches(testSessionSecret, token, { session: undefined, anonymousNonce: 'nonce-one' }),
    ).toBe(true);
    expect(
      csrfTokenMatches(testSessionSecret, token, { session: undefined, anonymousNonce: 'nonce-two' }),
    ).toBe(false);
    expect(
      csrfTokenMatches(testSessionSecret, token, { session: undefined, anonymousNonce: undefined }),
    ).toBe(false);
    expect(
      csrfTokenMatches(testSessionSecret, undefined, { session: undefined, anonymousNonce: 'nonce-one' }),
    ).toBe(false);
  });
});

describe('the session secret', () => {
  it('comes from SESSION_SECRET and must be at least 32 characters', () => {
    expect(sessionSecretFromEnvironment({ SESSION_SECRET: 'x'.repeat(32) }).length).toBe(32);
    expect(() => sessionSecretFromEnvironment({ SESSION_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => sessionSecretFromEnvironment({})).toThrow(/SESSION_SECRET is not set/);
  });
});

describe('cookieValue', () => {
  it('finds a cookie among API Gateway’s cookies', () => {
    expect(cookieValue(['a=1', 'b=two=2'], 'b')).toBe('two=2');
    expect(cookieValue(['a=1'], 'b')).toBeUndefined();
  });
});

describe('safeReturnPath', () => {
  it.each([
    ['/cases?status=awaiting-decision', '/cases?status=awaiting-decision'],
    ['/', '/'],
    ['//evil.example.org/', '/'],
    ['/\\evil.example.org', '/'],
    ['https://evil.example.org/', '/'],
    ['cases', '/'],
    ['/cases\r\nSet-Cookie: x=1', '/'],
    [null, '/'],
    // Outside Latin-1 a Location header cannot carry it: percent-encoded instead, as a browser would.
    ['/cases?status=€', '/cases?status=%E2%82%AC'],
    ['/cases/ü ß', '/cases/%C3%BC%20%C3%9F'],
    ['/cases\u0085', '/'],
    ['/cases\u2028', '/'],
    ['/cases\ud800', '/'],
  ])('answers %j with %j', (given, expected) => {
    expect(safeReturnPath(given)).toBe(expected);
  });
});
