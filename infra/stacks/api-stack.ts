import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as eventTargets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { type FunctionName, type FunctionSpec, functionCatalogue } from '../../functions/catalogue.ts';
import { agencyUploadPrefix } from '../../shared/agency-links.ts';
import type { PartnershipProfile } from '../../shared/config/partnership-profile.ts';
import { type Route, routes } from '../../shared/routes.ts';
import { staffRole } from '../../shared/schemas/roles.ts';
import { PartnershipProfileParameters } from '../constructs/partnership-profile-parameters.ts';
import {
  constructIdOf,
  type EmailSending,
  type ServiceConfiguration,
  ServiceFunction,
} from '../constructs/service-function.ts';
import { UploadMalwareProtection } from '../constructs/upload-malware-protection.ts';
import { acknowledgeFindings } from '../nag.ts';

/** What the API stack is given by the data stack and the deployment's configuration. */
export interface ApiStackProps extends StackProps {
  readonly dataKey: kms.IKey;
  readonly caseTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
  readonly caseDocumentBucket: s3.IBucket;
  readonly agencySummaryUploadBucket: s3.IBucket;
  /** The validated partnership profile: this stack puts it in Parameter Store, and SES gets its sender address. */
  readonly partnershipProfile: PartnershipProfile;
  /** Where the profile is kept in Parameter Store (`/safeguarding-reviews/<stage>`); this stack creates its parameters. */
  readonly partnershipProfilePath: string;
  /**
   * Base URL people reach the service at, without a trailing slash.
   *
   * @default the HTTP API's own endpoint
   */
  readonly publicBaseUrl?: string;
  /** The rapid-review state machine's name (the workflow stack creates it under this name). */
  readonly rapidReviewStateMachineName: string;
  /** The local-review state machine's name (issue 13): the local review pages start and resume its executions. */
  readonly localReviewStateMachineName: string;
  /**
   * Prefix of the Cognito hosted sign-in domain (`<prefix>.auth.<region>.amazoncognito.com`),
   * unique in the region across all AWS accounts.
   */
  readonly signInDomainPrefix: string;
}

/** cdk-nag's findings for a secret not rotated on a schedule, in the AWS Solutions and NIST packs. */
const SECRET_ROTATION_FINDINGS = ['AwsSolutions-SMG4', 'NIST.800.53.R5-SecretsManagerRotationEnabled'];

/** Throttling of every route; a partnership's staff and agencies make a few requests a minute. */
const DEFAULT_THROTTLE: apigwv2.ThrottleSettings = { rateLimit: 25, burstLimit: 50 };

/** The functions this stack runs: those behind routes and the one the upload bucket's events call. */
export const apiFunctionNames = (Object.keys(functionCatalogue) as FunctionName[]).filter(
  (name) =>
    functionCatalogue[name].trigger !== 'workflow' &&
    functionCatalogue[name].trigger !== 'local-review-workflow' &&
    functionCatalogue[name].trigger !== 'execution-status',
);

/**
 * The service's front door: the HTTP API built from shared/routes.ts (staff routes behind a
 * Cognito JWT authorizer whose groups are the staff roles; capability-link routes open, the
 * token in the path being the authorisation), the functions behind it, the upload bucket's
 * event handler, and SES sending (identity plus a configuration set that requires TLS).
 */
