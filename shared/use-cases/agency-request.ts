import { randomUUID } from 'node:crypto';
import type { PresignedPost, UploadFormOptions } from '../adapters/upload-forms.ts';
import {
  agencyUploadKey,
  agencyUploadRules,
  hashAgencyToken,
  looksLikeAgencyToken,
} from '../agency-links.ts';
import { CaseNotFoundError, DomainError } from '../errors.ts';
import { logInfo } from '../log.ts';
import type { AgencyRequest, AuditEvent, CaseRecord } from '../schemas/case.ts';
import { text } from '../schemas/primitives.ts';
import { milestone } from '../schemas/timetable.ts';
import * as z from '../schemas/zod.ts';
import type { Service } from '../service.ts';
import type { AgencyLink } from '../stores/case-store.ts';
import { parseInput } from '../validation.ts';

/** How long a pre-signed upload asked for just before the upload (the page's script, the API) works. */
export const UPLOAD_FORM_SECONDS = 15 * 60;
/**
 * How long the plain HTML form drawn with the page works: the person reads the page and finds
 * the file first. Each form takes one file only, and never outlives the agency's link.
 */
export const PAGE_UPLOAD_FORM_SECONDS = 2 * 3600;

/**
 * One message for every link that does not work: unknown, malformed or expired links all read
 * the same, so the answer reveals nothing about which case or agency a token might belong to.
 */
const LINK_NOT_USABLE =
  'This link does not work. It may have been mistyped or have expired. Ask the safeguarding partnership team for a new one.';

const allowedContentTypes = Object.keys(agencyUploadRules.allowedTypes);
const megabytes = Math.floor(agencyUploadRules.maxBytes / (1024 * 1024));

/** What an agency says about the file it is about to upload. */
export const agencyUploadRequest = z.object({
  fileName: text(200),
  contentType: z.string({ error: 'Say what type of file this is' }).check(
    z.refine((value) => allowedContentTypes.includes(value), {
      error: 'Upload a PDF or a Word document (.docx)',
    }),
  ),
  size: z.number({ error: 'Give the file size in bytes' }).check(
    z.refine((value) => Number.isInteger(value), { error: 'Give the file size in whole bytes' }),
    z.gte(1, { error: 'The file is empty' }),
    z.lte(agencyUploadRules.maxBytes, { error: `The file must be ${megabytes} MB or smaller` }),
  ),
});
export type AgencyUploadRequest = z.infer<typeof agencyUploadRequest>;

/**
 * The capability link does not work: unknown or mistyped (`not-found`), or expired
 * (`forbidden`). The message is the same either way.
 */
export class LinkNotUsableError extends DomainError {
  override readonly name = 'LinkNotUsable';
  override readonly kind: 'not-found' | 'forbidden';
  constructor(kind: 'not-found' | 'forbidden') {
    super(LINK_NOT_USABLE, kind === 'forbidden' ? 'Forbidden' : 'Not found');
    this.kind = kind;
  }
}

/** What reading an agency's request touches. */
export type AgencyLinkPorts = Pick<Service, 'cases' | 'clock' | 'profile'>;
/** What issuing an upload form touches. */
export type AgencyUploadPorts = Pick<Service, 'cases' | 'clock' | 'uploadForms'>;

/** The case and agency a working capability link is bound to, and when the link stops working. */
interface LinkedRequest {
  record: CaseRecord;
  agency: AgencyRequest;
  linkExpiresAt: string;
  /**
   * The hash the link stands by (`linkStanding`: its token's, or for a chasing email's link the
   * hash of the link it was made beside), recorded on each form issued under it.
   */
  linkTokenHash: string;
}

/** A linked request with the case's audit trail, which the agency's page reads its last upload from. */
interface LinkedRequestWithAudit extends LinkedRequest {
  audit: AuditEvent[];
}

/**
 * The hash a link stands or falls by: its own, or for a chasing email's link, the hash of the
 * link it was made beside (`AgencyLink.companionOf`). Forms issued under the link record it.
 */
export function linkStanding(link: Pick<AgencyLink, 'tokenHash' | 'companionOf'>): string {
  return link.companionOf ?? link.tokenHash;
}

/**
 * Whether the partnership team stopped this link (issue 10 part 3): a newer link replaced it (the
 * contact replaced, or the link resent), the agency was removed, or the case withdrawn.
 * `standing` is the link's `linkStanding`.
 */
export function revoked(record: CaseRecord, agency: AgencyRequest, standing: string): boolean {
  if (record.status === 'withdrawn' || agency.status === 'removed') return true;
  return agency.linkTokenHash !== undefined && agency.linkTokenHash !== standing;
}

/**
 * Resolves a capability token to its case and agency, or LinkNotUsableError; with the case's
 * audit trail when the page needs it (`'with-audit'`), which costs a second read.
 */
