import { ConfigurationError } from './errors.ts';

/**
 * Every environment variable the functions read, named once. CDK sets them from these
 * names and the local stack does the same, so a name cannot drift between the two.
 */
export const envNames = {
  /** The DynamoDB table holding cases, agency requests, tokens and audit events. */
  tableName: 'CASE_TABLE_NAME',
  /** The append-only DynamoDB table of audit events (pk `CASE#<id>`, sk `AUDIT#<eventId>`). */
  auditTableName: 'AUDIT_TABLE_NAME',
  /** Bucket for the notification, collated report, covering letter. */
  documentBucket: 'CASE_DOCUMENT_BUCKET',
  /** Bucket agencies upload their summaries into through pre-signed POSTs. */
  uploadBucket: 'AGENCY_UPLOAD_BUCKET',
  /** ARN of the rapid-review state machine. */
  stateMachineArn: 'RAPID_REVIEW_STATE_MACHINE_ARN',
  /** ARN of the local-review state machine (issue 13). */
  localReviewStateMachineArn: 'LOCAL_REVIEW_STATE_MACHINE_ARN',
  /**
   * The Parameter Store path the partnership profile is kept under (`/safeguarding-reviews/<stage>`):
   * `<path>/profile` and `<path>/agencies/<agency-id>` (shared/config/partnership-profile.ts).
   */
  partnershipProfilePath: 'PARTNERSHIP_PROFILE_PARAMETER_PATH',
  /** SES configuration set that requires TLS; every email is sent through it. */
  sesConfigurationSet: 'SES_CONFIGURATION_SET',
  /** Base URL people reach the service at (links in emails), without a trailing slash. */
  publicBaseUrl: 'PUBLIC_BASE_URL',
  /** Key (at least 32 characters) that signs the web pages' session and CSRF cookies. */
  sessionSecret: 'SESSION_SECRET',
  duplicateCheckKey: 'DUPLICATE_CHECK_KEY',
  /**
   * Key (at least 32 characters) of the agency details pages (functions/agency-details): signs
   * their CSRF tokens and the cookie that proves a browser entered the emailed code. No other
   * function holds it.
   */
  agencyDetailsSecret: 'AGENCY_DETAILS_SECRET',
  /** Base URL of the Cognito hosted sign-in (`https://<prefix>.auth.<region>.amazoncognito.com`). */
  cognitoDomain: 'COGNITO_DOMAIN',
  /** The Cognito app client the web pages sign staff in through. */
  cognitoClientId: 'COGNITO_CLIENT_ID',
  /** Issuer of the user pool's ID tokens (`https://cognito-idp.<region>.amazonaws.com/<pool id>`). */
  cognitoIssuer: 'COGNITO_ISSUER',
} as const;

export type EnvKey = keyof typeof envNames;

/** Reads a required variable, failing fast with the variable's name when it is missing. */
export function requireEnv(key: EnvKey, source: NodeJS.ProcessEnv = process.env): string {
  const name = envNames[key];
  const value = source[name];
  if (value === undefined || value.trim() === '') {
    throw new ConfigurationError(`Environment variable ${name} is not set`);
  }
  return value;
}

/** Where people reach the service (PUBLIC_BASE_URL), without a trailing slash. */
/** The deployment's secret key for the possible-duplicate check (a port of the Service). */
export function duplicateCheckKeyFromEnvironment(source: NodeJS.ProcessEnv = process.env): string {
  return requireEnv('duplicateCheckKey', source);
}

export function publicBaseUrlFromEnvironment(source: NodeJS.ProcessEnv = process.env): string {
  return requireEnv('publicBaseUrl', source).replace(/\/+$/, '');
}
