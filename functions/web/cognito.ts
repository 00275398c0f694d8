import { createHash, createPublicKey, type JsonWebKey, randomBytes, verify } from 'node:crypto';
import { publicBaseUrlFromEnvironment, requireEnv } from '../../shared/env.ts';
import { type StaffRole, staffRole } from '../../shared/schemas/roles.ts';
import type { SessionUser } from './session.ts';

/**
 * Staff sign-in through the Cognito hosted UI: the authorization code flow with PKCE (RFC 7636),
 * and verification of the ID token it returns (RS256 against the user pool's JWKS), with
 * node:crypto only.
 */

/** Where Cognito is and who we are to it. */
export interface CognitoSettings {
  /** `https://<prefix>.auth.<region>.amazoncognito.com`, no trailing slash. */
  domain: string;
  clientId: string;
  /** `https://cognito-idp.<region>.amazonaws.com/<user pool id>`. */
  issuer: string;
  /** `${PUBLIC_BASE_URL}/auth/callback`. */
  redirectUri: string;
}

/** The settings from COGNITO_DOMAIN, COGNITO_CLIENT_ID, COGNITO_ISSUER and PUBLIC_BASE_URL. */
export function cognitoSettingsFromEnvironment(source: NodeJS.ProcessEnv = process.env): CognitoSettings {
  return {
    domain: requireEnv('cognitoDomain', source).replace(/\/+$/, ''),
    clientId: requireEnv('cognitoClientId', source),
    issuer: requireEnv('cognitoIssuer', source).replace(/\/+$/, ''),
    redirectUri: `${publicBaseUrlFromEnvironment(source)}/auth/callback`,
  };
}

/** A PKCE verifier (43 URL-safe characters from 32 random bytes) and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

/** BASE64URL(SHA256(verifier)), as RFC 7636 §4.2 defines S256. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/** The hosted UI's authorize URL for one sign-in attempt. */
export function authorizeUrl(
  settings: CognitoSettings,
  attempt: { state: string; challenge: string },
): string {
  const url = new URL(`${settings.domain}/oauth2/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: settings.redirectUri,
    scope: 'openid email profile',
    state: attempt.state,
    code_challenge: attempt.challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.toString();
}

/** Logs out of the hosted UI too, then comes back to the start page. */
export function logoutUrl(settings: CognitoSettings, publicBaseUrl: string): string {
  const url = new URL(`${settings.domain}/logout`);
  url.search = new URLSearchParams({
    client_id: settings.clientId,
    logout_uri: `${publicBaseUrl}/`,
  }).toString();
  return url.toString();
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
}

/** Exchanges the authorization code (with the PKCE verifier) for tokens; answers the ID token. */
export async function exchangeCode(
  settings: CognitoSettings,
  code: string,
  verifier: string,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const response = await fetchImpl(`${settings.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: settings.clientId,
      code,
      redirect_uri: settings.redirectUri,
      code_verifier: verifier,
    }).toString(),
    signal: AbortSignal.timeout(5000),
  });
  if (!response.ok) throw new SignInError(`The token endpoint answered ${response.status}`);
  const body = (await response.json()) as { id_token?: unknown };
  if (typeof body.id_token !== 'string') throw new SignInError('The token endpoint gave no ID token');
  return body.id_token;
}

/** A JSON Web Key as a JWKS lists it. */
export type Jwk = JsonWebKey & { kid?: string; alg?: string; use?: string };

/** What the ID token says once verified. */
export type VerifiedClaims = Record<string, unknown> & { sub: string };

/** Clock skew tolerated on `exp`, `iat` and `nbf`. */
const SKEW_SECONDS = 60;

function decodePart(part: string): Record<string, unknown> {
  const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new SignInError('Malformed token');
  return value as Record<string, unknown>;
}

/**
 * Verifies a Cognito ID token: RS256 signature by the key its `kid` names, issuer, audience
 * (our app client), `token_use` "id", and expiry. Throws SignInError naming what failed.
 */
