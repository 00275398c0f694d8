import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SafeguardingPartner } from '../shared/config/partnership-profile.ts';
import type { StaffRole } from '../shared/schemas/roles.ts';

/** An invented person the local stack signs in as; one per role, all under example.org. */
export interface LocalUser {
  id: string;
  name: string;
  email: string;
  role: StaffRole;
}

/**
 * One invented user per role. The chair and member addresses match local/partnership-profile.json,
 * so what the chair is emailed and what the chair signs in as are the same person.
 */
export const localUsers: Record<StaffRole, LocalUser> = {
  notifier: {
    id: '0f3b5c1e-0000-4000-8000-000000000001',
    name: 'Nina Notifier (demo)',
    email: 'notifier@example.org',
    role: 'notifier',
  },
  'partnership-team': {
    id: '0f3b5c1e-0000-4000-8000-000000000002',
    name: 'Pat Partnership Officer (demo)',
    email: 'partnership.team@example.org',
    role: 'partnership-team',
  },
  'rrg-member': {
    id: '0f3b5c1e-0000-4000-8000-000000000003',
    name: 'Morgan Member (demo)',
    email: 'rrg.member@example.org',
    role: 'rrg-member',
  },
  'rrg-chair': {
    id: '0f3b5c1e-0000-4000-8000-000000000004',
    name: 'Chris Chair (demo)',
    email: 'rrg.chair@example.org',
    role: 'rrg-chair',
  },
  scrutineer: {
    id: '0f3b5c1e-0000-4000-8000-000000000005',
    name: 'Sam Scrutineer (demo)',
    email: 'scrutineer@example.org',
    role: 'scrutineer',
  },
  // The partners' sign-offs: the local authority's delegate (see localPartnerDelegates for the
  // others) and the Executive Board chair, as local/partnership-profile.json names them.
  'safeguarding-partner': {
    id: '0f3b5c1e-0000-4000-8000-000000000006',
    name: 'Dee Local Authority Delegate (demo)',
    email: 'la.delegate@example.org',
    role: 'safeguarding-partner',
  },
  'executive-board': {
    id: '0f3b5c1e-0000-4000-8000-000000000009',
    name: 'Eden Board (demo)',
    email: 'executive.board@example.org',
    role: 'executive-board',
  },
  // The engineer on call (issue 12 part 4): the operations pages, never a child's details.
  operator: {
    id: '0f3b5c1e-0000-4000-8000-000000000010',
    name: 'Olly Operator (demo)',
    email: 'operator@example.org',
    role: 'operator',
  },
  // The Practice Review Group's way in (issue 13): an agency's contact who refers a case, and a
  // member of the group as local/partnership-profile.json names them.
  referrer: {
    id: '0f3b5c1e-0000-4000-8000-000000000011',
    name: 'Remy Referrer (demo)',
    email: 'referrer@example.org',
    role: 'referrer',
  },
  'prg-member': {
    id: '0f3b5c1e-0000-4000-8000-000000000012',
    name: 'Parker Group Member (demo)',
    email: 'prg.member@example.org',
    role: 'prg-member',
  },
  // A local review's independent reviewer (issue 13): the team records this address as the
  // reviewer's, and the reviewer sees only the reviews recorded so.
  reviewer: {
    id: '0f3b5c1e-0000-4000-8000-000000000013',
    name: 'Robin Reviewer (demo)',
    email: 'reviewer@example.org',
    role: 'reviewer',
  },
};

/** Each safeguarding partner's invented delegate, as local/partnership-profile.json names them. */
export const localPartnerDelegates: Record<SafeguardingPartner, LocalUser> = {
  'local-authority': localUsers['safeguarding-partner'],
  police: {
    id: '0f3b5c1e-0000-4000-8000-000000000007',
    name: 'Dale Police Delegate (demo)',
    email: 'police.delegate@example.org',
    role: 'safeguarding-partner',
  },
  health: {
    id: '0f3b5c1e-0000-4000-8000-000000000008',
    name: 'Harper Health Delegate (demo)',
    email: 'icb.delegate@example.org',
    role: 'safeguarding-partner',
  },
};

/** The invented user a local token is for: a safeguarding partner's is that partner's delegate (the local authority's unless named). */
export function localUserFor(role: StaffRole, partner?: SafeguardingPartner): LocalUser {
  return role === 'safeguarding-partner' && partner ? localPartnerDelegates[partner] : localUsers[role];
}

/** Who issues local tokens; a token from anywhere else is refused. */
export const localIssuer = 'urn:example:local-stack';
const audience = 'local-stack';
/** Tokens last a working day of real time: the authorizer checks expiry against the wall clock, as on AWS. */
const lifetimeSeconds = 12 * 60 * 60;

/**
 * The signing secret, made once per data directory (random) and kept there, so tokens given out
 * before a restart still work after it.
 */
export function loadOrCreateSecret(file: string): Buffer {
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, `${secret.toString('base64')}\n`, { mode: 0o600 });
  return secret;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const sign = (secret: Buffer, input: string) => createHmac('sha256', secret).update(input).digest();

/** A Cognito-like ID token (HS256) for a local user: sub, name, email, `cognito:groups`, exp. */
export function issueToken(secret: Buffer, user: LocalUser, nowMs = Date.now()): string {
  const issuedAt = Math.floor(nowMs / 1000);
  const header = encode({ alg: 'HS256', typ: 'JWT' });
  const payload = encode({
    sub: user.id,
    name: user.name,
    email: user.email,
    'cognito:groups': [user.role],
    iss: localIssuer,
    aud: audience,
    token_use: 'id',
    iat: issuedAt,
    exp: issuedAt + lifetimeSeconds,
  });
  return `${header}.${payload}.${sign(secret, `${header}.${payload}`).toString('base64url')}`;
}

export type TokenCheck = { valid: true; claims: Record<string, unknown> } | { valid: false; reason: string };

/** Checks what API Gateway's JWT authorizer checks: signature, algorithm, issuer, audience, expiry. */
export function verifyToken(secret: Buffer, token: string, nowMs = Date.now()): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { valid: false, reason: 'the token is not a JWT' };
  const [header, payload, signature] = parts as [string, string, string];
  let claims: Record<string, unknown>;
  try {
    const decodedHeader = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    if (decodedHeader.alg !== 'HS256') return { valid: false, reason: 'unexpected signing algorithm' };
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { valid: false, reason: 'the token cannot be decoded' };
  }
  const expected = sign(secret, `${header}.${payload}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { valid: false, reason: 'the signature does not match' };
  }
  if (claims.iss !== localIssuer || claims.aud !== audience) {
    return { valid: false, reason: 'the token was issued for something else' };
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) {
    return { valid: false, reason: 'the token has expired' };
  }
  return { valid: true, claims };
}
