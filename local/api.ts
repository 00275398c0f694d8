import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type {
  APIGatewayEventRequestContextJWTAuthorizer,
  APIGatewayProxyEventV2WithJWTAuthorizer,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { safeguardingPartner } from '../shared/config/partnership-profile.ts';
import { hasMalformedPercentEncoding, malformedPathField } from '../shared/http/paths.ts';
import { type InvalidField, ProblemError, problemResponse } from '../shared/http/problem.ts';
import { matchRoute, type Route } from '../shared/routes.ts';
import { staffRole } from '../shared/schemas/roles.ts';
import { parseInput } from '../shared/validation.ts';
import { localControls, localControlsPath } from './controls.ts';
import { localInboxPage, localInboxPath } from './inbox-page.ts';
import { portToUse } from './ports.ts';
import type { FaultRehearsal } from './rehearsal.ts';
import type { LocalInbox } from './ses.ts';
import { localSignIn } from './sign-in.ts';
import { issueToken, localUserFor, verifyToken } from './tokens.ts';

/** A wait on the virtual clock: a Wait state or a callback timeout. */
export interface PendingWait {
  at: Date;
  label: string;
}

/** How far to move the virtual clock. */
export type ClockAdvance = { kind: 'next' } | { kind: 'to'; at: Date } | { kind: 'by'; duration: string };

/** What the local-only clock routes need from the stack. */
export interface ClockControl {
  status(): { now: Date; speed: number; pending: PendingWait[] };
  /** Moves the clock and resolves once the workflow has settled (bounded by the stack). */
  advance(advance: ClockAdvance): Promise<void>;
  /** Resolves once the workflow has nothing to do but wait for the clock or a person (bounded by the stack). */
  settle(): Promise<void>;
}

export interface LocalApiOptions {
  /** Port to try first (stable URLs across restarts); any free port otherwise. */
  preferredPort?: number;
  /** Signs and checks local bearer tokens (see local/tokens.ts). */
  tokenSecret: Buffer;
  /** Signs the web pages' session cookies: the same key the web function reads as SESSION_SECRET. */
  sessionSecret: Buffer;
  /** Runs a function (functions/catalogue.ts) with an API Gateway v2 event and answers its result. */
  invoke(functionName: string, event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<unknown>;
  clock: ClockControl;
  /** The local SES web inbox, linked from the local controls page at /local. */
  inboxUrl?: string;
  /** The local SES's emails, shown at /local/inbox with the service's virtual times. */
  inbox?: LocalInbox;
  /** Failures a rehearsal plans on the local controls page: one step of one case, once. */
  rehearsal?: FaultRehearsal;
  /** The local controls page's "Start a demo local review": answers the review it commissioned. */
  startDemoLocalReview?: () => Promise<{ reviewId: string; reference: string }>;
  log?: (line: string) => void;
}

export interface RunningApi {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** API Gateway's payload limit for HTTP APIs. */
const maxBodyBytes = 10 * 1024 * 1024;

/** Content types API Gateway passes as text; anything else arrives base64-encoded. */
function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  return /^text\/|json|xml|javascript|x-www-form-urlencoded/i.test(contentType);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes)
      throw new ProblemError(413, 'Payload too large', 'The request body is over 10 MB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(response: ServerResponse, result: APIGatewayProxyStructuredResultV2): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    headers[name.toLowerCase()] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body = result.body ?? '';
  response.writeHead(result.statusCode ?? 200, headers);
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

/** A Lambda answer in payload format 2.0: a structured result, or any JSON value meaning 200. */
function toStructured(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (result && typeof result === 'object' && 'statusCode' in result)
    return result as APIGatewayProxyStructuredResultV2;
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
  };
}

function json(status: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

function parseJson(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new ProblemError(400, 'Invalid request', 'The request body is not valid JSON', [
      { field: '(body)', message: 'Not valid JSON' },
    ]);
  }
}

function invalid(field: string, message: string): ProblemError {
  const errors: InvalidField[] = [{ field, message }];
  return new ProblemError(400, 'Invalid request', `The request has 1 invalid field(s)`, errors);
}

/**
 * API Gateway HTTP APIs hand JWT claims to Lambda as strings; arrays become "[a b]". The same
 * shape is built here so handlers meet locally what they meet on AWS.
 */
function claimsAsApiGatewayPasses(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      Array.isArray(value)
        ? `[${value.join(' ')}]`
        : typeof value === 'string'
          ? value
          : JSON.stringify(value),
    ]),
  );
}

const tokenRequest = z.object({ role: staffRole, partner: z.enum(safeguardingPartner.options).optional() });
const advanceRequest = z.object({ to: z.string().optional(), by: z.string().optional() });

