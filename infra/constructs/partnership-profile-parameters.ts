import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { type PartnershipProfile, profileParameters } from '../../shared/config/partnership-profile.ts';

/** Properties of the profile's parameters. */
export interface PartnershipProfileParametersProps {
  /** The validated profile (from the `profile` context file). */
  readonly profile: PartnershipProfile;
  /** The path they are kept under, `/safeguarding-reviews/<stage>`; functions read everything below it. */
  readonly path: string;
}

/**
 * The partnership profile in Systems Manager Parameter Store, one standard String parameter for
 * the partnership's own settings (`<path>/profile`) and one per agency keyed by its id
 * (`<path>/agencies/<agency-id>`), so the profile is not held to Lambda's 4 KB of environment.
 * String rather than SecureString: CloudFormation cannot create SecureString parameters, and the
 * profile holds staff's work addresses, no case data; only this deployment's functions are
 * granted the path.
 */
export class PartnershipProfileParameters extends Construct {
  public readonly path: string;

  constructor(scope: Construct, id: string, props: PartnershipProfileParametersProps) {
    super(scope, id);
    this.path = props.path;
    for (const { name, value } of profileParameters(props.profile, props.path)) {
      new ssm.StringParameter(this, name.slice(props.path.length + 1).replace(/[^A-Za-z0-9]/g, '-'), {
        parameterName: name,
        stringValue: value,
        tier: ssm.ParameterTier.STANDARD,
        description: 'Partnership profile (shared/config/partnership-profile.ts)',
      });
    }
  }
}

/** Where a deployment keeps its profile: `/safeguarding-reviews/<stage>`. */
export function profileParameterPath(stage: string): string {
  return `/safeguarding-reviews/${stage}`;
}