export async function resolveLink(
  service: Pick<Service, 'cases' | 'clock'>,
  token: string | undefined,
  read: 'with-audit',
): Promise<LinkedRequestWithAudit>;
export async function resolveLink(
  service: Pick<Service, 'cases' | 'clock'>,
  token: string | undefined,
  read: 'without-audit',
): Promise<LinkedRequest>;
export async function resolveLink(
  service: Pick<Service, 'cases' | 'clock'>,
  token: string | undefined,
  read: 'with-audit' | 'without-audit',
): Promise<LinkedRequest | LinkedRequestWithAudit> {
  if (!token || !looksLikeAgencyToken(token)) throw new LinkNotUsableError('not-found');
  const link = await service.cases.findAgencyLink(hashAgencyToken(token));
  if (!link) throw new LinkNotUsableError('not-found');
  if (service.clock.now().getTime() >= Date.parse(link.expiresAt)) {
    throw new LinkNotUsableError('forbidden');
  }
  try {
    const file =
      read === 'with-audit'
        ? await service.cases.getCaseFile(link.caseId)
        : await service.cases.getCaseWithAgencies(link.caseId);
    const agency = file.agencies.find((candidate) => candidate.agencyId === link.agencyId);
    if (!agency) throw new LinkNotUsableError('not-found');
    if (revoked(file.case, agency, linkStanding(link))) throw new LinkNotUsableError('forbidden');
    return {
      record: file.case,
      agency,
      linkExpiresAt: link.expiresAt,
      linkTokenHash: linkStanding(link),
      ...('audit' in file ? { audit: file.audit } : {}),
    };
  } catch (error) {
    if (error instanceof CaseNotFoundError) throw new LinkNotUsableError('not-found');
    throw error;
  }
}

function whatToReturn(record: CaseRecord): string {
  const template =
    "Your agency's summary of its involvement with the child and family, on the Initial Scoping and Information Sharing template";
  const childDeath =
    record.incidentKind === 'death' ? ' (for a child death, the CDOP Form A or B may serve instead)' : '';
  return `${template}${childDeath}, as a PDF or Word document of up to ${megabytes} MB.`;
}

/** What became of the agency's latest upload, as record-summary audited it. */
export type UploadOutcome = 'received' | 'received-late' | 'replaced' | 'rejected';

const uploadOutcomes: Record<string, UploadOutcome> = {
  'summary.received': 'received',
  'summary.received-late': 'received-late',
  'summary.replaced': 'replaced',
  'summary.rejected': 'rejected',
};

/** The latest upload outcome for this agency: when, and for a rejected file why (size or type only). */
function lastUpload(audit: readonly AuditEvent[], agencyId: string) {
  const events = audit.filter(
    (event) => event.action in uploadOutcomes && event.details?.agencyId === agencyId,
  );
  const latest = events.reduce<AuditEvent | undefined>(
    (found, event) => (!found || event.at >= found.at ? event : found),
    undefined,
  );
  if (!latest) return null;
  const outcome = uploadOutcomes[latest.action] as UploadOutcome;
  return { outcome, at: latest.at, ...(outcome === 'rejected' ? { problem: latest.reason } : {}) };
}

/** The agency's latest structured return (issue 10 part 2): its version, kind and when; null before one. */
function latestReturn(agency: AgencyRequest) {
  const latest = agency.returns?.at(-1);
  return latest
    ? { version: latest.version, kind: latest.answers.kind, submittedAt: latest.submittedAt }
    : null;
}

/** What an agency is asked for on a case, as its capability link shows it. */
export type AgencyRequestView = ReturnType<typeof requestView>;

function requestView(
  service: Pick<Service, 'profile'>,
  { record, agency, audit, linkExpiresAt }: LinkedRequestWithAudit,
) {
  return {
    agency: agency.agencyName,
    caseReference: record.reference,
    partnership: service.profile.partnershipName,
    whatToReturn: whatToReturn(record),
    dueAt: milestone(record.timetable, 'agencySummariesDue').dueAt,
    /** When the link stops working: the summaries are collated then, and nothing more is taken. */
    linkExpiresAt,
    status: agency.status,
    late: agency.late,
    receivedAt: agency.receivedAt,
    lastUpload: lastUpload(audit, agency.agencyId),
    latestReturn: latestReturn(agency),
    upload: {
      maxBytes: agencyUploadRules.maxBytes,
      allowedTypes: allowedContentTypes,
      allowedExtensions: allowedContentTypes.map((type) => agencyUploadRules.allowedTypes[type] as string),
    },
  };
}

/**
 * Tells an agency what to return on this case and by when. Names the agency, the case reference
 * and the partnership; never a child.
 *
 * @throws LinkNotUsableError
 */
export async function showAgencyRequest(
  service: AgencyLinkPorts,
  link: { token: string | undefined },
): Promise<AgencyRequestView> {
  return requestView(service, await resolveLink(service, link.token, 'with-audit'));
}

