import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { formErrors } from '../functions/web/forms.ts';
import { htmlResponse, seeOther } from '../functions/web/router.ts';
import { safeReturnPath, startSession } from '../functions/web/session.ts';
import { createTemplateEnvironment } from '../functions/web/views.ts';
import { staffRole } from '../shared/schemas/roles.ts';
import { localPageContext } from './page-context.ts';
import { localUsers } from './tokens.ts';

/** What each role is called on the page. */
const roleNames: Record<keyof typeof localUsers, string> = {
  notifier: 'Notifier (local authority)',
  'partnership-team': 'Partnership team',
  'rrg-member': 'Rapid Review Group member',
  'rrg-chair': 'Rapid Review Group chair',
  scrutineer: 'Independent Scrutineer',
  'safeguarding-partner': 'Safeguarding partner (local authority delegate)',
  'executive-board': 'Executive Board chair',
};

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
 * GOV.UK page listing the invented users of local/tokens.ts, one per role. Choosing one sets the
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
    const choices = staffRole.options.map((role) => ({
      value: role,
      text: localUsers[role].name,
      hint: { text: roleNames[role] },
    }));
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
  const role = staffRole.safeParse(form.get('role'));
  if (!role.success) {
    return page(returnTo, 400, formErrors([{ field: 'role', message: 'Choose who to sign in as' }]));
  }
  const user = localUsers[role.data];
  const { cookie } = startSession(
    sessionSecret,
    { id: user.id, name: user.name, email: user.email, roles: [user.role] },
    'local',
  );
  return { ...seeOther(returnTo), cookies: [cookie] };
}
