import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { requireEnv } from '../../shared/env.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { headerSafeLocation } from '../../shared/http/paths.ts';
import { type StaffRole, staffRole } from '../../shared/schemas/roles.ts';
import * as z from '../../shared/schemas/zod.ts';

/**
 * Sessions and CSRF tokens of the web pages. A session is a signed cookie (HMAC-SHA256 with
 * SESSION_SECRET), so nothing is stored server-side; the local stack's sign-in page imports this
 * module and sets the very same cookie, so the web function never asks where it runs.
 *
 * Every signature covers a purpose as well as the payload, so a value signed for one use (the
 * sign-in state, say) is never accepted as another (a session).
 */

/** The signed-in person as the pages see them. */
export interface SessionUser {
  id: string;
  name: string;
  /** The ID token's email, when it gave one: how the profile finds a safeguarding partner. */
  email?: string;
  roles: StaffRole[];
}

/** How the session began: sign-out also ends the Cognito hosted-UI session when it began there. */
export type SignInMethod = 'cognito' | 'local';

export interface Session {
  /** Random per sign-in; CSRF tokens are derived from it. */
  id: string;
  user: SessionUser;
  signedInWith: SignInMethod;
  /** Epoch milliseconds (wall clock: cookies live in real time, not in the local stack's virtual time). */
  expiresAt: number;
}

/** `__Host-`: Secure, Path=/ and no Domain, so no other host (or subdomain) can set or read it. */
export const sessionCookieName = '__Host-session';
/** Holds a random value for forms of people without a session (agency SPOCs). */
export const csrfCookieName = '__Host-csrf';
/** Holds the state and PKCE verifier between /sign-in and /auth/callback. */
export const signInCookieName = '__Host-sign-in';
/** The form field every POST carries its CSRF token in. */
export const csrfFieldName = 'csrfToken';

/** A working day and a bit; after that, sign in again. */
export const SESSION_SECONDS = 8 * 60 * 60;

/** A sign-in attempt (the `__Host-sign-in` cookie) must come back within this time. */
export const SIGN_IN_SECONDS = 10 * 60;

const MIN_SECRET_LENGTH = 32;

