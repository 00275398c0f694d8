import { createHash, randomBytes } from 'node:crypto';

/** A fresh capability token: 32 random bytes, URL-safe. Only its hash is ever stored. */
export function mintAgencyToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashAgencyToken(token) };
}

export function hashAgencyToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Tokens we mint are 43 base64url characters; anything else is refused before a lookup. */
export function looksLikeAgencyToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

/** The link emailed to an agency's SPOC: the agency's page (the JSON API is at `/api/agency/<token>`). */
export function agencyLinkUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl}/agency/${token}`;
}

/** What agencies may upload: the template as a Word document or PDF, up to 10 MB. */
export const agencyUploadRules = {
  maxBytes: 10 * 1024 * 1024,
  allowedTypes: {
    'application/pdf': '.pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': '.docx',
  } as Record<string, string>,
};

/** Key prefix of every agency upload; the upload bucket's event notification filters on it. */
export const agencyUploadPrefix = 'uploads/';

/**
 * The key of one issued upload form: each form has its own upload id, so every file an agency
 * sends is its own object and never a version of another.
 */
export function agencyUploadKey(caseId: string, agencyId: string, uploadId: string): string {
  return `${agencyUploadPrefix}${caseId}/${agencyId}/${uploadId}`;
}

/** Reads case, agency and upload id back from an upload key; undefined for any other key. */
export function parseAgencyUploadKey(
  key: string,
): { caseId: string; agencyId: string; uploadId: string } | undefined {
  const match = /^uploads\/([0-9a-f-]{36})\/([a-z0-9-]+)\/([0-9a-f-]{36})$/.exec(key);
  return match ? { caseId: match[1]!, agencyId: match[2]!, uploadId: match[3]! } : undefined;
}
