import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSsm, startLocalSsm } from '../../local/ssm.ts';
import { readParametersByPath } from '../../shared/adapters/profile-parameters.ts';
import {
  forgetPartnershipProfile,
  loadPartnershipProfile,
  type PartnershipProfile,
  parsePartnershipProfile,
  profileCacheMilliseconds,
  profileParameters,
  refreshPartnershipProfile,
} from '../../shared/config/partnership-profile.ts';
import { ConfigurationError } from '../../shared/errors.ts';
import { apiHandler } from '../../shared/http/api-handler.ts';
import { json } from '../../shared/http/problem.ts';
import { workflowTaskContracts } from '../../shared/workflow/contracts.ts';
import { taskHandler } from '../../shared/workflow/task-handler.ts';
import { apiEvent, invoke, partnershipTeam } from './api/support/api-fixtures.ts';

const PATH = '/safeguarding-reviews/unit';
const exampleProfile: PartnershipProfile = parsePartnershipProfile(
  readFileSync(new URL('../../infra/profiles/example.json', import.meta.url), 'utf8'),
);

/** The example profile with forty invented agencies, each with a strategic lead: far over Lambda's 4 KB of environment. */
const fortyAgencies: PartnershipProfile = {
  ...exampleProfile,
  agencyStrategicLeads: Object.fromEntries(
    Array.from({ length: 40 }, (_, n) => [
      `Invented Agency Number ${n + 1} (example)`,
      { name: `Invented Lead ${n + 1} (example)`, email: `lead.${n + 1}@example.org` },
    ]),
  ),
};