export class ApiStack extends Stack {
  public readonly httpApi: apigwv2.HttpApi;
  /** The API's base URL, without a trailing slash. */
  public readonly apiUrl: string;
  /** What every function is told: the profile and the base URL of emailed links (the configured one, else the API's). */
  public readonly serviceConfiguration: ServiceConfiguration;
  public readonly userPool: cognito.UserPool;
  public readonly userPoolClient: cognito.UserPoolClient;
  /** How the workflow's (and any future) functions send email. */
  public readonly email: EmailSending;
  public readonly configurationSet: ses.ConfigurationSet;
  public readonly senderDomainIdentity: ses.EmailIdentity;
  /** The functions of this stack by catalogue name. */
  public readonly functions: ReadonlyMap<FunctionName, ServiceFunction>;
  /** GuardDuty's scan of agency uploads and the queues its results wait in, by the upload handler's name. */
  public readonly uploadMalwareProtections: ReadonlyMap<FunctionName, UploadMalwareProtection>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    // --- Email -------------------------------------------------------------------------------
    const senderAddress = props.partnershipProfile.senderAddress;
    const senderDomain = senderAddress.slice(senderAddress.lastIndexOf('@') + 1);
    const configurationSet = new ses.ConfigurationSet(this, 'EmailConfigurationSet', {
      // Mail about children is never handed to a receiving server over plain text.
      tlsPolicy: ses.ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // A domain identity with Easy DKIM: partnership domains (often gov.uk) publish DMARC
    // policies that reject unsigned mail, so verifying only the address would not deliver.
    const senderDomainIdentity = new ses.EmailIdentity(this, 'SenderDomainIdentity', {
      identity: ses.Identity.domain(senderDomain),
      configurationSet,
    });
    // If the address is also verified on its own, SES authorises against that identity instead.
    const senderAddressIdentity = ses.EmailIdentity.fromEmailIdentityName(
      this,
      'SenderAddressIdentity',
      senderAddress,
    );
    const email: EmailSending = {
      identities: [senderDomainIdentity, senderAddressIdentity],
      configurationSet,
    };

    // --- Staff sign-in ---------------------------------------------------------------------
    const userPool = new cognito.UserPool(this, 'StaffUserPool', {
      // Staff accounts are created by the partnership team, never by sign-up.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      // Plus: threat protection blocks compromised-credential and risky sign-ins to case files.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const role of staffRole.options) {
      new cognito.CfnUserPoolGroup(this, `StaffRole-${role}`, {
        userPoolId: userPool.userPoolId,
        groupName: role,
        description: `Staff role "${role}": the API lets this group use the routes that name it (shared/routes.ts)`,
      });
    }
    // The HTTP API comes first: the app client's callback URL is on it unless publicBaseUrl is set.
    const httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'Safeguarding practice reviews: the HTTP API of shared/routes.ts',
      createDefaultStage: false,
    });
    const apiUrl = httpApi.apiEndpoint;
    const publicBaseUrl = props.publicBaseUrl ?? apiUrl;

    // The web pages sign staff in through the hosted UI (authorization code with PKCE, a public
    // client: no secret, which a browser-facing flow could not keep anyway).
    const signInDomain = userPool.addDomain('StaffSignInDomain', {
      cognitoDomain: { domainPrefix: props.signInDomainPrefix },
    });
    const userPoolClient = userPool.addClient('StaffWebClient', {
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [`${publicBaseUrl}/auth/callback`],
        logoutUrls: [`${publicBaseUrl}/`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });
    const staffAuthorizer = new HttpUserPoolAuthorizer('StaffAuthorizer', userPool, {
      userPoolClients: [userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });

    // The key that signs the web pages' session cookies. Generated here and handed to the web
    // function as a dynamic reference CloudFormation resolves at deploy time: neither the
    // template nor cdk.out holds the value, and the function needs no Secrets Manager client.
    const sessionSecret = new secretsmanager.Secret(this, 'WebSessionSecret', {
      description: 'Signs the session and CSRF cookies of the web pages (SESSION_SECRET)',
      encryptionKey: props.dataKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    acknowledgeFindings(
      sessionSecret,
      SECRET_ROTATION_FINDINGS,
      'The web function receives the key at deploy time, so rotation needs a redeploy, and every rotation signs everyone out: rotate by hand (put a new value, deploy) rather than on a schedule.',
    );

    // The key the possible-duplicate check hashes children's dates of birth with (HMAC), handed
    // to the functions that submit notifications as a dynamic reference, like the session key.
    const duplicateCheckKey = new secretsmanager.Secret(this, 'DuplicateCheckKey', {
      description:
        'Keys the hashes of the dates of birth the possible-duplicate check compares (DUPLICATE_CHECK_KEY)',
      encryptionKey: props.dataKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    acknowledgeFindings(
      duplicateCheckKey,
      SECRET_ROTATION_FINDINGS,
      'Rotating the key would make every open case unmatchable by date of birth until it closes: it is not rotated on a schedule.',
    );

    // The agency details pages' own key (issue 10 part 1): signs their CSRF tokens and the cookie
    // proving a browser entered the emailed code. Handed over like the session key.
    const agencyDetailsKey = new secretsmanager.Secret(this, 'AgencyDetailsSecret', {
      description:
        'Signs the CSRF tokens and proof cookie of the agency details pages (AGENCY_DETAILS_SECRET)',
      encryptionKey: props.dataKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    acknowledgeFindings(
      agencyDetailsKey,
      SECRET_ROTATION_FINDINGS,
      'The agency details function receives the key at deploy time, so rotation needs a redeploy; a rotation only asks agencies for a new code: rotate by hand.',
    );

    // --- HTTP API --------------------------------------------------------------------------
    const profileParameters = new PartnershipProfileParameters(this, 'PartnershipProfile', {
      profile: props.partnershipProfile,
      path: props.partnershipProfilePath,
    });
    const serviceConfiguration: ServiceConfiguration = {
      partnershipProfilePath: profileParameters.path,
      publicBaseUrl,
    };

    const accessLogGroup = new logs.LogGroup(this, 'HttpApiAccessLogGroup', {
      retention: logs.RetentionDays.THREE_MONTHS,
      encryptionKey: props.dataKey,
    });
    httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: DEFAULT_THROTTLE,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogGroup),
        // The route key, not the path: an agency's path holds its capability token.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            caller: '$context.authorizer.claims.sub',
            sourceIp: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });

    // --- Functions -------------------------------------------------------------------------
    const rapidReviewStateMachine = sfn.StateMachine.fromStateMachineName(
      this,
      'RapidReviewStateMachineByName',
      props.rapidReviewStateMachineName,
    );
    const localReviewStateMachine = sfn.StateMachine.fromStateMachineName(
      this,
      'LocalReviewStateMachineByName',
      props.localReviewStateMachineName,
    );
    const functions = new Map<FunctionName, ServiceFunction>();
    for (const name of apiFunctionNames) {
      functions.set(
        name,
        new ServiceFunction(this, constructIdOf(name), {
          name,
          dataKey: props.dataKey,
          configuration: serviceConfiguration,
          resources: {
            caseTable: props.caseTable,
            auditTable: props.auditTable,
            caseDocumentBucket: props.caseDocumentBucket,
            agencySummaryUploadBucket: props.agencySummaryUploadBucket,
            email,
            rapidReviewStateMachine,
            localReviewStateMachine,
            duplicateCheckKey: duplicateCheckKey.secretValue,
            agencyDetailsKey: agencyDetailsKey.secretValue,
            staffSignIn: {
              cognitoDomain: signInDomain.baseUrl(),
              cognitoClientId: userPoolClient.userPoolClientId,
              // The `iss` of the pool's tokens (its ProviderURL attribute lacks the scheme).
              cognitoIssuer: `https://cognito-idp.${this.region}.${this.urlSuffix}/${userPool.userPoolId}`,
              sessionSecret: sessionSecret.secretValue,
            },
          },
        }),
      );
    }
    const functionFor = (name: string): ServiceFunction => {
      const fn = functions.get(name as FunctionName);
      if (!fn) throw new Error(`Route function "${name}" is not an API function of functions/catalogue.ts`);
      return fn;
    };

    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const route of routes as readonly Route[]) {
      const fn = functionFor(route.functionName);
      let integration = integrations.get(route.functionName);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${constructIdOf(fn.catalogueName)}Integration`, fn.function);
        integrations.set(route.functionName, integration);
      }
      const httpRoute = new apigwv2.HttpRoute(this, `${route.id}Route`, {
        httpApi,
        routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
        integration,
        authorizer: route.access.kind === 'staff' ? staffAuthorizer : new apigwv2.HttpNoneAuthorizer(),
      });
      if (route.access.kind !== 'staff') {
        // On the CfnRoute, not the L2, so the acknowledgement does not spread to the integration.
        const cfnRoute = httpRoute.node.defaultChild as apigwv2.CfnRoute;
        Validations.of(cfnRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            route.access.kind === 'capability-link'
              ? 'A capability-link route: agency SPOCs have no account; the unguessable token in the path, stored hashed, bound to one case and agency and expiring, is the authorisation, checked by the function.'
              : 'The web pages: browsers send no bearer token, so the web function authorises every page itself from its signed session cookie (Cognito sign-in), and checks a CSRF token on every form.',
        });
      }
    }

    // --- Upload events ---------------------------------------------------------------------
    // GuardDuty scans every upload; its scan result (EventBridge), not the bucket's own
    // notification, invokes the upload handler, so only a file scanned clean is filed with a case.
    // It lives here, beside the function it invokes: in the data stack it would put this
    // stack's function ARN in the data stack, a cycle.
    const uploadEventFunctions = apiFunctionNames.filter(
      (name) => functionCatalogue[name].trigger === 'upload-event',
    );
    const uploadMalwareProtections = new Map<FunctionName, UploadMalwareProtection>();
    for (const name of uploadEventFunctions) {
      const protection = new UploadMalwareProtection(this, 'AgencySummaryUploadMalwareProtection', {
        bucket: props.agencySummaryUploadBucket,
        encryptionKey: props.dataKey,
        prefix: agencyUploadPrefix,
        onScanResult: functionFor(name).function,
      });
      uploadMalwareProtections.set(name, protection);
    }

    // --- Schedules --------------------------------------------------------------------------
    // A daily function runs at 03:00 UTC, when no one is notifying; an hourly one on the hour;
    // the resume sweep every minute (a resume owed waits a minute at most).
    for (const name of apiFunctionNames.filter((name) => functionCatalogue[name].trigger === 'schedule')) {
      const spec: FunctionSpec = functionCatalogue[name];
      const fn = functionFor(name);
      const every = spec.schedule ?? 'daily';
      const words = { daily: 'daily', hourly: 'hourly', 'every-minute': 'every minute' }[every];
      new events.Rule(this, `${name}-${every}`, {
        description: `Runs ${name} ${words}: ${spec.description}`,
        schedule:
          every === 'every-minute'
            ? events.Schedule.rate(Duration.minutes(1))
            : every === 'hourly'
              ? events.Schedule.cron({ minute: '0' })
              : events.Schedule.cron({ minute: '0', hour: '3' }),
        // An event EventBridge could not deliver goes to the function's own dead-letter queue.
        targets: [
          new eventTargets.LambdaFunction(fn.function, {
            retryAttempts: 2,
            deadLetterQueue: fn.deadLetterQueue,
          }),
        ],
      });
    }

    this.httpApi = httpApi;
    this.apiUrl = apiUrl;
    this.serviceConfiguration = serviceConfiguration;
    this.userPool = userPool;
    this.userPoolClient = userPoolClient;
    this.email = email;
    this.configurationSet = configurationSet;
    this.senderDomainIdentity = senderDomainIdentity;
    this.functions = functions;
    this.uploadMalwareProtections = uploadMalwareProtections;

    new CfnOutput(this, 'ApiUrl', { value: apiUrl, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'PublicBaseUrl', {
      value: publicBaseUrl,
      description: 'Base URL of links in emails',
    });
    new CfnOutput(this, 'StaffUserPoolId', { value: userPool.userPoolId });
    new CfnOutput(this, 'StaffUserPoolClientId', { value: userPoolClient.userPoolClientId });
    new CfnOutput(this, 'StaffSignInUrl', {
      value: signInDomain.baseUrl(),
      description: 'The Cognito hosted sign-in the web pages send staff to',
    });
    new CfnOutput(this, 'EmailConfigurationSetName', { value: configurationSet.configurationSetName });
    senderDomainIdentity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `SenderDomainDkimRecord${index + 1}`, {
        value: `${record.name} CNAME ${record.value}`,
        description: `DKIM record ${index + 1} of 3 to publish in the DNS of ${senderDomain}`,
      });
    });
  }
}