/** Reads `{ "to": "next" | "<ISO instant>" }` or `{ "by": "<ISO duration>" }` into a target. */
export function parseAdvance(body: unknown, now: Date): ClockAdvance {
  const { to, by } = parseInput(advanceRequest, body ?? {}, 'request');
  if ((to === undefined) === (by === undefined)) {
    throw invalid(
      to === undefined ? 'to' : 'by',
      'Give exactly one of "to" ("next" or an ISO instant) or "by" (an ISO duration such as "P2D")',
    );
  }
  if (to === 'next') return { kind: 'next' };
  if (to !== undefined) {
    let at: Date;
    try {
      at = new Date(Temporal.Instant.from(to).epochMilliseconds);
    } catch {
      throw invalid('to', 'Must be "next" or an ISO instant with an offset, such as "2026-03-20T09:00:00Z"');
    }
    if (at.getTime() <= now.getTime())
      throw invalid('to', `Must be after the current virtual time ${now.toISOString()}`);
    return { kind: 'to', at };
  }
  let duration: Temporal.Duration;
  try {
    duration = Temporal.Duration.from(by as string);
  } catch {
    throw invalid('by', 'Must be an ISO 8601 duration such as "P2D" or "PT3H"');
  }
  if (duration.sign <= 0) throw invalid('by', 'Must be a positive duration');
  // The virtual clock is a timeline: a day is 24 hours, and months or years have no fixed length.
  if (duration.years !== 0 || duration.months !== 0)
    throw invalid('by', 'Say it in weeks, days or hours, not months or years');
  return { kind: 'by', duration: duration.toString() };
}

function clockBody(status: ReturnType<ClockControl['status']>) {
  return {
    now: status.now.toISOString(),
    speed: status.speed,
    pending: status.pending.map((wait) => ({ at: wait.at.toISOString(), label: wait.label })),
  };
}