/**
 * Issues one upload form: its own upload id and key, recorded with its expiry, which is
 * `lifetimeSeconds` from now or when the agency's link stops working, whichever is sooner
 * (after collation the link is dead, and so is every form issued from it). The form records the
 * link it was issued under: once a newer link replaces that one, record-summary refuses its file.
 */
async function issueForm(
  service: Pick<Service, 'cases' | 'clock' | 'uploadForms'>,
  linked: LinkedRequest,
  options: Omit<UploadFormOptions, 'expiresInSeconds' | 'maxBytes'>,
  lifetimeSeconds = UPLOAD_FORM_SECONDS,
): Promise<{ form: PresignedPost; key: string; expiresAt: string }> {
  const { record, agency } = linked;
  const now = service.clock.now();
  const expiresAtMs = Math.min(now.getTime() + lifetimeSeconds * 1000, Date.parse(linked.linkExpiresAt));
  const expiresAt = new Date(expiresAtMs).toISOString();
  const uploadId = randomUUID();
  await service.cases.putIssuedUpload({
    uploadId,
    caseId: record.caseId,
    agencyId: agency.agencyId,
    issuedAt: now.toISOString(),
    expiresAt,
    linkTokenHash: linked.linkTokenHash,
  });
  const key = agencyUploadKey(record.caseId, agency.agencyId, uploadId);
  const form = await service.uploadForms.uploadForm(key, {
    ...options,
    maxBytes: agencyUploadRules.maxBytes,
    // The policy's expiry is whole seconds, never later than the recorded one.
    expiresInSeconds: Math.max(1, Math.floor((expiresAtMs - now.getTime()) / 1000)),
  });
  logInfo('Upload form issued', { caseId: record.caseId, agencyId: agency.agencyId, uploadId });
  return { form, key, expiresAt };
}

/** A pre-signed upload form for one file. */
export interface AgencyUploadForm {
  url: string;
  fields: Record<string, string>;
  key: string;
  expiresAt: string;
}

/**
 * A pre-signed POST for a new upload key of this agency on this case (its own upload id),
 * limited to the file's type and the size limit and valid for UPLOAD_FORM_SECONDS or until the
 * link stops working. Issuing it records the form and changes nothing else; the upload itself is
 * checked and recorded by record-summary, which accepts only the keys of issued forms.
 *
 * @throws LinkNotUsableError, InvalidInputError (what the file is said to be: every bad field named)
 */
export async function issueAgencyUpload(
  service: AgencyUploadPorts,
  request: { token: string | undefined; upload: unknown },
): Promise<AgencyUploadForm> {
  const linked = await resolveLink(service, request.token, 'without-audit');
  const upload = parseInput(agencyUploadRequest, request.upload, 'upload');
  const { form, key, expiresAt } = await issueForm(service, linked, { contentType: upload.contentType });
  return { url: form.url, fields: form.fields, key, expiresAt };
}

/** The common start of both allowed content types, for a form whose type the person chooses. */
const allowedTypePrefix = 'application/';

/**
 * What the agency's web page shows (functions/web/pages/agency.ts): the request, as
 * `showAgencyRequest` gives it, and an upload form that must work without JavaScript: a plain HTML form posting straight to the upload bucket. The file is not
 * known when the page is drawn, so the policy allows any `application/` type (the form's radios
 * send PDF or Word) and record-summary re-checks the type and size of what arrives. S3 then sends
 * the browser back to the page's confirmation (`success_action_redirect`), on this site only.
 * Issuing it records the form (see issueAgencyUpload). The link is read once for both the
 * request and the form.
 *
 * @throws LinkNotUsableError
 */
export async function showAgencyRequestForPage(
  service: AgencyLinkPorts & AgencyUploadPorts & Pick<Service, 'publicBaseUrl'>,
  request: { token: string },
): Promise<{
  view: AgencyRequestView;
  form: { url: string; fields: Record<string, string>; contentTypes: string[]; expiresAt: string };
}> {
  const { token } = request;
  const linked = await resolveLink(service, token, 'with-audit');
  const now = service.clock.now();
  const view = requestView(service, linked);
  // The confirmation shows the first upload after this one's form was drawn: after now, and
  // after the last upload seen (a clock standing still, as in the local stack's tests, would
  // otherwise take a refusal the page already shows for the outcome of the next file).
  const lastSeen = view.lastUpload ? Date.parse(view.lastUpload.at) + 1 : 0;
  const confirmation = new URL(`${service.publicBaseUrl}/agency/${token}/uploaded`);
  confirmation.searchParams.set('after', new Date(Math.max(now.getTime(), lastSeen)).toISOString());
  const { form, expiresAt } = await issueForm(
    service,
    linked,
    { contentType: { startsWith: allowedTypePrefix }, successRedirect: confirmation.toString() },
    PAGE_UPLOAD_FORM_SECONDS,
  );
  return {
    view,
    form: { url: form.url, fields: form.fields, contentTypes: allowedContentTypes, expiresAt },
  };
}