describe('the partnership profile, read from Parameter Store through the real SSM client', () => {
  let ssm: RunningSsm;
  const environment = { ...process.env };

  beforeAll(async () => {
    ssm = await startLocalSsm();
    // The client is made once per process, from these, when first used.
    process.env.AWS_ENDPOINT_URL_SSM = ssm.endpoint;
    process.env.AWS_REGION = 'eu-west-2';
    process.env.AWS_ACCESS_KEY_ID = 'local';
    process.env.AWS_SECRET_ACCESS_KEY = 'local';
    process.env.PARTNERSHIP_PROFILE_PARAMETER_PATH = PATH;
  });

  afterAll(async () => {
    process.env = environment;
    await ssm.stop();
  });

  afterEach(() => {
    forgetPartnershipProfile();
    for (const { name } of profileParameters(fortyAgencies, PATH)) ssm.remove(name);
    for (const { name } of profileParameters(exampleProfile, PATH)) ssm.remove(name);
  });

  function seed(profile: PartnershipProfile) {
    for (const { name, value } of profileParameters(profile, PATH)) ssm.put(name, value);
  }

  it('loads a profile of forty agencies, well over 4 KB, across GetParametersByPath’s pages', async () => {
    seed(fortyAgencies);
    const before = ssm.requests().GetParametersByPath ?? 0;

    const profile = await refreshPartnershipProfile(readParametersByPath);

    expect(JSON.stringify(fortyAgencies).length).toBeGreaterThan(4096);
    expect(profile).toEqual(fortyAgencies);
    expect(loadPartnershipProfile()).toEqual(fortyAgencies);
    // 41 parameters, ten a page.
    expect((ssm.requests().GetParametersByPath ?? 0) - before).toBe(5);
  });

  it('keeps what it read for a minute, then reads again', async () => {
    seed(exampleProfile);
    let now = 1_000_000;
    const clock = { now: () => now };
    await refreshPartnershipProfile(readParametersByPath, clock);
    ssm.put(
      `${PATH}/profile`,
      JSON.stringify({ ...JSON.parse(ownSettings(exampleProfile)), partnershipName: 'Renamed (example)' }),
    );
    const before = ssm.requests().GetParametersByPath ?? 0;

    now += profileCacheMilliseconds - 1;
    expect((await refreshPartnershipProfile(readParametersByPath, clock)).partnershipName).toBe(
      exampleProfile.partnershipName,
    );
    expect(ssm.requests().GetParametersByPath ?? 0).toBe(before);

    now += 1;
    expect((await refreshPartnershipProfile(readParametersByPath, clock)).partnershipName).toBe(
      'Renamed (example)',
    );
    expect(loadPartnershipProfile().partnershipName).toBe('Renamed (example)');
    expect(ssm.requests().GetParametersByPath ?? 0).toBe(before + 1);
  });

  it('keeps serving the cached profile when Parameter Store cannot be reached, and reads again once it can', async () => {
    seed(exampleProfile);
    let now = 1_000_000;
    const clock = { now: () => now };
    await refreshPartnershipProfile(readParametersByPath, clock);
    now += profileCacheMilliseconds;
    let reads = 0;
    const throttled = async () => {
      reads += 1;
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    };

    const kept = await refreshPartnershipProfile(throttled, clock);
    const keptAgain = await refreshPartnershipProfile(throttled, clock);

    expect(kept).toEqual(exampleProfile);
    expect(keptAgain).toEqual(exampleProfile);
    // Each call tries again: nothing was cached from the failed reads.
    expect(reads).toBe(2);
    forgetPartnershipProfile();
    await expect(refreshPartnershipProfile(throttled, clock)).rejects.toMatchObject({
      name: 'ThrottlingException',
    });
  });

  it('fails with a clear error naming the parameter when the profile is missing', async () => {
    const failure = refreshPartnershipProfile(readParametersByPath);

    await expect(failure).rejects.toBeInstanceOf(ConfigurationError);
    await expect(failure).rejects.toThrow(
      `The partnership profile is missing: Parameter Store has no parameter ${PATH}/profile`,
    );
    expect(() => loadPartnershipProfile()).toThrow(/has not been read from Parameter Store yet/);
  });

  it('fails naming the parameter whose value is not a valid agency', async () => {
    seed(exampleProfile);
    ssm.put(
      `${PATH}/agencies/police`,
      JSON.stringify({ agencyName: 'Police', strategicLead: { name: 'X' } }),
    );

    await expect(refreshPartnershipProfile(readParametersByPath)).rejects.toThrow(
      `The partnership profile's parameter ${PATH}/agencies/police is invalid: strategicLead.email`,
    );
  });

  it('fails naming the variable when no path is configured', async () => {
    await expect(refreshPartnershipProfile(readParametersByPath, { source: {} })).rejects.toThrow(
      'Environment variable PARTNERSHIP_PROFILE_PARAMETER_PATH is not set',
    );
  });

  it('is read by the API wrapper before an endpoint runs, so the endpoint reads it synchronously', async () => {
    seed(exampleProfile);
    const handler = apiHandler('get-case', {
      GetCase: async () => json(200, { partnershipName: loadPartnershipProfile().partnershipName }),
    });

    const caseId = '00000000-0000-4000-8000-000000000000';
    const response = await invoke(
      handler,
      apiEvent({
        method: 'GET',
        path: `/api/cases/${caseId}`,
        routePath: '/api/cases/{caseId}',
        pathParameters: { caseId },
        caller: partnershipTeam,
      }),
    );

    expect(response).toMatchObject({
      status: 200,
      body: { partnershipName: exampleProfile.partnershipName },
    });
  });

  it('is read by the task wrapper before the logic runs; a missing profile fails the task, not silently', async () => {
    const contract = workflowTaskContracts['plan-timetable'];
    const payload = { caseId: '00000000-0000-4000-8000-000000000000' };
    const handler = taskHandler('plan-timetable', contract, async () => {
      throw new Error(`logic ran with ${loadPartnershipProfile().partnershipName}`);
    });

    await expect(handler(payload as never, {} as never)).rejects.toBeInstanceOf(ConfigurationError);
    seed(exampleProfile);
    await expect(handler(payload as never, {} as never)).rejects.toThrow(
      `logic ran with ${exampleProfile.partnershipName}`,
    );
  });
});

function ownSettings(profile: PartnershipProfile): string {
  return profileParameters(profile, PATH)[0]!.value;
}
