import { Validations } from 'aws-cdk-lib';
import {
  AwsSolutionsChecks,
  type NagPack,
  type NagPackProps,
  NIST80053R5Checks,
  ServerlessChecks,
} from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** The cdk-nag rule packs every synth runs: AWS Solutions, NIST 800-53 rev 5 and Serverless. */
export const NAG_PACKS = [AwsSolutionsChecks, NIST80053R5Checks, ServerlessChecks] as const;

/** One instance of each rule pack, to register as validation plugins or to run over a scope. */
export function nagPacks(scope: IConstruct | undefined, props: NagPackProps = {}): NagPack[] {
  return NAG_PACKS.map((Pack) => new Pack(scope, props));
}

/**
 * Acknowledges the same cdk-nag finding of several packs (their ids differ: `AwsSolutions-SMG4`,
 * `NIST.800.53.R5-SecretsManagerRotationEnabled`) on `scope` and what is under it, with one reason.
 */
export function acknowledgeFindings(scope: IConstruct, ids: readonly string[], reason: string): void {
  for (const id of ids) Validations.of(scope).acknowledge({ id, reason });
}
