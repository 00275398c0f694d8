import { requireEnv } from '../../shared/env.ts';
import { ConfigurationError, InvalidInputError } from '../../shared/errors.ts';
import type { Service } from '../../shared/service.ts';
import {
  type AgencyDetailsView,
  CodeAskedTooSoonError,
  CodeNotUsableError,
  DETAILS_CODE_TRIES,
  type DetailsProof,
  DetailsProofNeededError,
  detailsProof,
  sendDetailsCode,
  showAgencyChildDetails,
  showDetailsGate,
  verifyDetailsCode,
  WrongCodeError,
} from '../../shared/use-cases/agency-details.ts';
import { LinkNotUsableError } from '../../shared/use-cases/agency-request.ts';
import { formErrors } from '../web/forms.ts';
import { type Page, type PageResult, publicAccess, redirect, render, withCookies } from '../web/page.ts';
import { cookieValue, signValue, verifySignedValue } from '../web/session.ts';

/** The ports of the details pages: the case table (links, codes, audit), the notification document, email. */
export type AgencyDetailsService = Pick<
  Service,
  'clock' | 'profile' | 'publicBaseUrl' | 'cases' | 'agencyDetailsCodes' | 'documents' | 'mailer'
>;

const MIN_SECRET_LENGTH = 32;

