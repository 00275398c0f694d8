import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authorizeUrl,
  type CognitoSettings,
  exchangeCode,
  type Jwk,
  JwksCache,
  logoutUrl,
  pkceChallenge,
  pkcePair,
  rolesFromGroups,
  SignInError,
  userFromClaims,
  verifyIdToken,
} from '../../../functions/web/cognito.ts';

const settings: CognitoSettings = {
  domain: 'https://safeguarding-reviews-test.auth.eu-west-2.amazoncognito.com',
  clientId: 'test-client-id',
  issuer: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_TESTPOOL',
  redirectUri: 'https://reviews.example.org/auth/callback',
};
const now = Date.parse('2026-03-04T10:00:00Z');

function keyPair(kid: string): { privateKey: KeyObject; jwk: Jwk } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKey,
    jwk: { ...(publicKey.export({ format: 'jwk' }) as Jwk), kid, alg: 'RS256', use: 'sig' },
  };
}
const poolKey = keyPair('pool-key-1');
const otherKey = keyPair('pool-key-1');

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function idToken(
  claims: Record<string, unknown> = {},
  options: { key?: KeyObject; header?: Record<string, unknown> } = {},
): string {
  const header = b64({ alg: 'RS256', kid: 'pool-key-1', ...options.header });
  const payload = b64({
    sub: 'c0ffee00-0000-4000-8000-000000000001',
    name: 'Chris Chair (demo)',
    email: 'rrg.chair@example.org',
    'cognito:groups': ['rrg-chair', 'some-other-group'],
    iss: settings.issuer,
    aud: settings.clientId,
    token_use: 'id',
    iat: now / 1000 - 10,
    exp: now / 1000 + 3600,
    ...claims,
  });
  const signature = sign(
    'RSA-SHA256',
    Buffer.from(`${header}.${payload}`),
    options.key ?? poolKey.privateKey,
  );
  return `${header}.${payload}.${signature.toString('base64url')}`;
}

const verify = (token: string) => verifyIdToken(token, [poolKey.jwk], settings, now);

describe('PKCE', () => {
  it('derives the S256 challenge as RFC 7636 Appendix B does', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes a fresh 43-character verifier each time, with its challenge', () => {
    const first = pkcePair();
    const second = pkcePair();

    expect(first.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(first.verifier).not.toBe(second.verifier);
    expect(first.challenge).toBe(pkceChallenge(first.verifier));
  });
});

describe('the hosted UI URLs', () => {
  it('ask for a code with the S256 challenge, the state and our callback', () => {
    const url = new URL(authorizeUrl(settings, { state: 'state-123', challenge: 'challenge-456' }));

    expect(`${url.origin}${url.pathname}`).toBe(`${settings.domain}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'test-client-id',
      redirect_uri: 'https://reviews.example.org/auth/callback',
      scope: 'openid email profile',
      state: 'state-123',
      code_challenge: 'challenge-456',
      code_challenge_method: 'S256',
    });
  });

  it('log out of the hosted UI and come back to the start page', () => {
    const url = new URL(logoutUrl(settings, 'https://reviews.example.org'));

    expect(url.pathname).toBe('/logout');
    expect(url.searchParams.get('logout_uri')).toBe('https://reviews.example.org/');
    expect(url.searchParams.get('client_id')).toBe('test-client-id');
  });
});

describe('exchanging the code', () => {
  it('posts the code with the verifier to the token endpoint and answers the ID token', async () => {
    const calls: { url: string; body: string }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      calls.push({ url, body: String(init.body) });
      return new Response(JSON.stringify({ id_token: 'the-id-token', access_token: 'x' }), { status: 200 });
    }) as typeof fetch;

    const token = await exchangeCode(settings, 'code-789', 'verifier-abc', fakeFetch);

    expect(token).toBe('the-id-token');
    expect(calls[0]?.url).toBe(`${settings.domain}/oauth2/token`);
    expect(Object.fromEntries(new URLSearchParams(calls[0]?.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'test-client-id',
      code: 'code-789',
      redirect_uri: 'https://reviews.example.org/auth/callback',
      code_verifier: 'verifier-abc',
    });
  });

  it('fails with SignInError when the endpoint refuses the code', async () => {
    const refusing = (async () => new Response('{"error":"invalid_grant"}', { status: 400 })) as typeof fetch;

    await expect(exchangeCode(settings, 'used-code', 'verifier', refusing)).rejects.toThrow(SignInError);
  });
});

describe('verifying the ID token', () => {
  it('accepts a token the pool signed for our client and reads the person and their staff roles', () => {
    const claims = verify(idToken());

    expect(userFromClaims(claims)).toEqual({
      id: 'c0ffee00-0000-4000-8000-000000000001',
      name: 'Chris Chair (demo)',
      // The email finds a safeguarding partner in the profile.
      email: 'rrg.chair@example.org',
      roles: ['rrg-chair'],
    });
  });

  it.each([
    ['signed by another key with the same kid', () => idToken({}, { key: otherKey.privateKey }), /signature/],
    [
      'from another issuer',
      () => idToken({ iss: 'https://cognito-idp.eu-west-2.amazonaws.com/other' }),
      /issuer/,
    ],
    ['for another client', () => idToken({ aud: 'another-client' }), /another client/],
    ['an access token', () => idToken({ token_use: 'access' }), /not an ID token/],
    ['expired', () => idToken({ exp: now / 1000 - 120 }), /expired/],
    [
      'signed by a key the pool does not list',
      () => idToken({}, { header: { kid: 'unknown' } }),
      /unknown key/,
    ],
    ['not RS256', () => idToken({}, { header: { alg: 'HS256' } }), /RS256/],
    ['unsigned', () => `${idToken().split('.').slice(0, 2).join('.')}.`, /signature/],
    ['not a JWT', () => 'not-a-jwt', /not a JWT/],
  ])('refuses a token %s', (_, token, message) => {
    expect(() => verify(token())).toThrow(SignInError);
    expect(() => verify(token())).toThrow(message);
  });

  it('ignores groups that are not staff roles', () => {
    expect(rolesFromGroups(['notifier', 'admins', 42])).toEqual(['notifier']);
    expect(rolesFromGroups(undefined)).toEqual([]);
  });
});

describe('the JWKS cache', () => {
  it('fetches the keys once, and again only for a key it has not seen', async () => {
    let fetches = 0;
    const keys: Jwk[] = [poolKey.jwk];
    const fakeFetch = (async (url: string) => {
      fetches += 1;
      expect(url).toBe(`${settings.issuer}/.well-known/jwks.json`);
      return new Response(JSON.stringify({ keys }), { status: 200 });
    }) as typeof fetch;
    const cache = new JwksCache(settings.issuer, fakeFetch);

    await cache.keysFor(idToken());
    await cache.keysFor(idToken());
    expect(fetches).toBe(1);

    const rotated = keyPair('pool-key-2');
    keys.push(rotated.jwk);
    const rotatedToken = idToken({}, { key: rotated.privateKey, header: { kid: 'pool-key-2' } });
    const fetched = await cache.keysFor(rotatedToken);

    expect(fetches).toBe(2);
    expect(verifyIdToken(rotatedToken, fetched, settings, now).sub).toBeTruthy();
  });
});
