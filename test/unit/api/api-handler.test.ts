import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConflictError, InvalidInputError } from '../../../shared/errors.ts';
import { apiHandler, type Endpoint } from '../../../shared/http/api-handler.ts';
import { json } from '../../../shared/http/problem.ts';
import { logInfo } from '../../../shared/log.ts';
import { captureOutput } from '../../support/log-lines.ts';
import { apiEvent, invoke, partnershipTeam, rrgChair } from './support/api-fixtures.ts';

const CASE_ID = '5d0c3a8e-0000-4000-8000-000000000001';

/** GET /api/cases/{caseId} answered by `endpoint`, as a function of the route table would. */
function getCaseWith(endpoint: Endpoint) {
  return apiHandler('get-case', { GetCase: endpoint });
}

const getCase = (caller = partnershipTeam, path = `/api/cases/${CASE_ID}`) =>
  apiEvent({
    method: 'GET',
    path,
    routePath: '/api/cases/{caseId}',
    pathParameters: { caseId: CASE_ID },
    caller,
  });

describe('the API handler (middy)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('hands the endpoint the path parameters, lower-case headers and the signed-in caller', async () => {
    const endpoint = vi.fn<Endpoint>(async (request) =>
      json(200, {
        caseId: request.pathParameters.caseId,
        header: request.headers['x-invented-header'],
        caller: request.caller,
      }),
    );
    const event = getCase();
    event.headers = { ...event.headers, 'X-Invented-Header': 'present' };

    const response = await invoke(getCaseWith(endpoint), event);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      caseId: CASE_ID,
      header: 'present',
      caller: { id: partnershipTeam.sub, roles: ['partnership-team'] },
    });
  });

  it('keys every line of a request by its route and its case, and logs its answer once with the status, never the path', async () => {
    const output = captureOutput();
    const endpoint = vi.fn<Endpoint>(async () => {
      logInfo('Case read (invented)');
      return json(200, {});
    });

    await invoke(getCaseWith(endpoint), getCase());

    const lines = output.records().filter((record) => record.level === 'INFO');
    expect(lines).toEqual([
      expect.objectContaining({ message: 'Case read (invented)', route: 'GetCase', caseId: CASE_ID }),
      expect.objectContaining({ message: 'Answered', route: 'GetCase', caseId: CASE_ID, status: 200 }),
    ]);
    expect(output.lines().join('\n')).not.toContain('/api/cases/');
  });

  it('refuses a role the route does not list before the endpoint runs', async () => {
    const endpoint = vi.fn<Endpoint>(async () => json(200, {}));
    const notifierOnly = { sub: 'user-scrutineer-demo', groups: ['scrutineer' as const] };

    const response = await invoke(getCaseWith(endpoint), getCase(notifierOnly));

    expect(response.status).toBe(403);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(endpoint).not.toHaveBeenCalled();
  });

  it('asks who is calling before reading what they sent: a stranger with a broken body is told to sign in', async () => {
    const endpoint = vi.fn<Endpoint>(async () => json(200, {}));
    const stranger = apiEvent({
      method: 'POST',
      path: `/api/cases/${CASE_ID}/decision`,
      routePath: '/api/cases/{caseId}/decision',
      pathParameters: { caseId: CASE_ID },
    });
    stranger.body = '{"not json';

    const response = await invoke(apiHandler('record-decision', { RecordDecision: endpoint }), stranger);

    expect(response).toMatchObject({ status: 401, body: { title: 'Unauthorized' } });
    expect(endpoint).not.toHaveBeenCalled();
  });

  it('answers a domain refusal as problem JSON with its status, and an invalid input naming each field', async () => {
    const conflict = await invoke(
      getCaseWith(async () => {
        throw new ConflictError('The decision was already recorded', 'Already decided');
      }),
      getCase(rrgChair),
    );
    const invalid = await invoke(
      getCaseWith(async () => {
        throw new InvalidInputError('decision', [{ field: 'localReviewReason', message: 'Enter a reason' }]);
      }),
      getCase(rrgChair),
    );

    expect(conflict).toMatchObject({
      status: 409,
      body: { title: 'Already decided', detail: 'The decision was already recorded', status: 409 },
    });
    expect(invalid).toMatchObject({
      status: 400,
      body: { errors: [{ field: 'localReviewReason', message: 'Enter a reason' }] },
    });
  });

  it('answers an unexpected error 500 without its message, logging it once with where it was thrown', async () => {
    const output = captureOutput();

    const response = await invoke(
      getCaseWith(async () => {
        throw new RangeError('Invented failure quoting Demo Child One');
      }),
      getCase(),
    );

    expect(response.status).toBe(500);
    expect(JSON.stringify(response.body)).not.toContain('Demo Child One');
    expect(output.errors()).toHaveLength(1);
    const line = JSON.stringify(output.errors()[0]);
    expect(JSON.parse(line)).toMatchObject({ error: 'RangeError', function: 'get-case' });
    expect(line).toContain('api-handler.test.ts');
    expect(line).not.toContain('Demo Child One');
  });

  it('answers an outage (a store that cannot be reached) 503 with Retry-After, so the caller knows to try again, logging it once', async () => {
    const output = captureOutput();

    const response = await invoke(
      getCaseWith(async () => {
        throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000 (invented)'), {
          code: 'ECONNREFUSED',
        });
      }),
      getCase(),
    );

    expect(response.status).toBe(503);
    expect(response.headers).toMatchObject({ 'retry-after': expect.stringMatching(/^\d+$/) });
    expect(response.body).toMatchObject({ status: 503, title: 'Service unavailable' });
    expect(JSON.stringify(response.body)).not.toContain('ECONNREFUSED');
    expect(output.errors()).toHaveLength(1);
  });

  it('answers a path the function has no route for with a 404 problem, unlogged', async () => {
    const output = captureOutput();

    const response = await invoke(
      getCaseWith(async () => json(200, {})),
      getCase(partnershipTeam, `/api/cases/${CASE_ID}/somewhere-else`),
    );

    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(output.errors()).toEqual([]);
  });

  it('refuses a path with malformed percent-encoding with a 400 problem naming the path, before the endpoint runs', async () => {
    const endpoint = vi.fn<Endpoint>(async () => json(200, {}));
    const event = getCase(partnershipTeam, '/api/cases/%E0%A4%A');
    event.pathParameters = { caseId: '%E0%A4%A' };

    const response = await invoke(getCaseWith(endpoint), event);

    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toBe('application/problem+json');
    expect(response.body.errors).toEqual([
      { field: '(path)', message: expect.stringMatching(/web address/) },
    ]);
    expect(endpoint).not.toHaveBeenCalled();
  });

  it('refuses at start-up an endpoint for a route the route table does not list', () => {
    expect(() => apiHandler('get-case', { NoSuchRoute: async () => json(200, {}) } as never)).toThrow(
      'the route table does not list',
    );
  });
});