/** The key of these pages (AGENCY_DETAILS_SECRET): CSRF tokens and the proof cookie. */
export function agencyDetailsSecretFromEnvironment(source: NodeJS.ProcessEnv = process.env): Buffer {
  const value = requireEnv('agencyDetailsSecret', source);
  if (value.length < MIN_SECRET_LENGTH) {
    throw new ConfigurationError(`AGENCY_DETAILS_SECRET must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  return Buffer.from(value, 'utf8');
}

/**
 * The cookie that proves this browser entered the right code: signed with the pages' key, for
 * one link, until its expiry (inside the signature). `__Secure-` rather than `__Host-` because it
 * is scoped to the link's details path; no Max-Age, so it ends with the browser session.
 */
export const proofCookieName = '__Secure-agency-details';
const proofPurpose = 'agency-details-proof';

function detailsPath(token: string): string {
  return `/agency/${encodeURIComponent(token)}/details`;
}

function proofCookie(secret: Buffer, token: string, proof: DetailsProof): string {
  return `${proofCookieName}=${signValue(secret, proofPurpose, proof)}; Path=${detailsPath(token)}; Secure; HttpOnly; SameSite=Strict`;
}

function proofFrom(secret: Buffer, cookies: readonly string[] | undefined): DetailsProof | undefined {
  const parsed = detailsProof.safeParse(
    verifySignedValue(secret, proofPurpose, cookieValue(cookies, proofCookieName)),
  );
  return parsed.success ? parsed.data : undefined;
}

/** The same page as the agency's own for a link that does not work: 404 unknown, 403 expired. */
function linkNotUsable(error: LinkNotUsableError): PageResult {
  return render(
    'agency/link-not-valid.njk',
    { pageTitle: 'This link has expired or is not valid' },
    error.kind === 'forbidden' ? 403 : 404,
  );
}

async function answering(work: () => Promise<PageResult>): Promise<PageResult> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LinkNotUsableError) return linkNotUsable(error);
    throw error;
  }
}

type Row = { key: { text: string }; value: { text: string } };
const row = (key: string, value: string): Row => ({ key: { text: key }, value: { text: value } });

/** The summary lists' rows: each child's, and the incident's. */
function detailsRows(view: AgencyDetailsView): {
  children?: Row[][];
  household?: Row[];
  incident?: Row[];
} {
  return {
    ...(view.children?.length
      ? {
          children: view.children.map((child) => [
            row('Name', child.name),
            row(child.dateOfBirthOrAge.label, child.dateOfBirthOrAge.value),
            ...(child.sex ? [row('Sex', child.sex)] : []),
            ...(child.lookedAfter !== undefined
              ? [row('Looked after', child.lookedAfter ? 'Yes' : 'No')]
              : []),
            ...(child.careLeaver ? [row('Care leaver', 'Yes')] : []),
            ...(child.address ? [row('Address', child.address)] : []),
            ...(child.nhsNumber ? [row('NHS number', child.nhsNumber)] : []),
          ]),
        }
      : {}),
    ...(view.householdMembers?.length
      ? { household: view.householdMembers.map((member) => row(member.name, member.relationship)) }
      : {}),
    ...(view.incident
      ? {
          incident: [
            row('What happened', view.incident.kind),
            row('Date', view.incident.occurredOn),
            ...(view.incident.location ? [row('Where', view.incident.location)] : []),
          ],
        }
      : {}),
  };
}

const triesInWords = (tries: number) => `${tries} ${tries === 1 ? 'try' : 'tries'}`;

/**
 * The agency details pages (issue 10 part 1): the gate naming the masked mailbox with "Email me
 * a code", the code entry, and, for a browser that entered the right code, the child's
 * identifying details. `secret` signs the proof cookie.
 */
export function agencyDetailsPages(secret: () => Buffer): Page<AgencyDetailsService>[] {
  return [
    {
      method: 'GET',
      path: '/agency/{token}/details',
      access: publicAccess,
      handle: (request) =>
        answering(async () => {
          const token = request.params.token ?? '';
          const proof = proofFrom(secret(), request.event.cookies);
          if (proof) {
            try {
              const view = await showAgencyChildDetails(request.service, { token, proof });
              return render('agency/details/details.njk', {
                pageTitle: `Who case ${view.caseReference} is about`,
                view,
                ...detailsRows(view),
                returnPath: `/agency/${token}`,
              });
            } catch (error) {
              if (!(error instanceof DetailsProofNeededError)) throw error;
            }
          }
          const gate = await showDetailsGate(request.service, { token });
          return render('agency/details/gate.njk', {
            pageTitle: `See who case ${gate.caseReference} is about`,
            gate,
            codePath: `${detailsPath(token)}/code`,
            verifyPath: `${detailsPath(token)}/verify`,
            returnPath: `/agency/${token}`,
          });
        }),
    },
    {
      method: 'POST',
      path: '/agency/{token}/details/code',
      access: publicAccess,
      handle: (request) =>
        answering(async () => {
          const token = request.params.token ?? '';
          try {
            await sendDetailsCode(request.service, { token });
            return redirect(`${detailsPath(token)}/verify?sent=1`);
          } catch (error) {
            if (!(error instanceof CodeAskedTooSoonError)) throw error;
            const gate = await showDetailsGate(request.service, { token });
            return render(
              'agency/details/gate.njk',
              {
                pageTitle: `See who case ${gate.caseReference} is about`,
                gate,
                tooSoon: true,
                codePath: `${detailsPath(token)}/code`,
                verifyPath: `${detailsPath(token)}/verify`,
                returnPath: `/agency/${token}`,
              },
              429,
            );
          }
        }),
    },
    {
      method: 'GET',
      path: '/agency/{token}/details/verify',
      access: publicAccess,
      handle: (request) =>
        answering(async () => {
          const token = request.params.token ?? '';
          const gate = await showDetailsGate(request.service, { token });
          return render('agency/details/verify.njk', {
            pageTitle: 'Enter the code we emailed you',
            gate,
            sent: request.query.get('sent') === '1',
            tries: DETAILS_CODE_TRIES,
            codePath: `${detailsPath(token)}/code`,
            returnPath: `/agency/${token}`,
          });
        }),
    },
    {
      method: 'POST',
      path: '/agency/{token}/details/verify',
      access: publicAccess,
      handle: (request) =>
        answering(async () => {
          const token = request.params.token ?? '';
          const code = request.form.get('code') ?? '';
          try {
            const proof = await verifyDetailsCode(request.service, { token, code });
            return withCookies(redirect(detailsPath(token)), proofCookie(secret(), token, proof));
          } catch (error) {
            const gate = await showDetailsGate(request.service, { token });
            const context = {
              gate,
              tries: DETAILS_CODE_TRIES,
              codePath: `${detailsPath(token)}/code`,
              returnPath: `/agency/${token}`,
            };
            if (error instanceof InvalidInputError) {
              return render(
                'agency/details/verify.njk',
                {
                  ...context,
                  pageTitle: 'Enter the code we emailed you',
                  errors: formErrors(error.fields),
                  code,
                },
                400,
              );
            }
            if (error instanceof WrongCodeError) {
              return render(
                'agency/details/verify.njk',
                {
                  ...context,
                  pageTitle: 'Enter the code we emailed you',
                  errors: formErrors([
                    {
                      field: 'code',
                      message: `That is not the code we sent. You have ${triesInWords(error.triesLeft)} left`,
                    },
                  ]),
                },
                400,
              );
            }
            if (error instanceof CodeNotUsableError) {
              return render(
                'agency/details/ask-again.njk',
                { ...context, pageTitle: 'Ask for a new code', reason: error.reason },
                400,
              );
            }
            throw error;
          }
        }),
    },
  ];
}