/**
 * The local HTTP API: serves the same route table as API Gateway (shared/routes.ts), builds
 * HTTP API payload 2.0 events, and on staff routes does what the Cognito JWT authorizer does on
 * AWS (a valid bearer token or 401); the handlers then enforce roles. It also serves the
 * local-only routes under /local/ (tokens and the virtual clock), the local controls page at
 * /local (the clock, the inbox and the invented users, for people) and the local sign-in page at
 * /sign-in (invented users, in place of Cognito's hosted UI), which do not exist on AWS.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<RunningApi> {
  const log = options.log ?? ((line: string) => console.error(line));
  const port = await portToUse(options.preferredPort);
  const url = `http://127.0.0.1:${port}`;

  function authorize(request: IncomingMessage): APIGatewayEventRequestContextJWTAuthorizer {
    const header = request.headers.authorization ?? '';
    const token = header.replace(/^Bearer\s+/i, '').trim();
    if (!token) throw new ProblemError(401, 'Unauthorized', 'A bearer token is required');
    const check = verifyToken(options.tokenSecret, token);
    if (!check.valid)
      throw new ProblemError(401, 'Unauthorized', `The bearer token is not valid: ${check.reason}`);
    return {
      principalId: '',
      integrationLatency: 0,
      jwt: { claims: claimsAsApiGatewayPasses(check.claims), scopes: null },
    };
  }

  async function routeRequest(request: IncomingMessage, body: Buffer, requestId: string) {
    const method = request.method ?? 'GET';
    const target = new URL(request.url ?? '/', url);
    const path = target.pathname;

    if (path === '/local/token' && method === 'POST') {
      const { role, partner } = parseInput(tokenRequest, parseJson(body) ?? {}, 'request');
      // A safeguarding partner's token is that partner's invented delegate (the local authority's unless named).
      const user = localUserFor(role, partner);
      return json(200, {
        token: issueToken(options.tokenSecret, user),
        user: { id: user.id, name: user.name, email: user.email, role },
      });
    }
    // Local-only sign-in, in place of the Cognito hosted UI the web function sends people to on AWS.
    if (path === '/sign-in' && (method === 'GET' || method === 'POST')) {
      return localSignIn(options.sessionSecret, {
        method,
        query: target.searchParams,
        body,
        cookies: request.headers.cookie?.split(/;\s*/).filter(Boolean),
      });
    }
    // Local-only control page: the virtual clock, the inbox and the invented users, for people.
    if (path === localControlsPath && (method === 'GET' || method === 'POST')) {
      return localControls(
        {
          sessionSecret: options.sessionSecret,
          clock: options.clock,
          inboxUrl: options.inboxUrl,
          ...(options.rehearsal ? { rehearsal: options.rehearsal } : {}),
          ...(options.startDemoLocalReview ? { startDemoLocalReview: options.startDemoLocalReview } : {}),
        },
        {
          method,
          query: target.searchParams,
          body,
          cookies: request.headers.cookie?.split(/;\s*/).filter(Boolean),
        },
      );
    }
    // Local-only inbox: every email sent, with the virtual time beside the real one, links to click.
    if (
      (path === localInboxPath || path.startsWith(`${localInboxPath}/`)) &&
      method === 'GET' &&
      options.inbox
    ) {
      return localInboxPage(
        { sessionSecret: options.sessionSecret, inbox: options.inbox },
        {
          path,
          recipient: target.searchParams.get('to'),
          cookies: request.headers.cookie?.split(/;\s*/).filter(Boolean),
        },
      );
    }
    if (path === '/local/clock' && method === 'GET') return json(200, clockBody(options.clock.status()));
    if (path === '/local/settle' && method === 'POST') {
      await options.clock.settle();
      return json(200, clockBody(options.clock.status()));
    }
    if (path === '/local/clock/advance' && method === 'POST') {
      const advance = parseAdvance(parseJson(body), options.clock.status().now);
      if (advance.kind === 'next' && options.clock.status().pending.length === 0) {
        throw new ProblemError(409, 'Nothing pending', 'No wait or timeout is pending on the virtual clock');
      }
      await options.clock.advance(advance);
      return json(200, clockBody(options.clock.status()));
    }

    // API Gateway would not route a path that does not decode; the API's paths answer 400 here,
    // and any other path goes on to the web function, which shows its 400 page.
    if ((path === '/api' || path.startsWith('/api/')) && hasMalformedPercentEncoding(path)) {
      throw new ProblemError(400, 'Invalid request', malformedPathField.message, [{ ...malformedPathField }]);
    }
    const matched = matchRoute(method, path);
    if (!matched)
      throw new ProblemError(
        404,
        'Not found',
        `No route ${method} ${path.startsWith('/api/agency/') ? '/api/agency/…' : path}`,
      );
    const route: Route = matched.route;
    const authorizer = route.access.kind === 'staff' ? authorize(request) : undefined;

    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && name !== 'cookie')
        headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const queryStringParameters: Record<string, string> = {};
    for (const [name, value] of target.searchParams) {
      queryStringParameters[name] = queryStringParameters[name]
        ? `${queryStringParameters[name]},${value}`
        : value;
    }
    const cookies = request.headers.cookie?.split(/;\s*/).filter(Boolean);
    const textual = isTextual(request.headers['content-type']);
    const now = new Date();
    const event = {
      version: '2.0',
      routeKey: `${route.method} ${route.path}`,
      rawPath: path,
      rawQueryString: target.search.slice(1),
      ...(cookies?.length ? { cookies } : {}),
      headers,
      ...(target.search ? { queryStringParameters } : {}),
      pathParameters: matched.pathParameters,
      ...(body.length ? { body: textual ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: body.length > 0 && !textual,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        ...(authorizer ? { authorizer } : {}),
        domainName: target.host,
        domainPrefix: '127',
        http: {
          method,
          path,
          protocol: `HTTP/${request.httpVersion}`,
          sourceIp: request.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
          userAgent: request.headers['user-agent'] ?? '',
        },
        requestId,
        routeKey: `${route.method} ${route.path}`,
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
      },
    } as APIGatewayProxyEventV2WithJWTAuthorizer;

    try {
      return toStructured(await options.invoke(route.functionName, event));
    } catch (error) {
      // A handler that throws is a 500 from API Gateway too; only ids reach the log.
      log(
        `[api] ${route.id} ${route.functionName} threw ${error instanceof Error ? error.name : 'Error'} (request ${requestId})`,
      );
      return json(500, { message: 'Internal Server Error' });
    }
  }

  const server = createServer((request, response) => {
    const requestId = randomUUID();
    readBody(request)
      .then((body) => routeRequest(request, body, requestId))
      .catch((error: unknown) => {
        const result = problemResponse(error);
        if (result.statusCode === 401) {
          result.headers = { ...result.headers, 'www-authenticate': 'Bearer error="invalid_token"' };
        }
        if (!(error instanceof ProblemError)) {
          log(
            `[api] local route failed: ${error instanceof Error ? error.name : 'Error'} (request ${requestId})`,
          );
        }
        return result;
      })
      .then((result) =>
        send(response, { ...result, headers: { ...result.headers, 'apigw-requestid': requestId } }),
      )
      .catch(() => response.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });

  return {
    url,
    port,
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
