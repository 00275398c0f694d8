import { GetParametersByPathCommand, type Parameter } from '@aws-sdk/client-ssm';
import type { MiddlewareObj } from '@middy/core';
import { type ProfileParameter, refreshPartnershipProfile } from '../config/partnership-profile.ts';
import { envNames } from '../env.ts';
import { ssmClient } from './clients/ssm.ts';

/** Every parameter under `path`, recursively, page by page (GetParametersByPath answers ten at most a page). */
export async function readParametersByPath(path: string): Promise<ProfileParameter[]> {
  const found: ProfileParameter[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ssmClient().send(
      new GetParametersByPathCommand({ Path: path, Recursive: true, NextToken: nextToken }),
    );
    for (const { Name, Value } of page.Parameters ?? ([] as Parameter[])) {
      if (Name !== undefined && Value !== undefined) found.push({ name: Name, value: Value });
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return found;
}

/**
 * Before each invocation, the partnership profile read from Parameter Store into the container's
 * cache (read again once it is a minute old), so `loadPartnershipProfile()` and the Service's
 * `profile` stay synchronous. A handler built without a deployment's parameter path (a unit test
 * handing its use cases a Service of fakes) reads nothing here; `loadPartnershipProfile()` would
 * then say the profile was never read.
 */
export function partnershipProfileLoaded<Event, Result>(
  source: NodeJS.ProcessEnv = process.env,
): MiddlewareObj<Event, Result> {
  return {
    before: async () => {
      if (source[envNames.partnershipProfilePath] === undefined) return;
      await refreshPartnershipProfile(readParametersByPath, { source });
    },
  };
}