export function verifyIdToken(
  token: string,
  keys: readonly Jwk[],
  expected: { issuer: string; clientId: string },
  nowMs = Date.now(),
): VerifiedClaims {
  const parts = token.split('.');
  if (parts.length !== 3) throw new SignInError('The ID token is not a JWT');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodePart(headerPart);
    claims = decodePart(payloadPart);
  } catch {
    throw new SignInError('The ID token cannot be decoded');
  }
  if (header.alg !== 'RS256') throw new SignInError('The ID token is not signed with RS256');
  const jwk = keys.find((key) => key.kid === header.kid);
  if (jwk?.kty !== 'RSA') throw new SignInError('The ID token is signed by an unknown key');
  const publicKey = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  const signed = Buffer.from(`${headerPart}.${payloadPart}`, 'ascii');
  if (!verify('RSA-SHA256', signed, publicKey, Buffer.from(signaturePart, 'base64url'))) {
    throw new SignInError('The ID token signature does not verify');
  }
  if (claims.iss !== expected.issuer) throw new SignInError('The ID token has the wrong issuer');
  const audience = claims.aud;
  const audiences = Array.isArray(audience) ? audience : [audience];
  if (!audiences.includes(expected.clientId)) throw new SignInError('The ID token is for another client');
  if (claims.token_use !== 'id') throw new SignInError('The token is not an ID token');
  const now = nowMs / 1000;
  if (typeof claims.exp !== 'number' || claims.exp + SKEW_SECONDS <= now) {
    throw new SignInError('The ID token has expired');
  }
  if (typeof claims.nbf === 'number' && claims.nbf - SKEW_SECONDS > now) {
    throw new SignInError('The ID token is not valid yet');
  }
  if (typeof claims.sub !== 'string' || claims.sub === '') throw new SignInError('The ID token names no one');
  return claims as VerifiedClaims;
}

/** The staff roles among the token's `cognito:groups`; unknown groups are ignored. */
export function rolesFromGroups(groups: unknown): StaffRole[] {
  const names = Array.isArray(groups) ? groups.map(String) : [];
  return names.flatMap((name) => {
    const parsed = staffRole.safeParse(name);
    return parsed.success ? [parsed.data] : [];
  });
}

/** The session user a verified ID token describes. */
export function userFromClaims(claims: VerifiedClaims): SessionUser {
  const name =
    typeof claims.name === 'string' && claims.name
      ? claims.name
      : typeof claims.email === 'string'
        ? claims.email
        : 'Signed-in user';
  const email = typeof claims.email === 'string' && claims.email ? claims.email : undefined;
  return {
    id: claims.sub,
    name,
    ...(email ? { email } : {}),
    roles: rolesFromGroups(claims['cognito:groups']),
  };
}

/** The user pool's signing keys, fetched once per container and again when a token names a key not yet seen. */
export class JwksCache {
  #keys: Jwk[] | undefined;
  readonly #url: string;
  readonly #fetch: typeof fetch;

  constructor(issuer: string, fetchImpl: typeof fetch = fetch) {
    this.#url = `${issuer}/.well-known/jwks.json`;
    this.#fetch = fetchImpl;
  }

  async keysFor(token: string): Promise<Jwk[]> {
    const kid = (() => {
      try {
        return decodePart(token.split('.')[0] ?? '').kid;
      } catch {
        return undefined;
      }
    })();
    if (!this.#keys?.some((key) => key.kid === kid)) {
      const response = await this.#fetch(this.#url, { signal: AbortSignal.timeout(5000) });
      if (!response.ok) throw new SignInError(`The JWKS endpoint answered ${response.status}`);
      const body = (await response.json()) as { keys?: Jwk[] };
      this.#keys = Array.isArray(body.keys) ? body.keys : [];
    }
    return this.#keys;
  }
}