/** The signing key from SESSION_SECRET (at least 32 characters), failing fast when it is missing or short. */
export function sessionSecretFromEnvironment(source: NodeJS.ProcessEnv = process.env): Buffer {
  const value = requireEnv('sessionSecret', source);
  if (value.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError(`SESSION_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return Buffer.from(value, 'utf8');
}

function mac(secret: Buffer, purpose: string, body: string): Buffer {
  return createHmac('sha256', secret).update(`${purpose}\n${body}`).digest();
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `<base64url JSON>.<base64url HMAC>`: readable by anyone, changeable by no one without the secret. */
export function signValue(secret: Buffer, purpose: string, payload: unknown): string {
  const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${body}.${mac(secret, purpose, body).toString('base64url')}`;
}

/** The payload of a value signed for this purpose, or undefined when it is malformed or tampered with. */
export function verifySignedValue(secret: Buffer, purpose: string, value: string | undefined): unknown {
  if (!value) return undefined;
  const [body, signature, extra] = value.split('.');
  if (!body || !signature || extra !== undefined) return undefined;
  if (!sameBytes(Buffer.from(signature, 'base64url'), mac(secret, purpose, body))) return undefined;
  try {
    return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** A Set-Cookie value with the attributes every cookie of this service has. */
export function cookieHeader(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; Secure; HttpOnly; SameSite=Lax; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`;
}

/** Tells the browser to forget a cookie. */
export function expiredCookieHeader(name: string): string {
  return cookieHeader(name, '', 0);
}

/** A cookie's value from API Gateway's `event.cookies` (`["name=value", ...]`); the first wins. */
export function cookieValue(cookies: readonly string[] | undefined, name: string): string | undefined {
  for (const cookie of cookies ?? []) {
    for (const part of cookie.split(/;\s*/)) {
      const index = part.indexOf('=');
      if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
    }
  }
  return undefined;
}

const sessionPayload = z.object({
  id: z.string().check(z.minLength(16)),
  user: z.object({
    id: z.string().check(z.minLength(1)),
    name: z.string(),
    email: z.optional(z.string()),
    roles: z.array(staffRole),
  }),
  signedInWith: z.enum(['cognito', 'local']),
  expiresAt: z.number(),
});

/** A new session for a person who has just signed in, and the Set-Cookie that carries it. */
export function startSession(
  secret: Buffer,
  user: SessionUser,
  signedInWith: SignInMethod,
  nowMs = Date.now(),
): { session: Session; cookie: string } {
  const session: Session = {
    id: randomBytes(18).toString('base64url'),
    user: {
      id: user.id,
      name: user.name,
      ...(user.email ? { email: user.email } : {}),
      roles: [...user.roles],
    },
    signedInWith,
    expiresAt: nowMs + SESSION_SECONDS * 1000,
  };
  return {
    session,
    cookie: cookieHeader(sessionCookieName, signValue(secret, 'session', session), SESSION_SECONDS),
  };
}

/** The session in the request's cookies, or undefined when there is none, or it is tampered with or expired. */
export function readSession(
  secret: Buffer,
  cookies: readonly string[] | undefined,
  nowMs = Date.now(),
): Session | undefined {
  const parsed = sessionPayload.safeParse(
    verifySignedValue(secret, 'session', cookieValue(cookies, sessionCookieName)),
  );
  if (!parsed.success || parsed.data.expiresAt <= nowMs) return undefined;
  return parsed.data;
}

/** Set-Cookie that ends the session. */
export function endSessionCookie(): string {
  return expiredCookieHeader(sessionCookieName);
}

/** The CSRF token of a signed-in person's forms: derived from the session, so it needs no storage. */
export function csrfTokenForSession(secret: Buffer, session: Session): string {
  return mac(secret, 'csrf-session', session.id).toString('base64url');
}

/** The CSRF token for a person without a session, bound to the random value in their CSRF cookie. */
export function csrfTokenForAnonymous(secret: Buffer, cookieNonce: string): string {
  return mac(secret, 'csrf-anonymous', cookieNonce).toString('base64url');
}

/** A fresh random value for the anonymous CSRF cookie, and the Set-Cookie that carries it. */
export function newCsrfCookie(): { nonce: string; cookie: string } {
  const nonce = randomUUID();
  return { nonce, cookie: cookieHeader(csrfCookieName, nonce, SESSION_SECONDS) };
}

/**
 * Whether a form's token is the one this browser was given: the session's token when signed
 * in, or the one bound to its anonymous CSRF cookie.
 */
export function csrfTokenMatches(
  secret: Buffer,
  given: string | undefined,
  holder: { session: Session | undefined; anonymousNonce: string | undefined },
): boolean {
  if (!given) return false;
  const givenBytes = Buffer.from(given, 'utf8');
  const candidates = [
    holder.session ? csrfTokenForSession(secret, holder.session) : undefined,
    holder.anonymousNonce ? csrfTokenForAnonymous(secret, holder.anonymousNonce) : undefined,
  ];
  return candidates.some(
    (candidate) => candidate !== undefined && sameBytes(givenBytes, Buffer.from(candidate, 'utf8')),
  );
}

/**
 * Where to send someone after signing in: only a path on this site (`/cases?status=x`), never
 * `//evil.example` or `https://...`, which would make sign-in an open redirect.
 */
export function safeReturnPath(value: string | undefined | null): string {
  if (!value?.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // Control characters (CR, LF, C1 and the rest) and Unicode line breaks never belong in a path we send someone to.
  if (/[\p{Cc}\u2028\u2029]/u.test(value)) return '/';
  // A Location header carries only Latin-1: anything beyond ASCII is percent-encoded, as a browser would.
  return headerSafeLocation(value) ?? '/';
}
