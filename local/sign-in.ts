import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { formErrors } from '../functions/web/forms.ts';
import { htmlResponse, seeOther } from '../functions/web/router.ts';
import { safeReturnPath, startSession } from '../functions/web/session.ts';
import { createTemplateEnvironment } from '../functions/web/views.ts';
import { type SafeguardingPartner, safeguardingPartner, staffRole } from '../shared/schemas/roles.ts';
import { localPageContext } from './page-context.ts';
import { localPartnerDelegates, localUserFor, localUsers } from './tokens.ts';

/** What each role is called on the page. */
const roleNames: Record<keyof typeof localUsers, string> = {
  notifier: 'Notifier (local authority)',
  'partnership-team': 'Partnership team',
  'rrg-member': 'Rapid Review Group member',
  'rrg-chair': 'Rapid Review Group chair',
  scrutineer: 'Independent Scrutineer',
  'safeguarding-partner': 'Safeguarding partner (local authority delegate)',
  'executive-board': 'Executive Board chair',
  operator: 'Operator (engineer on call)',
  referrer: 'Referrer (an agency’s contact)',
  'prg-member': 'Practice Review Group member',
  reviewer: 'Reviewer of a local review',
};

/** What each safeguarding partner's delegate is called on the page. */
const delegateNames: Record<SafeguardingPartner, string> = {
  'local-authority': roleNames['safeguarding-partner'],
  police: 'Safeguarding partner (police delegate)',
  health: 'Safeguarding partner (integrated care board delegate)',
};

/**
 * The choices on the page: one invented user per role, and for the safeguarding partners one
 * per partner (the local authority's delegate keeps the role's own value; the others are
 * `safeguarding-partner:<partner>`), so each partner's sign-off can be made in the browser.
 */
function signInChoices() {
  return staffRole.options.flatMap((role) =>
    role === 'safeguarding-partner'
      ? safeguardingPartner.options.map((partner) => ({
          value: partner === 'local-authority' ? role : `${role}:${partner}`,
          text: localPartnerDelegates[partner].name,
          hint: { text: delegateNames[partner] },
        }))
      : [{ value: role, text: localUsers[role].name, hint: { text: roleNames[role] } }],
  );
}

/** The invented user a choice names: a role, or `safeguarding-partner:<partner>`; undefined for anything else. */
function chosenUser(choice: string | null) {
  const [roleText, partnerText, ...rest] = (choice ?? '').split(':');
  const role = staffRole.safeParse(roleText);
  if (!role.success || rest.length > 0) return undefined;
  if (partnerText === undefined) return localUsers[role.data];
  const partner = safeguardingPartner.safeParse(partnerText);
  if (role.data !== 'safeguarding-partner' || !partner.success) return undefined;
  return localUserFor(role.data, partner.data);
}

const templates = createTemplateEnvironment([fileURLToPath(new URL('./templates/', import.meta.url))]);

/** A request to the local sign-in page as local/api.ts sees it. */
export interface LocalSignInRequest {
  method: string;
  query: URLSearchParams;
  body: Buffer;
  cookies: readonly string[] | undefined;
}

/**
 * The local stack's own sign-in (GET and POST /sign-in), in place of Cognito's hosted UI: a
 * GOV.UK page listing the invented users of local/tokens.ts, one per role (and one per safeguarding
 * partner, each partner's delegate). Choosing one sets the
 * same signed session cookie the web function reads (functions/web/session.ts, same
 * SESSION_SECRET), so the pages behave as they do on AWS once someone is signed in.
 */
export async function localSignIn(
  sessionSecret: Buffer,
  request: LocalSignInRequest,
): Promise<APIGatewayProxyStructuredResultV2> {
  const context = localPageContext(sessionSecret, request.cookies);
  const environment = await templates;

  const page = (returnTo: string, status: number, errors?: ReturnType<typeof formErrors>) => {
    const choices = signInChoices();
    const response = htmlResponse(
      environment,
      'local-sign-in.njk',
      { ...context.layout('/sign-in'), returnTo, choices, errors },
      status,
    );
    return context.withIssuedCookies(response);
  };

  if (request.method === 'GET') return page(safeReturnPath(request.query.get('returnTo')), 200);

  const form = new URLSearchParams(request.body.toString('utf8'));
  const returnTo = safeReturnPath(form.get('returnTo'));
  if (!context.csrfMatches(form)) {
    return page(
      returnTo,
      400,
      formErrors([{ field: 'role', message: 'The page had expired. Choose a user again' }]),
    );
  }
  const user = chosenUser(form.get('role'));
  if (!user) {
    return page(returnTo, 400, formErrors([{ field: 'role', message: 'Choose who to sign in as' }]));
  }
  const { cookie } = startSession(
    sessionSecret,
    { id: user.id, name: user.name, email: user.email, roles: [user.role] },
    'local',
  );
  return { ...seeOther(returnTo), cookies: [cookie] };
}
